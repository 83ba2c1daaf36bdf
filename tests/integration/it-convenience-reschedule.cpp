// SPDX-License-Identifier: MIT
// 便民服务站: rescheduling. A booking moves atomically — the new place is taken before the old one
// is released, so a refusal leaves the resident with the place they had — under the same rules as
// a new booking; its reminders move with it; staff may move one with a reason the resident hears.
#include "it-convenience-fixture.hpp"

using namespace convenience_test;

TEST_CASE("a reschedule takes the new place, then frees the old one, keeping the booking's id and code") {
    Station st;
    int64_t id = st.define({{"capacity", 1}});
    Response first = st.book(st.zhang, id, "2026-02-11 09:00", "a");
    REQUIRE(first.status == 201);
    int64_t booking = first.body["id"];

    Response moved = st.reschedule(st.zhang, booking, "2026-02-12 14:00");
    REQUIRE_MESSAGE(moved.status == 200, moved.text);
    CHECK(moved.body["id"] == booking);
    CHECK(moved.body["code"] == first.body["code"]);
    CHECK(moved.body["state"] == "confirmed");
    CHECK(moved.body["start"] == "2026-02-12T14:00:00+08:00");
    CHECK(moved.body["time"] == "2026-02-12 14:00-14:30");
    CHECK(st.ledger_taken(id, "2026-02-11 09:00") == 0);
    CHECK(st.ledger_taken(id, "2026-02-12 14:00") == 1);
    CHECK(st.slot(id, "2026-02-11 09:00")["remaining"] == 1);
    CHECK(st.slot(id, "2026-02-12 14:00")["remaining"] == 0);
    CHECK(st.count("SELECT count(*) FROM convenience_bookings") == 1);
    auto told = st.notices("convenience.rescheduled");
    REQUIRE(told.size() == 1);
    CHECK(told[0]["user_id"] == st.s.user_id("zhang"));
    CHECK(told[0]["old_time"] == "2026-02-11 09:00-09:30");
    CHECK(told[0]["time"] == "2026-02-12 14:00-14:30");
    CHECK(st.count("SELECT count(*) FROM core_audit WHERE station = 'convenience' AND action = 'booking.reschedule' "
                   "AND json_extract(detail, '$.to') = '2026-02-12T14:00:00+08:00'") == 1);

    // The freed place can be booked by someone else at once; moving back and forth works.
    CHECK(st.book(st.li, id, "2026-02-11 09:00", "b").status == 201);
    CHECK(st.reschedule(st.zhang, booking, "2026-02-13 09:00").status == 200);
    CHECK(st.reschedule(st.zhang, booking, "2026-02-12 14:00").status == 200);
    CHECK(st.ledger_taken(id, "2026-02-12 14:00") == 1);
    CHECK(st.ledger_taken(id, "2026-02-13 09:00") == 0);
    // Moving to where it already is changes nothing (a retry of a move that went through).
    Response again = st.reschedule(st.zhang, booking, "2026-02-12 14:00");
    CHECK(again.status == 200);
    CHECK(st.notices("convenience.rescheduled").size() == 3);
}

TEST_CASE("a refused reschedule leaves the booking where it was") {
    Station st;
    json form = json::parse(R"([{"name": "phone", "label": "联系电话", "type": "phone", "required": true}])");
    int64_t id = st.define({{"capacity", 1}, {"form", form}, {"rules", {{"quota", {{"count", 2}, {"per", "week"}}}}}});
    json ok_form = {{"phone", "13800138000"}};
    int64_t mine = st.booked(st.zhang, id, "2026-02-11 09:00", "a", ok_form);
    st.booked(st.li, id, "2026-02-11 10:00", "b", ok_form);
    auto unchanged = [&] {
        json b = st.booking(st.zhang, mine).body;
        CHECK(b["start"] == "2026-02-11T09:00:00+08:00");
        CHECK(b["state"] == "confirmed");
        CHECK(st.ledger_taken(id, "2026-02-11 09:00") == 1);
    };

    SUBCASE("slot_full: the new slot has no place") {
        Response r = st.reschedule(st.zhang, mine, "2026-02-11 10:00");
        CHECK(r.status == 409);
        CHECK(error_code(r) == "slot_full");
        CHECK(st.ledger_taken(id, "2026-02-11 10:00") == 1);
        unchanged();
    }
    SUBCASE("too_late and too_far_ahead, as for a booking") {
        CHECK(error_code(st.reschedule(st.zhang, mine, "2026-02-10 10:30")) == "too_late");
        CHECK(error_code(st.reschedule(st.zhang, mine, "2026-02-25 09:00")) == "too_far_ahead");
        CHECK(error_code(st.reschedule(st.zhang, mine, "2026-02-16 09:00")) == "slot_unavailable");  // 春节
        unchanged();
    }
    SUBCASE("quota_exceeded counts the moved booking once, not twice") {
        st.booked(st.zhang, id, "2026-02-12 09:00", "c", ok_form);
        // Two this week already; moving one of them within the week is fine...
        CHECK(st.reschedule(st.zhang, mine, "2026-02-13 09:00").status == 200);
        // ...and a third booking is not.
        CHECK(error_code(st.book(st.zhang, id, "2026-02-13 10:00", "d", ok_form)) == "quota_exceeded");
    }
    SUBCASE("reschedule_too_late: inside the cut-off only staff may move it") {
        st.set_clock("2026-02-11 07:30");  // 90 minutes before, cut-off 120
        Response r = st.reschedule(st.zhang, mine, "2026-02-12 09:00");
        CHECK(r.status == 422);
        CHECK(error_code(r) == "reschedule_too_late");
        CHECK(r.body["error"]["details"]["deadline"] == "2026-02-11T07:00:00+08:00");
        unchanged();
    }
    SUBCASE("a booking no longer pending or confirmed cannot move") {
        REQUIRE(st.act(st.zhang, mine, "cancel").status == 200);
        Response r = st.reschedule(st.zhang, mine, "2026-02-12 09:00");
        CHECK(r.status == 409);
        CHECK(error_code(r) == "invalid_transition");
        CHECK(st.ledger_taken(id, "2026-02-12 09:00") == 0);
    }
    SUBCASE("another resident's booking is not theirs to move") {
        Response r = st.reschedule(st.li, mine, "2026-02-12 09:00");
        CHECK(r.status == 404);
        CHECK(error_code(r) == "booking_not_found");
        unchanged();
    }
}

TEST_CASE("reminders move with the booking") {
    Station st;
    int64_t id = st.define();
    int64_t booking = st.booked(st.zhang, id, "2026-02-12 09:00", "a");
    REQUIRE(st.reschedule(st.zhang, booking, "2026-02-13 14:00").status == 200);
    // The new slot's reminders are scheduled; the old slot's stay for whoever else books it.
    CHECK(st.count("SELECT count(*) FROM core_jobs WHERE station = 'convenience' AND kind = 'slot_reminder' AND state = 'due' AND due_at = ?1",
                   beijing("2026-02-12 14:00")) == 1);
    CHECK(st.count("SELECT count(*) FROM core_jobs WHERE station = 'convenience' AND kind = 'slot_reminder' AND state = 'due' AND due_at = ?1",
                   beijing("2026-02-13 13:00")) == 1);

    st.set_clock("2026-02-11 09:00");  // the old 24-hour reminder's time: it runs, for nobody
    CHECK(st.run_jobs() == 1);
    CHECK(st.notices("convenience.reminder").empty());

    st.set_clock("2026-02-12 14:00");
    st.run_jobs();
    auto sent = st.notices("convenience.reminder");
    REQUIRE(sent.size() == 1);
    CHECK(sent[0]["lead"] == "24h");
    CHECK(sent[0]["time"] == "2026-02-13 14:00-14:30");  // Beijing time, the new slot
    CHECK(sent[0]["start"] == "2026-02-13T14:00:00+08:00");

    // After a reminder was sent, moving again re-arms both reminders for the new time.
    REQUIRE(st.reschedule(st.zhang, booking, "2026-02-24 09:00").status == 200);
    st.set_clock("2026-02-23 09:00");
    st.run_jobs();
    sent = st.notices("convenience.reminder");
    REQUIRE(sent.size() == 2);
    CHECK(sent[1]["lead"] == "24h");
    CHECK(sent[1]["time"] == "2026-02-24 09:00-09:30");
    st.set_clock("2026-02-24 08:00");
    st.run_jobs();
    sent = st.notices("convenience.reminder");
    REQUIRE(sent.size() == 3);
    CHECK(sent[2]["lead"] == "1h");
}

TEST_CASE("staff move a booking with a reason and the resident is told it was changed by staff") {
    Station st;
    int64_t id = st.define();
    int64_t booking = st.booked(st.zhang, id, "2026-02-11 09:00", "a");
    Response no_reason = st.reschedule(st.staff, booking, "2026-02-11 10:00");
    CHECK(no_reason.status == 422);
    CHECK(no_reason.body["error"]["code"] == "reason_required");
    st.set_clock("2026-02-11 08:00");  // inside the resident's cut-off: staff may still move it
    Response moved = st.reschedule(st.staff, booking, "2026-02-11 10:00", {{"reason", "窗口设备检修，顺延一小时"}});
    REQUIRE_MESSAGE(moved.status == 200, moved.text);
    CHECK(moved.body["resident"]["display_name"] == "zhang");
    auto told = st.notices("convenience.changed_by_staff");
    REQUIRE(told.size() == 1);
    CHECK(told[0]["user_id"] == st.s.user_id("zhang"));
    CHECK(told[0]["change"] == "rescheduled");
    CHECK(told[0]["reason"] == "窗口设备检修，顺延一小时");
    CHECK(told[0]["old_time"] == "2026-02-11 09:00-09:30");
    CHECK(told[0]["time"] == "2026-02-11 10:00-10:30");
    CHECK(st.notices("convenience.rescheduled").empty());
}
