// SPDX-License-Identifier: MIT
// 志愿者工作站 end to end, part 4: the hours ledger. A record of service is pending until staff
// approve, adjust or decline it; each decision is a new entry naming the one it supersedes, the
// tables refuse UPDATE and DELETE outright, nobody decides their own hours, and a volunteer sees
// only their own records.
#include "it-volunteer-fixture.hpp"

using namespace volunteer_test;

namespace {
// An ongoing post (no shift times), so one volunteer can serve it several times a day.
int64_t desk_post(Station& st) {
    return st.post(st.project(), {{"role", "服务台值班"}, {"time_type", "ongoing"}, {"starts_at", nullptr}, {"ends_at", nullptr}, {"spots", 20}});
}
}  // namespace

TEST_CASE("decisions are new ledger entries and the tables refuse UPDATE and DELETE") {
    Station st;
    int64_t post = st.post(st.project());
    st.claimed(st.zhang, post);
    int64_t record = st.serve(st.zhang, post, "2026-03-07 09:00", "2026-03-07 11:00");
    REQUIRE(st.act(st.staff, "/hours", record, "approve").status == 200);
    Response adjusted = st.act(st.staff, "/hours", record, "adjust", {{"minutes", 90}, {"reason", "提前离岗"}});
    REQUIRE_MESSAGE(adjusted.status == 200, adjusted.text);
    CHECK(adjusted.body["status"] == "approved");
    CHECK(adjusted.body["minutes"] == 90);
    CHECK(adjusted.body["logged_minutes"] == 120);
    CHECK(adjusted.body["decision"]["kind"] == "adjusted");
    CHECK(adjusted.body["decision"]["reason"] == "提前离岗");

    Response history = st.s.get(st.path("/hours", record), st.zhang);
    REQUIRE(history.status == 200);
    json entries = history.body["entries"];
    REQUIRE(entries.size() == 3);
    CHECK(entries[0]["kind"] == "logged");
    CHECK(entries[0]["refers_to"].is_null());
    CHECK(entries[1]["kind"] == "approved");
    CHECK(entries[1]["refers_to"] == entries[0]["id"]);
    CHECK(entries[1]["minutes"] == 120);
    CHECK(entries[1]["by"] == "wang");
    CHECK(entries[2]["kind"] == "adjusted");
    CHECK(entries[2]["refers_to"] == entries[1]["id"]);
    CHECK(entries[2]["minutes"] == 90);
    CHECK(entries[2]["reason"] == "提前离岗");

    // Straight at the database, past every route: the triggers refuse any edit of either ledger.
    yz::Conn& c = st.s.app().db().conn();
    CHECK_THROWS_WITH_AS(c.exec("UPDATE volunteer_hours SET minutes = 600"), doctest::Contains("append-only"), std::exception);
    CHECK_THROWS_WITH_AS(c.exec("DELETE FROM volunteer_hours WHERE kind = 'adjusted'"), doctest::Contains("append-only"), std::exception);
    CHECK_THROWS_WITH_AS(c.exec("UPDATE volunteer_points SET delta = 1000"), doctest::Contains("append-only"), std::exception);
    CHECK_THROWS_WITH_AS(c.exec("DELETE FROM volunteer_points"), doctest::Contains("append-only"), std::exception);
    CHECK(st.count("SELECT count(*) FROM volunteer_hours") == 3);
    CHECK(st.count("SELECT sum(delta) FROM volunteer_points") == 10);
    // And there is no route to edit or delete a record.
    CHECK(st.s.put(st.path("/hours", record), {{"minutes", 600}}, st.staff).status >= 404);
    CHECK(st.s.del(st.path("/hours", record), st.staff).status >= 404);
    CHECK(st.s.get(st.path("/hours", record), st.zhang).body["minutes"] == 90);
}

TEST_CASE("staff approve and adjust and decline with reasons and the volunteer hears each") {
    Station st;
    int64_t post = desk_post(st);
    st.claimed(st.zhang, post);
    int64_t first = st.serve(st.zhang, post, "2026-03-02 10:00", "2026-03-02 11:00");
    int64_t second = st.serve(st.zhang, post, "2026-03-02 12:00", "2026-03-02 13:00");
    int64_t third = st.serve(st.zhang, post, "2026-03-02 14:00", "2026-03-02 15:30");

    CHECK(st.act(st.staff, "/hours", second, "adjust", {{"minutes", 45}}).body["error"]["code"] == "invalid_field");
    CHECK(st.act(st.staff, "/hours", second, "adjust", {{"minutes", 2000}, {"reason", "x"}}).status == 422);
    CHECK(st.act(st.staff, "/hours", third, "decline").status == 422);

    REQUIRE(st.act(st.staff, "/hours", first, "approve").status == 200);
    REQUIRE(st.act(st.staff, "/hours", second, "adjust", {{"minutes", 45}, {"reason", "迟到 15 分钟"}}).status == 200);
    REQUIRE(st.act(st.staff, "/hours", third, "decline", {{"reason", "未在岗"}}).status == 200);
    CHECK(st.act(st.staff, "/hours", first, "approve").body["error"]["code"] == "invalid_transition");
    CHECK(st.act(st.staff, "/hours", third, "decline", {{"reason", "again"}}).body["error"]["code"] == "invalid_transition");

    auto approved = st.notices("volunteer.hours_approved");
    auto adjusted = st.notices("volunteer.hours_adjusted");
    auto declined = st.notices("volunteer.hours_declined");
    REQUIRE(approved.size() == 1);
    REQUIRE(adjusted.size() == 1);
    REQUIRE(declined.size() == 1);
    CHECK(approved[0]["record_id"] == first);
    CHECK(approved[0]["hours"] == 1.0);
    CHECK(adjusted[0]["minutes"] == 45);
    CHECK(adjusted[0]["reason"] == "迟到 15 分钟");
    CHECK(declined[0]["reason"] == "未在岗");
    CHECK(declined[0]["user_id"] == st.uid("zhang"));

    Response mine = st.s.get(st.path("/my/hours"), st.zhang);
    CHECK(mine.body["approved_minutes"] == 60 + 45);
    CHECK(mine.body["pending_minutes"] == 0);
    CHECK(st.count("SELECT count(*) FROM core_audit WHERE station = 'volunteer' AND action IN ('hours.approved', 'hours.adjusted', "
                   "'hours.declined')") == 3);
    // A declined record can still be corrected by an adjustment, with a reason, as a new entry.
    Response revived = st.act(st.staff, "/hours", third, "adjust", {{"minutes", 90}, {"reason", "核实后确在岗"}});
    CHECK(revived.body["status"] == "approved");
    CHECK(st.s.get(st.path("/hours", third), st.zhang).body["entries"].size() == 3);
}

TEST_CASE("nobody decides their own hours") {
    Station st;
    int64_t post = desk_post(st);
    std::string wang_as_volunteer = st.volunteer("wang", {}, "王强", "1975-01-01");  // staff who also volunteers
    std::string wu = st.s.login("wu", {"staff:volunteer"});
    st.claimed(wang_as_volunteer, post);
    int64_t own = st.serve(wang_as_volunteer, post, "2026-03-02 10:00", "2026-03-02 12:00");

    Response self = st.act(st.staff, "/hours", own, "approve");
    CHECK(self.status == 403);
    CHECK(self.body["error"]["code"] == "own_hours");
    CHECK(st.act(st.staff, "/hours", own, "adjust", {{"minutes", 600}, {"reason", "加班"}}).body["error"]["code"] == "own_hours");
    CHECK(st.s.get(st.path("/hours", own), st.staff).body["status"] == "pending");
    Response other = st.act(wu, "/hours", own, "approve");
    REQUIRE(other.status == 200);
    CHECK(other.body["decision"]["by"] == "wu");

    // A walk-in staff log for someone else is approved by the logging; for oneself it waits.
    Response for_zhang = st.s.post(st.path("/hours/walk-in"),
                                   {{"user_id", st.uid("zhang")}, {"project_id", 1}, {"date", "2026-03-01"}, {"minutes", 90}, {"note", "协助发放物资"}},
                                   st.staff);
    REQUIRE_MESSAGE(for_zhang.status == 201, for_zhang.text);
    CHECK(for_zhang.body["status"] == "approved");
    CHECK(for_zhang.body["source"] == "walk_in");
    CHECK(for_zhang.body["minutes"] == 90);
    Response for_self = st.s.post(st.path("/hours/walk-in"),
                                  {{"user_id", st.uid("wang")}, {"project_id", 1}, {"started_at", iso("2026-03-01 14:00")},
                                   {"ended_at", iso("2026-03-01 16:30")}},
                                  st.staff);
    REQUIRE_MESSAGE(for_self.status == 201, for_self.text);
    CHECK(for_self.body["status"] == "pending");
    CHECK(for_self.body["minutes"] == 150);
    CHECK(st.s.post(st.path("/hours/walk-in"), {{"user_id", st.uid("zhang")}, {"project_id", 1}}, st.staff).status == 422);
}

TEST_CASE("a volunteer sees and touches only their own hours") {
    Station st;
    int64_t post = desk_post(st);
    st.claimed(st.zhang, post);
    int64_t record = st.serve(st.zhang, post, "2026-03-02 10:00", "2026-03-02 11:00");
    CHECK(st.s.get(st.path("/hours", record), st.li).status == 404);
    CHECK(st.s.get(st.path("/hours", record), st.li).body["error"]["code"] == "hours_not_found");
    CHECK(st.act(st.li, "/hours", record, "approve").status == 403);
    CHECK(st.act(st.other_staff, "/hours", record, "decline", {{"reason", "x"}}).status == 403);
    CHECK(st.s.get(st.path("/my/hours"), st.li).body["items"].empty());
    CHECK(st.s.get(st.path("/hours", record), st.zhang).body["status"] == "pending");
}
