// SPDX-License-Identifier: MIT
// 志愿者工作站 end to end, part 2: claiming. A volunteer claims a post and gets clear refusals
// (closed, not_registered, already_claimed, not_eligible naming the rule, post_full); posts that
// need approval hold a pending claim's spot until staff decide; withdrawal frees the spot until
// the cut-off; unit contacts claim projects for their unit. Nobody sees another's claim.
#include <set>

#include "it-volunteer-fixture.hpp"

using namespace volunteer_test;

TEST_CASE("a member claims a post and a second claim by the same person is already_claimed") {
    Station st;
    int64_t post = st.post(st.project());
    Response r = st.claim(st.zhang, post);
    REQUIRE_MESSAGE(r.status == 201, r.text);
    CHECK(r.body["state"] == "approved");
    CHECK(r.body["post"]["role"] == "路口文明劝导");
    CHECK(r.body["withdrawable"] == true);
    CHECK(r.body["withdraw_deadline"] == iso("2026-03-06 09:00"));
    CHECK(st.ledger_taken("post:" + std::to_string(post)) == 1);
    CHECK(st.s.get(st.path("/posts", post)).body["remaining"] == 2);

    Response again = st.claim(st.zhang, post);
    CHECK(again.status == 409);
    CHECK(again.body["error"]["code"] == "already_claimed");
    CHECK(again.body["error"]["details"]["claim_id"] == r.body["id"]);
    CHECK(st.ledger_taken("post:" + std::to_string(post)) == 1);

    Response mine = st.s.get(st.path("/my/claims"), st.zhang);
    REQUIRE(mine.body["items"].size() == 1);
    CHECK(st.s.get(st.path("/my/claims"), st.li).body["items"].empty());
}

TEST_CASE("claims on closed or finished posts are refused with closed and strangers must register first") {
    Station st;
    int64_t project = st.project();
    int64_t post = st.post(project);
    int64_t over = st.post(project, {{"starts_at", iso("2026-03-01 09:00")}, {"ends_at", iso("2026-03-01 11:00")}});
    Response finished = st.claim(st.zhang, over);
    CHECK(finished.status == 409);
    CHECK(finished.body["error"]["code"] == "closed");
    CHECK(finished.body["error"]["details"]["what"] == "ended");

    std::string stranger = st.s.login("stranger");
    Response unregistered = st.claim(stranger, post);
    CHECK(unregistered.status == 422);
    CHECK(unregistered.body["error"]["code"] == "not_registered");

    REQUIRE(st.act(st.staff, "/posts", post, "close").status == 200);
    Response closed_post = st.claim(st.zhang, post);
    CHECK(closed_post.status == 409);
    CHECK(closed_post.body["error"]["details"]["what"] == "post");

    int64_t open_post = st.post(project);
    REQUIRE(st.act(st.staff, "/projects", project, "close").status == 200);
    Response closed_project = st.claim(st.zhang, open_post);
    CHECK(closed_project.status == 409);
    CHECK(closed_project.body["error"]["details"]["what"] == "project");
    CHECK(st.count("SELECT count(*) FROM volunteer_claims") == 0);
}

TEST_CASE("eligibility refusals name the rule: members only, a named training, an age range") {
    Station st;
    int64_t project = st.project();
    int64_t members = st.post(project, {{"eligibility", {{"members_only", true}}}});
    int64_t trained = st.post(project, {{"eligibility", {{"training", "交通安全培训"}}}});
    int64_t young = st.post(project, {{"eligibility", {{"min_age", 18}, {"max_age", 40}}}});

    Response not_member = st.claim(st.li, members);
    CHECK(not_member.status == 422);
    CHECK(not_member.body["error"]["code"] == "not_eligible");
    CHECK(not_member.body["error"]["details"]["rule"] == "members_only");
    CHECK(st.claim(st.zhang, members).status == 201);

    Response untrained = st.claim(st.zhang, trained);
    CHECK(untrained.body["error"]["code"] == "not_eligible");
    CHECK(untrained.body["error"]["details"] == json{{"rule", "training"}, {"training", "交通安全培训"}});
    REQUIRE(st.s.post(st.path("/volunteers", st.uid("zhang"), "/trainings"), {{"training", "交通安全培训"}, {"completed_on", "2026-02-20"}},
                      st.staff)
                .status == 201);
    CHECK(st.claim(st.zhang, trained).status == 201);

    // zhang was born 1980-05-01: 45 on the day of the shift. li (1990-09-15) is 35.
    Response too_old = st.claim(st.zhang, young);
    CHECK(too_old.body["error"]["code"] == "not_eligible");
    CHECK(too_old.body["error"]["details"]["rule"] == "age");
    CHECK(too_old.body["error"]["details"]["age"] == 45);
    CHECK(too_old.body["error"]["details"]["max_age"] == 40);
    CHECK(st.claim(st.li, young).status == 201);
    std::string no_birthday = st.volunteer("qian", {}, "钱多", "");
    Response unknown_age = st.claim(no_birthday, young);
    CHECK(unknown_age.body["error"]["details"]["rule"] == "age");
    CHECK(unknown_age.body["error"]["details"]["birth_date"].is_null());

    CHECK(st.count("SELECT count(*) FROM volunteer_claims") == 3);
}

TEST_CASE("a full post refuses with post_full and a withdrawal before the cut-off frees the spot") {
    Station st;
    int64_t post = st.post(st.project(), {{"spots", 1}});
    int64_t claim = st.claimed(st.zhang, post);
    Response full = st.claim(st.li, post);
    CHECK(full.status == 409);
    CHECK(full.body["error"]["code"] == "post_full");

    // Someone else's claim cannot be seen or withdrawn: it does not exist for them.
    CHECK(st.s.get(st.path("/claims", claim), st.li).status == 404);
    CHECK(st.act(st.li, "/claims", claim, "withdraw").status == 404);
    CHECK(st.s.get(st.path("/claims", claim), st.staff).body["volunteer"]["name"] == "张伟");

    Response withdrawn = st.act(st.zhang, "/claims", claim, "withdraw");
    REQUIRE_MESSAGE(withdrawn.status == 200, withdrawn.text);
    CHECK(withdrawn.body["state"] == "withdrawn");
    CHECK(st.ledger_taken("post:" + std::to_string(post)) == 0);
    int64_t li_claim = st.claimed(st.li, post);
    // A withdrawn claim can be made again once there is room; the first one stays in the history.
    CHECK(st.claim(st.zhang, post).body["error"]["code"] == "post_full");

    // Past the cut-off (a day before the shift) the volunteer must ask the station instead.
    st.set_clock("2026-03-06 09:01");
    Response late = st.act(st.li, "/claims", li_claim, "withdraw");
    CHECK(late.status == 422);
    CHECK(late.body["error"]["code"] == "withdraw_too_late");
    CHECK(late.body["error"]["details"]["deadline"] == iso("2026-03-06 09:00"));
    CHECK(st.s.get(st.path("/claims", li_claim), st.li).body["withdrawable"] == false);
    Response cancelled = st.act(st.staff, "/claims", li_claim, "cancel", {{"reason", "身体不适"}});
    REQUIRE_MESSAGE(cancelled.status == 200, cancelled.text);
    CHECK(cancelled.body["state"] == "cancelled");
    CHECK(st.ledger_taken("post:" + std::to_string(post)) == 0);
    CHECK(st.notices("volunteer.claim_cancelled").size() == 1);
}

TEST_CASE("a post needing approval holds a pending claim's spot until staff approve or decline with a reason") {
    Station st;
    int64_t post = st.post(st.project(), {{"spots", 2}, {"approval_required", true}});
    int64_t a = st.claimed(st.zhang, post);
    int64_t b = st.claimed(st.li, post);
    CHECK(st.s.get(st.path("/claims", a), st.zhang).body["state"] == "pending");
    CHECK(st.ledger_taken("post:" + std::to_string(post)) == 2);
    CHECK(st.claim(st.volunteer("sun", {}, "孙丽", "1985-01-01"), post).body["error"]["code"] == "post_full");

    // A volunteer cannot approve anything, and staff of another station neither.
    CHECK(st.act(st.zhang, "/claims", a, "approve").status == 403);
    CHECK(st.act(st.other_staff, "/claims", a, "approve").status == 403);

    Response approved = st.act(st.staff, "/claims", a, "approve");
    REQUIRE_MESSAGE(approved.status == 200, approved.text);
    CHECK(approved.body["state"] == "approved");
    CHECK(st.act(st.staff, "/claims", a, "approve").body["error"]["code"] == "invalid_transition");

    Response no_reason = st.act(st.staff, "/claims", b, "decline");
    CHECK(no_reason.status == 422);
    CHECK(no_reason.body["error"]["code"] == "reason_required");
    Response declined = st.act(st.staff, "/claims", b, "decline", {{"reason", "本岗位需有经验的志愿者"}});
    REQUIRE(declined.status == 200);
    CHECK(declined.body["state"] == "declined");
    CHECK(st.ledger_taken("post:" + std::to_string(post)) == 1);

    auto yes = st.notices("volunteer.claim_approved");
    auto no = st.notices("volunteer.claim_declined");
    REQUIRE(yes.size() == 1);
    REQUIRE(no.size() == 1);
    CHECK(yes[0]["user_id"] == st.uid("zhang"));
    CHECK(yes[0]["time"] == "2026-03-07 09:00-11:00");
    CHECK(no[0]["user_id"] == st.uid("li"));
    CHECK(no[0]["reason"] == "本岗位需有经验的志愿者");
    CHECK(st.count("SELECT count(*) FROM core_audit WHERE station = 'volunteer' AND action IN ('volunteer_claim.approve', "
                   "'volunteer_claim.decline')") == 2);
}

TEST_CASE("an approved claim gets a shift reminder the day before and a withdrawn one does not") {
    Station st;
    int64_t post = st.post(st.project());
    st.claimed(st.zhang, post);
    int64_t gone = st.claimed(st.li, post);
    CHECK(st.count("SELECT count(*) FROM core_jobs WHERE station = 'volunteer' AND kind = 'shift_reminder' AND state = 'due'") == 2);
    REQUIRE(st.act(st.li, "/claims", gone, "withdraw").status == 200);
    CHECK(st.count("SELECT count(*) FROM core_jobs WHERE station = 'volunteer' AND kind = 'shift_reminder' AND state = 'due'") == 1);

    st.set_clock("2026-03-06 08:59");
    st.s.app().scheduler().run_due();
    CHECK(st.notices("volunteer.shift_reminder").empty());
    st.set_clock("2026-03-06 09:00");
    st.s.app().scheduler().run_due();
    auto sent = st.notices("volunteer.shift_reminder");
    REQUIRE(sent.size() == 1);
    CHECK(sent[0]["user_id"] == st.uid("zhang"));
    CHECK(sent[0]["location"] == "幸福路口");
    CHECK(sent[0]["time"] == "2026-03-07 09:00-11:00");
}

TEST_CASE("moving a shift moves its reminder and tells the volunteers who claimed it") {
    Station st;
    int64_t project = st.project();
    int64_t post = st.post(project, {{"approval_required", true}});
    int64_t approved = st.claimed(st.zhang, post);
    REQUIRE(st.act(st.staff, "/claims", approved, "approve").status == 200);
    st.claimed(st.li, post);  // still pending: told of the move, no reminder yet
    auto due_jobs = [&] {
        return st.count("SELECT count(*) FROM core_jobs WHERE station = 'volunteer' AND kind = 'shift_reminder' AND state = 'due'");
    };
    REQUIRE(due_jobs() == 1);

    // A day later and across the road.
    Response moved = st.s.put(st.path("/posts", post, ""),
                              post_def({{"starts_at", iso("2026-03-08 14:00")}, {"ends_at", iso("2026-03-08 16:00")},
                                        {"location", "幸福路口东"}, {"approval_required", true}}),
                              st.staff);
    REQUIRE_MESSAGE(moved.status == 200, moved.text);
    CHECK(due_jobs() == 1);
    CHECK(st.count("SELECT count(*) FROM core_jobs WHERE station = 'volunteer' AND kind = 'shift_reminder' AND state = 'due' AND due_at = " +
                   std::to_string(beijing("2026-03-07 14:00"))) == 1);
    auto told = st.notices("volunteer.shift_changed");
    REQUIRE(told.size() == 2);
    std::set<int64_t> who;
    for (const auto& n : told) {
        who.insert(n["user_id"].get<int64_t>());
        CHECK(n["time"] == "2026-03-08 14:00-16:00");
        CHECK(n["location"] == "幸福路口东");
    }
    CHECK(who == std::set<int64_t>{st.uid("zhang"), st.uid("li")});

    // Nothing at the old reminder time; the reminder comes a day before the new start.
    st.set_clock("2026-03-06 09:00");
    st.s.app().scheduler().run_due();
    CHECK(st.notices("volunteer.shift_reminder").empty());
    st.set_clock("2026-03-07 14:00");
    st.s.app().scheduler().run_due();
    auto sent = st.notices("volunteer.shift_reminder");
    REQUIRE(sent.size() == 1);
    CHECK(sent[0]["user_id"] == st.uid("zhang"));
    CHECK(sent[0]["time"] == "2026-03-08 14:00-16:00");

    // Changing only the spots tells nobody.
    REQUIRE(st.s.put(st.path("/posts", post, ""),
                     post_def({{"starts_at", iso("2026-03-08 14:00")}, {"ends_at", iso("2026-03-08 16:00")},
                               {"location", "幸福路口东"}, {"approval_required", true}, {"spots", 5}}),
                     st.staff)
                .status == 200);
    CHECK(st.notices("volunteer.shift_changed").size() == 2);
}

TEST_CASE("a unit contact claims a project for the unit and staff mark it completed") {
    Station st;
    int64_t project = st.project();
    int64_t closed_to_units = st.project({{"title", "楼道清洁"}, {"unit_claimable", false}});
    std::string contact = st.s.login("chen", {"unit_contact"});
    std::string other_contact = st.s.login("zhou", {"unit_contact"});
    Response unit = st.s.post(st.path("/units"), {{"name", "区税务局机关党委"}, {"contact_user_id", st.uid("chen")}}, st.staff);
    REQUIRE(unit.status == 201);

    // The role alone is not enough: the station must know which unit the person speaks for.
    Response unlinked = st.s.post(st.path("/projects", project, "/unit-claims"), json::object(), other_contact);
    CHECK(unlinked.status == 403);
    CHECK(unlinked.body["error"]["code"] == "not_unit_contact");
    CHECK(st.s.post(st.path("/projects", project, "/unit-claims"), json::object(), st.zhang).status == 403);
    CHECK(st.s.post(st.path("/projects", closed_to_units, "/unit-claims"), json::object(), contact).body["error"]["details"]["rule"] ==
          "unit_claimable");

    Response claimed = st.s.post(st.path("/projects", project, "/unit-claims"), json::object(), contact);
    REQUIRE_MESSAGE(claimed.status == 201, claimed.text);
    CHECK(claimed.body["state"] == "claimed");
    CHECK(claimed.body["unit"]["name"] == "区税务局机关党委");
    CHECK(st.s.post(st.path("/projects", project, "/unit-claims"), json::object(), contact).body["error"]["code"] == "already_claimed");
    int64_t id = claimed.body["id"];

    CHECK(st.act(contact, "/unit-claims", id, "complete").status == 403);
    CHECK(st.act(other_contact, "/unit-claims", id, "withdraw").status == 404);
    Response done = st.act(st.staff, "/unit-claims", id, "complete");
    REQUIRE(done.status == 200);
    CHECK(done.body["state"] == "completed");
    Response mine = st.s.get(st.path("/my/unit"), contact);
    REQUIRE(mine.body["claims"].size() == 1);
    CHECK(mine.body["claims"][0]["state"] == "completed");
    CHECK(st.act(contact, "/unit-claims", id, "withdraw").body["error"]["code"] == "invalid_transition");
}
