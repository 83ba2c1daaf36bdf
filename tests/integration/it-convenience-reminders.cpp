// SPDX-License-Identifier: MIT
// 便民服务站 reminders: durable jobs 24 h and 1 h before a slot — one per slot and lead, however
// many book it — run by the host's scheduler when the clock passes them (the test drives
// run_due itself); each booking confirmed then, and booked while the lead was still ahead, is
// reminded once.
#include <set>

#include "it-convenience-fixture.hpp"

using namespace convenience_test;

namespace {
int64_t jobs(Station& st, const std::string& state) {
    return st.count("SELECT count(*) FROM core_jobs WHERE station = 'convenience' AND kind = 'slot_reminder' AND state = '" + state + "'");
}
}  // namespace

TEST_CASE("a slot's reminders are scheduled with its first booking and remind each booking once when the clock passes them") {
    Station st;
    int64_t id = st.define();
    int64_t zhangs = st.booked(st.zhang, id, "2026-02-12 09:00", "k");
    CHECK(jobs(st, "due") == 2);
    CHECK(st.count("SELECT count(*) FROM core_jobs WHERE station = 'convenience' AND due_at = " +
                   std::to_string(beijing("2026-02-11 09:00"))) == 1);
    int64_t lis = st.booked(st.li, id, "2026-02-12 09:00", "k");
    CHECK(jobs(st, "due") == 2);  // the slot's jobs remind li too: nothing more written
    CHECK(st.run_jobs() == 0);

    st.set_clock("2026-02-11 09:00");
    CHECK(st.run_jobs() == 1);
    auto sent = st.notices("convenience.reminder");
    REQUIRE(sent.size() == 2);
    std::set<int64_t> reminded;
    for (const auto& n : sent) {
        CHECK(n["lead"] == "24h");
        CHECK(n["time"] == "2026-02-12 09:00-09:30");
        reminded.insert(n["booking_id"].get<int64_t>());
    }
    CHECK(reminded == std::set<int64_t>{zhangs, lis});
    CHECK(sent[0]["user_id"] != sent[1]["user_id"]);

    // The scheduler promises at least once: a second run of the same job sends nothing more.
    {
        yz::Conn& c = st.s.app().db().conn();
        c.exec("INSERT INTO core_jobs(station, kind, due_at, payload, created_at) SELECT station, kind, due_at, payload, created_at "
               "FROM core_jobs WHERE station = 'convenience' AND state = 'done'");
    }
    CHECK(st.run_jobs() == 1);
    CHECK(st.notices("convenience.reminder").size() == 2);

    st.set_clock("2026-02-12 08:00");
    CHECK(st.run_jobs() == 1);
    sent = st.notices("convenience.reminder");
    REQUIRE(sent.size() == 4);
    CHECK(sent[2]["lead"] == "1h");
    CHECK(sent[3]["lead"] == "1h");
    CHECK(jobs(st, "due") == 0);
}

TEST_CASE("a booking made close to its slot gets only the reminders still ahead") {
    Station st;
    int64_t id = st.define();
    st.booked(st.zhang, id, "2026-02-10 14:00", "soon");
    CHECK(jobs(st, "due") == 1);
    st.set_clock("2026-02-10 13:00");
    CHECK(st.run_jobs() == 1);
    REQUIRE(st.notices("convenience.reminder").size() == 1);
    CHECK(st.notices("convenience.reminder")[0]["lead"] == "1h");
}

TEST_CASE("a booking made after a slot's 24-hour reminder came due is not given it, even when the job runs late") {
    Station st;
    int64_t id = st.define();
    int64_t early = st.booked(st.zhang, id, "2026-02-11 14:00", "early");
    st.set_clock("2026-02-10 15:00");  // the 24-hour reminder is due; the host has not run it yet
    int64_t late = st.booked(st.li, id, "2026-02-11 14:00", "late");
    CHECK(st.run_jobs() == 1);
    auto sent = st.notices("convenience.reminder");
    REQUIRE(sent.size() == 1);
    CHECK(sent[0]["booking_id"] == early);
    CHECK(sent[0]["lead"] == "24h");

    st.set_clock("2026-02-11 13:00");
    CHECK(st.run_jobs() == 1);
    sent = st.notices("convenience.reminder");
    REQUIRE(sent.size() == 3);
    CHECK(std::set<int64_t>{sent[1]["booking_id"].get<int64_t>(), sent[2]["booking_id"].get<int64_t>()} ==
          std::set<int64_t>{early, late});
}

TEST_CASE("cancelled and rejected bookings are not reminded — pending ones only once approved") {
    Station st;
    int64_t plain = st.define();
    int64_t vetted = st.define({{"name", "老年证办理"}, {"rules", {{"approval_required", true}}}});
    int64_t cancelled = st.booked(st.zhang, plain, "2026-02-12 09:00", "a");
    int64_t rejected = st.booked(st.zhang, vetted, "2026-02-12 09:00", "b");
    int64_t approved = st.booked(st.li, vetted, "2026-02-12 09:00", "c");
    CHECK(jobs(st, "due") == 4);  // two slots, two leads
    REQUIRE(st.act(st.zhang, cancelled, "cancel").status == 200);
    REQUIRE(st.act(st.staff, rejected, "reject", {{"reason", "名额已满"}}).status == 200);
    st.set_clock("2026-02-11 09:00");
    CHECK(st.run_jobs() == 2);
    CHECK(st.notices("convenience.reminder").empty());  // li's still pending: not reminded
    REQUIRE(st.act(st.staff, approved, "approve").status == 200);
    st.set_clock("2026-02-12 08:00");
    CHECK(st.run_jobs() == 2);
    auto sent = st.notices("convenience.reminder");
    REQUIRE(sent.size() == 1);
    CHECK(sent[0]["booking_id"] == approved);
    CHECK(sent[0]["lead"] == "1h");
}

namespace {
// Makes `booking` what schema version 2 left: no slot_since, and its own reminder job for `lead`
// (of the slot at `start`, due at `due`) listed in reminder_jobs.
void as_before_slot_reminders(Station& st, int64_t booking, const std::string& lead, const std::string& due,
                              const std::string& start) {
    yz::Conn& c = st.s.app().db().conn();
    json payload = {{"booking_id", booking}, {"lead", lead}, {"start", beijing(start)}};
    c.exec("INSERT INTO core_jobs(station, kind, due_at, payload, created_at) VALUES ('convenience', 'reminder', " +
           std::to_string(beijing(due)) + ", '" + payload.dump() + "', 0)");
    c.exec("UPDATE convenience_bookings SET slot_since = NULL, reminder_jobs = '[' || last_insert_rowid() || ']' WHERE id = " +
           std::to_string(booking));
}
}  // namespace

TEST_CASE("a booking from before reminders by slot is reminded by its own job, once") {
    Station st;
    int64_t id = st.define();
    int64_t old = st.booked(st.zhang, id, "2026-02-12 09:00", "old");
    as_before_slot_reminders(st, old, "24h", "2026-02-11 09:00", "2026-02-12 09:00");
    st.set_clock("2026-02-11 09:00");
    CHECK(st.run_jobs() == 2);  // its own job and the slot's
    auto sent = st.notices("convenience.reminder");
    REQUIRE(sent.size() == 1);
    CHECK(sent[0]["booking_id"] == old);

    // Cancelling one still cancels the jobs it lists.
    int64_t other = st.booked(st.li, id, "2026-02-13 09:00", "other");
    as_before_slot_reminders(st, other, "1h", "2026-02-13 08:00", "2026-02-13 09:00");
    REQUIRE(st.act(st.li, other, "cancel").status == 200);
    CHECK(st.count("SELECT count(*) FROM core_jobs WHERE kind = 'reminder' AND state = 'cancelled'") == 1);
}
