// SPDX-License-Identifier: MIT
// 志愿者工作站 end to end, part 1: staff publish the year's projects and posts, residents register
// as volunteers, members declare 双报到, units are registered with their contact person — and
// only this station's staff can change any of it.
#include <set>

#include "it-volunteer-fixture.hpp"

using namespace volunteer_test;

TEST_CASE("staff publish a project and its posts and anyone lists them with the places left") {
    Station st;
    int64_t project = st.project();
    int64_t post = st.post(project, {{"eligibility", {{"members_only", true}, {"training", "交通安全培训"}, {"min_age", 18}, {"max_age", 65}}}});
    st.post(project, {{"role", "楼栋联络员"}, {"time_type", "ongoing"}, {"starts_at", nullptr}, {"ends_at", nullptr}, {"spots", 10}});

    Response list = st.s.get(st.path("/projects?year=2026"));
    REQUIRE(list.status == 200);
    REQUIRE(list.body["items"].size() == 1);
    CHECK(list.body["items"][0]["title"] == "文明交通劝导");
    CHECK(list.body["items"][0]["posts"].size() == 2);
    CHECK(st.s.get(st.path("/projects?year=2025")).body["items"].empty());

    Response one = st.s.get(st.path("/posts", post));
    REQUIRE(one.status == 200);
    CHECK(one.body["starts_at"] == iso("2026-03-07 09:00"));
    CHECK(one.body["spots"] == 3);
    CHECK(one.body["remaining"] == 3);
    CHECK(one.body["eligibility"] == json{{"members_only", true}, {"training", "交通安全培训"}, {"min_age", 18}, {"max_age", 65}});
    CHECK(one.body["project"]["year"] == 2026);
    CHECK(st.ledger_taken("post:" + std::to_string(post)) == 0);
    CHECK(st.count("SELECT capacity FROM core_capacity_resources WHERE station = 'volunteer' AND resource = 'post:" + std::to_string(post) + "'") == 3);

    // An edit is a PUT of the whole post; the ledger follows the new number of spots.
    Response edited = st.s.put(st.path("/posts", post), post_def({{"spots", 5}}), st.staff);
    REQUIRE_MESSAGE(edited.status == 200, edited.text);
    CHECK(edited.body["spots"] == 5);
    CHECK(edited.body["eligibility"]["members_only"] == false);
    CHECK(st.count("SELECT capacity FROM core_capacity_resources WHERE station = 'volunteer' AND resource = 'post:" + std::to_string(post) + "'") == 5);

    // Closing hides a project from the list; staff still see it with ?all=1.
    REQUIRE(st.act(st.staff, "/projects", project, "close").status == 200);
    CHECK(st.s.get(st.path("/projects?year=2026")).body["items"].empty());
    CHECK(st.s.get(st.path("/projects?year=2026&all=1"), st.staff).body["items"].size() == 1);
    CHECK(st.act(st.staff, "/projects", project, "close").status == 409);
    CHECK(st.count("SELECT count(*) FROM core_audit WHERE station = 'volunteer' AND action IN ('project.create', 'post.create', "
                   "'post.update', 'project.close')") == 5);
}

TEST_CASE("a broken post is refused with every problem named") {
    Station st;
    int64_t project = st.project();
    Response r = st.s.post(st.path("/projects", project, "/posts"),
                           {{"role", ""}, {"time_type", "shift"}, {"starts_at", iso("2026-03-07 11:00")}, {"ends_at", iso("2026-03-07 09:00")},
                            {"spots", 0}, {"eligibility", {{"min_age", 70}, {"max_age", 60}}}},
                           st.staff);
    REQUIRE(r.status == 422);
    CHECK(r.body["error"]["code"] == "invalid_post");
    std::set<std::string> fields;
    for (const auto& f : r.body["error"]["details"]["fields"]) fields.insert(f["field"].get<std::string>());
    CHECK(fields == std::set<std::string>{"role", "ends_at", "spots", "eligibility.max_age"});

    Response ongoing = st.s.post(st.path("/projects", project, "/posts"), post_def({{"time_type", "ongoing"}}), st.staff);
    CHECK(ongoing.status == 422);
    CHECK(ongoing.body["error"]["details"]["fields"][0]["field"] == "time_type");
    Response no_year = st.s.post(st.path("/projects"), {{"title", "无年份"}}, st.staff);
    CHECK(no_year.status == 422);
    CHECK(no_year.body["error"]["code"] == "invalid_project");
    CHECK(st.s.post(st.path("/projects", 999, "/posts"), post_def(), st.staff).body["error"]["code"] == "project_not_found");
}

TEST_CASE("staff of another station and residents and anonymous callers cannot touch the station's records") {
    Station st;
    int64_t project = st.project();
    int64_t post = st.post(project);
    int64_t claim = st.claimed(st.zhang, post);
    struct Call {
        const char* method;
        std::string path;
    };
    std::vector<Call> staff_only = {
        {"POST", st.path("/projects")},
        {"PUT", st.path("/projects", project)},
        {"POST", st.path("/projects", project, "/close")},
        {"POST", st.path("/projects", project, "/posts")},
        {"PUT", st.path("/posts", post)},
        {"POST", st.path("/posts", post, "/close")},
        {"GET", st.path("/posts", post, "/claims")},
        {"POST", st.path("/claims", claim, "/approve")},
        {"POST", st.path("/claims", claim, "/decline")},
        {"POST", st.path("/claims", claim, "/cancel")},
        {"GET", st.path("/posts", post, "/code")},
        {"POST", st.path("/posts", post, "/manual-check-in")},
        {"GET", st.path("/posts", post, "/attendance")},
        {"GET", st.path("/hours")},
        {"POST", st.path("/hours", 1, "/approve")},
        {"POST", st.path("/hours", 1, "/adjust")},
        {"POST", st.path("/hours/walk-in")},
        {"GET", st.path("/volunteers")},
        {"POST", st.path("/units")},
        {"POST", st.path("/shop/items")},
        {"POST", st.path("/orders", 1, "/hand-over")},
        {"GET", st.path("/reports/compliance/members")},
        {"GET", st.path("/reports/compliance/units")},
        {"GET", st.path("/exports/service-records")},
    };
    for (const auto& call : staff_only) {
        CAPTURE(call.method);
        CAPTURE(call.path);
        for (const std::string* token : {&st.other_staff, &st.zhang, &st.li}) {
            Response r = std::string(call.method) == "GET" ? st.s.get(call.path, *token)
                         : std::string(call.method) == "PUT" ? st.s.put(call.path, post_def(), *token)
                                                             : st.s.post(call.path, post_def(), *token);
            CHECK(r.status == 403);
        }
        Response anonymous = std::string(call.method) == "GET"   ? st.s.get(call.path)
                             : std::string(call.method) == "PUT" ? st.s.put(call.path, post_def())
                                                                 : st.s.post(call.path, json::object());
        CHECK(anonymous.status == 401);
    }
    // Nothing changed underneath.
    CHECK(st.count("SELECT count(*) FROM volunteer_projects") == 1);
    CHECK(st.count("SELECT spots FROM volunteer_posts") == 3);
    CHECK(st.count("SELECT count(*) FROM volunteer_claims WHERE state = 'approved'") == 1);
}

TEST_CASE("residents register through the forms block, the station keeps no phone and asks the core for one") {
    Station st;
    std::string wu = st.s.login("wu");
    Response bad = st.s.put(st.path("/my/registration"), {{"real_name", ""}, {"birth_date", "1990-02-30"}}, wu);
    REQUIRE(bad.status == 422);
    CHECK(bad.body["error"]["code"] == "form_invalid");
    CHECK(bad.body["error"]["details"]["fields"].size() == 2);
    CHECK(st.s.get(st.path("/my/registration"), wu).body["error"]["code"] == "not_registered");

    Response ok = st.s.put(st.path("/my/registration"), {{"real_name", "吴敏"}, {"birth_date", "1990-02-28"}}, wu);
    REQUIRE_MESSAGE(ok.status == 201, ok.text);
    CHECK(ok.body["real_name"] == "吴敏");
    CHECK_FALSE(ok.body.contains("phone"));
    Response again = st.s.put(st.path("/my/registration"), {{"real_name", "吴敏"}, {"skills", "急救"}}, wu);
    CHECK(again.status == 200);
    CHECK(st.s.get(st.path("/my/registration"), wu).body["skills"] == "急救");
    // A phone number in the answers is not a field of this form: refused, not stored.
    Response phone_given = st.s.put(st.path("/my/registration"), {{"real_name", "吴敏"}, {"phone", "13900001111"}}, wu);
    CHECK(phone_given.status == 422);

    Response list = st.s.get(st.path("/volunteers"), st.staff);
    REQUIRE(list.status == 200);
    REQUIRE(list.body["items"].size() == 3);
    for (const auto& v : list.body["items"]) CHECK_FALSE(v.contains("phone"));
    CHECK(st.s.post(st.path("/volunteers", st.uid("wu"), "/phone"), json::object(), st.staff).status == 422);  // no reason
    // No WeChat-verified number is held for wu: nothing to reveal, and nothing audited.
    Response phone = st.s.post(st.path("/volunteers", st.uid("wu"), "/phone"), {{"reason", "联系排班"}}, st.staff);
    CHECK(phone.status == 404);
    CHECK(phone.body["error"]["code"] == "no_phone");
    CHECK(st.count("SELECT count(*) FROM core_audit WHERE action = 'privacy.phone_revealed'") == 0);
    CHECK(st.s.post(st.path("/volunteers", st.uid("wu"), "/phone"), {{"reason", "x"}}, wu).status == 403);
}

TEST_CASE("members declare 双报到 for a year and units are registered with their contact person") {
    Station st;
    int64_t contact = st.uid("li");
    Response unit = st.s.post(st.path("/units"), {{"name", "区税务局机关党委"}, {"contact_user_id", contact}}, st.staff);
    REQUIRE_MESSAGE(unit.status == 201, unit.text);
    int64_t unit_id = unit.body["id"];
    CHECK(st.s.post(st.path("/units"), {{"name", "区税务局机关党委"}}, st.staff).body["error"]["code"] == "unit_exists");
    CHECK(st.s.post(st.path("/units"), {{"name", "某单位"}, {"contact_user_id", 99999}}, st.staff).status == 422);

    // Residents see the names to pick from; only staff see who the contact is.
    Response seen = st.s.get(st.path("/units"), st.zhang);
    REQUIRE(seen.body["items"].size() == 1);
    CHECK_FALSE(seen.body["items"][0].contains("contact"));
    CHECK(st.s.get(st.path("/units"), st.staff).body["items"][0]["contact"]["user_id"] == contact);

    // Only members declare; an in-service member names their unit.
    CHECK(st.s.put(st.path("/my/declaration"), {{"in_service", false}}, st.li).status == 403);
    Response missing = st.s.put(st.path("/my/declaration"), {{"in_service", true}}, st.zhang);
    CHECK(missing.status == 422);
    CHECK(missing.body["error"]["details"]["fields"][0]["field"] == "unit_id");
    Response declared = st.s.put(st.path("/my/declaration"), {{"year", 2026}, {"unit_id", unit_id}, {"in_service", true}}, st.zhang);
    REQUIRE_MESSAGE(declared.status == 200, declared.text);
    CHECK(declared.body["unit"]["name"] == "区税务局机关党委");
    CHECK(declared.body["in_service"] == true);
    CHECK(st.s.get(st.path("/my/declaration?year=2026"), st.zhang).body["unit"]["id"] == unit_id);
    CHECK(st.s.get(st.path("/my/declaration?year=2025"), st.zhang).body["error"]["code"] == "not_declared");
    // Declaring again for the same year replaces it.
    REQUIRE(st.s.put(st.path("/my/declaration"), {{"year", 2026}, {"in_service", false}, {"public_org", "蓝天救援队"}}, st.zhang).status == 200);
    CHECK(st.count("SELECT count(*) FROM volunteer_declarations") == 1);
    CHECK(st.s.get(st.path("/my/declaration?year=2026"), st.zhang).body["public_org"] == "蓝天救援队");
}
