// SPDX-License-Identifier: MIT
// 便民服务站 reminders: durable jobs 24 h and 1 h before a booking, run by the host's scheduler
// when the clock passes them (the test drives run_due itself), sent once, and dropped with the
// booking.
#include "it-convenience-fixture.hpp"

using namespace convenience_test;

namespace {
int64_t jobs(Station& st, const std::string& state) {
    return st.count("SELECT count(*) FROM core_jobs WHERE station = 'convenience' AND kind = 'reminder' AND state = '" + state + "'");
}
}  // namespace

TEST_CASE("reminders are scheduled with the booking and fire once when the clock passes them") {
    Station st;
    int64_t id = st.define();
    int64_t booking = st.booked(st.zhang, id, "2026-02-12 09:00", "k");
    CHECK(jobs(st, "due") == 2);
    CHECK(st.count("SELECT count(*) FROM core_jobs WHERE station = 'convenience' AND due_at = " +
                   std::to_string(beijing("2026-02-11 09:00"))) == 1);
    CHECK(st.s.app().scheduler().run_due() == 0);

    st.set_clock("2026-02-11 09:00");
    CHECK(st.s.app().scheduler().run_due() == 1);
    auto sent = st.notices("convenience.reminder");
    REQUIRE(sent.size() == 1);
    CHECK(sent[0]["lead"] == "24h");
    CHECK(sent[0]["booking_id"] == booking);
    CHECK(sent[0]["time"] == "2026-02-12 09:00-09:30");
    CHECK(sent[0]["user_id"] == st.s.user_id("zhang"));

    // The scheduler promises at least once: a second run of the same job sends nothing more.
    {
        yz::Conn& c = st.s.app().db().conn();
        c.exec("INSERT INTO core_jobs(station, kind, due_at, payload, created_at) SELECT station, kind, due_at, payload, created_at "
               "FROM core_jobs WHERE station = 'convenience' AND state = 'done'");
    }
    CHECK(st.s.app().scheduler().run_due() == 1);
    CHECK(st.notices("convenience.reminder").size() == 1);

    st.set_clock("2026-02-12 08:00");
    CHECK(st.s.app().scheduler().run_due() == 1);
    sent = st.notices("convenience.reminder");
    REQUIRE(sent.size() == 2);
    CHECK(sent[1]["lead"] == "1h");
    CHECK(jobs(st, "due") == 0);
}

TEST_CASE("a booking made close to its slot gets only the reminders still ahead") {
    Station st;
    int64_t id = st.define();
    st.booked(st.zhang, id, "2026-02-10 14:00", "soon");
    CHECK(jobs(st, "due") == 1);
    st.set_clock("2026-02-10 13:00");
    CHECK(st.s.app().scheduler().run_due() == 1);
    REQUIRE(st.notices("convenience.reminder").size() == 1);
    CHECK(st.notices("convenience.reminder")[0]["lead"] == "1h");
}

TEST_CASE("cancelled and rejected bookings are not reminded — pending ones only once approved") {
    Station st;
    int64_t plain = st.define();
    int64_t vetted = st.define({{"name", "老年证办理"}, {"rules", {{"approval_required", true}}}});
    int64_t cancelled = st.booked(st.zhang, plain, "2026-02-12 09:00", "a");
    int64_t rejected = st.booked(st.zhang, vetted, "2026-02-12 09:00", "b");
    int64_t approved = st.booked(st.li, vetted, "2026-02-12 09:00", "c");
    CHECK(jobs(st, "due") == 6);
    REQUIRE(st.act(st.zhang, cancelled, "cancel").status == 200);
    REQUIRE(st.act(st.staff, rejected, "reject", {{"reason", "名额已满"}}).status == 200);
    CHECK(jobs(st, "cancelled") == 4);
    st.set_clock("2026-02-11 09:00");
    CHECK(st.s.app().scheduler().run_due() == 1);
    CHECK(st.notices("convenience.reminder").empty());  // still pending: not reminded
    REQUIRE(st.act(st.staff, approved, "approve").status == 200);
    st.set_clock("2026-02-12 08:00");
    CHECK(st.s.app().scheduler().run_due() == 1);
    auto sent = st.notices("convenience.reminder");
    REQUIRE(sent.size() == 1);
    CHECK(sent[0]["booking_id"] == approved);
    CHECK(sent[0]["lead"] == "1h");
}
