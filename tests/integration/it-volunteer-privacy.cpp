// SPDX-License-Identifier: MIT
// 志愿者工作站: a volunteer's data rights. GET /me/export carries the station's part (registration,
// claims, hours, certificates); DELETE /me erases it with the core's: the registration goes, a
// claim not yet served is withdrawn and its spot freed, a certificate no longer names them, and
// the append-only hours ledger stays as it was.
#include "it-volunteer-fixture.hpp"

using namespace volunteer_test;

TEST_CASE("a volunteer's record is in their export, and erasing the account frees their spot and unnames their certificate") {
    Station st;
    int64_t project = st.project();
    int64_t post = st.post(project, {{"spots", 1}});
    st.claimed(st.zhang, post);
    Response logged = st.s.post(st.path("/hours/walk-in"), {{"user_id", st.uid("zhang")}, {"project_id", project}, {"date", "2026-03-01"}, {"minutes", 90}},
                                st.staff);
    REQUIRE_MESSAGE(logged.status == 201, logged.text);
    Response cert = st.s.post(st.path("/my/certificates"), json::object(), st.zhang);
    REQUIRE_MESSAGE(cert.status == 201, cert.text);
    CHECK(st.claim(st.li, post).body["error"]["code"] == "post_full");

    Response exported = st.s.get("/api/v1/me/export", st.zhang);
    REQUIRE_MESSAGE(exported.status == 200, exported.text);
    json mine = exported.body["stations"]["volunteer"];
    CHECK(mine["registration"]["real_name"] == "张伟");
    CHECK(mine["registration"]["birth_date"] == "1980-05-01");
    REQUIRE(mine["claims"].size() == 1);
    CHECK(mine["claims"][0]["state"] == "approved");
    REQUIRE(mine["hours"].size() == 1);
    CHECK(mine["hours"][0]["minutes"] == 90);
    REQUIRE(mine["certificates"].size() == 1);
    CHECK(mine["certificates"][0]["holder_name"] == "张伟");
    CHECK(st.s.get("/api/v1/me/export", st.li).body["stations"]["volunteer"]["claims"].empty());

    int64_t hours_rows = st.count("SELECT count(*) FROM volunteer_hours");
    Response erased = st.s.del("/api/v1/me", st.zhang);
    REQUIRE_MESSAGE(erased.status == 200, erased.text);
    CHECK(st.count("SELECT count(*) FROM volunteer_volunteers WHERE real_name = '张伟'") == 0);
    CHECK(st.count("SELECT count(*) FROM volunteer_claims WHERE state = 'withdrawn' AND reason = '账户已注销'") == 1);
    CHECK(st.count("SELECT count(*) FROM volunteer_hours") == hours_rows);  // the ledger is untouched
    CHECK(st.s.get(cert.body["verify_url"].get<std::string>()).body["name"] == "已注销");
    // The spot is free again: li takes it.
    CHECK(st.claim(st.li, post).status == 201);
}
