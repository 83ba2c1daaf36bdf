// SPDX-License-Identifier: MIT
// 便民服务站: the no-show policy. N no-shows within M days suspend booking for K days (station
// config, with defaults 3 / 30 / 14): booking, joining a waitlist and rescheduling answer
// 422 suspended with until when (Beijing time); the resident is told; staff may lift it early.
#include "it-convenience-fixture.hpp"

using namespace convenience_test;

namespace {
void mark_no_show(Station& st, int64_t booking) {
    Response r = st.act(st.staff, booking, "no-show");
    REQUIRE_MESSAGE(r.status == 200, r.text);
}
}  // namespace

TEST_CASE("no-shows past the configured count suspend booking until a stated time") {
    Station st(json{{"no_show_policy", {{"count", 2}, {"within_days", 30}, {"suspend_days", 7}}}});
    int64_t id = st.define({{"capacity", 1}});
    int64_t later = st.booked(st.zhang, id, "2026-02-13 09:00", "later");  // made before the suspension
    int64_t a = st.booked(st.zhang, id, "2026-02-10 13:30", "a");
    int64_t b = st.booked(st.zhang, id, "2026-02-10 14:00", "b");
    st.booked(st.li, id, "2026-02-12 09:00", "full");
    st.set_clock("2026-02-10 16:50");
    mark_no_show(st, a);
    CHECK(st.notices("convenience.suspended").empty());  // one no-show is not two
    CHECK(st.book(st.zhang, id, "2026-02-12 10:00", "ok").status == 201);
    mark_no_show(st, b);

    auto told = st.notices("convenience.suspended");
    REQUIRE(told.size() == 1);
    CHECK(told[0]["user_id"] == st.s.user_id("zhang"));
    CHECK(told[0]["until"] == "2026-02-17T16:50:00+08:00");
    CHECK(told[0]["until_time"] == "2026-02-17 16:50");
    CHECK(told[0]["no_shows"] == 2);

    Response refused = st.book(st.zhang, id, "2026-02-12 11:00", "x");
    CHECK(refused.status == 422);
    CHECK(error_code(refused) == "suspended");
    CHECK(refused.body["error"]["details"]["until"] == "2026-02-17T16:50:00+08:00");
    CHECK(refused.body["error"]["message"].get<std::string>().find("2026-02-17 16:50") != std::string::npos);
    CHECK(error_code(st.reschedule(st.zhang, later, "2026-02-13 10:00")) == "suspended");
    CHECK(error_code(st.join_waitlist(st.zhang, id, "2026-02-12 09:00", "w")) == "suspended");
    CHECK(st.booking(st.zhang, later).body["state"] == "confirmed");  // bookings already made stay
    CHECK(st.book(st.li, id, "2026-02-12 11:00", "li").status == 201);

    Response list = st.s.get(st.path("/suspensions"), st.staff);
    REQUIRE(list.status == 200);
    REQUIRE(list.body["items"].size() == 1);
    CHECK(list.body["items"][0]["resident"]["display_name"] == "zhang");
    CHECK(list.body["items"][0]["until"] == "2026-02-17T16:50:00+08:00");

    // At its end the suspension is over, and the no-shows it counted never count again.
    st.set_clock("2026-02-17 16:50");
    int64_t c = st.booked(st.zhang, id, "2026-02-24 09:00", "back");  // after the Spring Festival
    st.set_clock("2026-02-24 16:50");
    mark_no_show(st, c);
    CHECK(st.notices("convenience.suspended").size() == 1);
    CHECK(st.book(st.zhang, id, "2026-02-25 09:00", "still-ok").status == 201);
}

TEST_CASE("staff lift a suspension early, with a reason") {
    Station st(json{{"no_show_policy", {{"count", 1}, {"suspend_days", 30}}}});
    int64_t id = st.define();
    int64_t a = st.booked(st.zhang, id, "2026-02-10 13:30", "a");
    st.set_clock("2026-02-10 16:50");
    mark_no_show(st, a);
    CHECK(error_code(st.book(st.zhang, id, "2026-02-11 09:00", "x")) == "suspended");
    int64_t suspension = st.s.get(st.path("/suspensions"), st.staff).body["items"][0]["id"];
    std::string lift = st.path("/suspensions/" + std::to_string(suspension) + "/lift");
    CHECK(error_code(st.s.post(lift, json::object(), st.staff)) == "reason_required");
    CHECK(st.s.post(lift, {{"reason", "误标为未到"}}, st.zhang).status == 403);
    REQUIRE(st.s.post(lift, {{"reason", "误标为未到"}}, st.staff).status == 200);
    CHECK(st.s.post(lift, {{"reason", "再次解除"}}, st.staff).status == 404);
    CHECK(st.book(st.zhang, id, "2026-02-11 09:00", "y").status == 201);
    CHECK(st.s.get(st.path("/suspensions"), st.staff).body["items"].empty());
    CHECK(st.count("SELECT count(*) FROM core_audit WHERE station = 'convenience' AND action = 'suspension.lift' "
                   "AND json_extract(detail, '$.reason') = '误标为未到'") == 1);
}

TEST_CASE("without station config the policy is 3 no-shows in 30 days for 14 days") {
    Station st;
    int64_t id = st.define({{"capacity", 3}});
    std::vector<int64_t> missed;
    for (const char* when : {"2026-02-10 13:30", "2026-02-10 14:00", "2026-02-10 14:30"})
        missed.push_back(st.booked(st.zhang, id, when, when));
    st.set_clock("2026-02-10 16:50");
    mark_no_show(st, missed[0]);
    mark_no_show(st, missed[1]);
    CHECK(st.notices("convenience.suspended").empty());
    mark_no_show(st, missed[2]);
    auto told = st.notices("convenience.suspended");
    REQUIRE(told.size() == 1);
    CHECK(told[0]["until"] == "2026-02-24T16:50:00+08:00");
    CHECK(told[0]["no_shows"] == 3);
}

TEST_CASE("no-shows older than the window do not count") {
    Station st(json{{"no_show_policy", {{"count", 2}, {"within_days", 3}}}});
    int64_t id = st.define();
    int64_t a = st.booked(st.zhang, id, "2026-02-10 13:30", "a");
    st.set_clock("2026-02-10 16:50");
    mark_no_show(st, a);
    st.set_clock("2026-02-13 10:00");
    int64_t b = st.booked(st.zhang, id, "2026-02-13 13:30", "b");
    st.set_clock("2026-02-13 16:50");
    mark_no_show(st, b);  // the first was more than 3 days before
    CHECK(st.notices("convenience.suspended").empty());
    CHECK(st.book(st.zhang, id, "2026-02-24 09:00", "c").status == 201);
}
