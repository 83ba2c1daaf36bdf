// SPDX-License-Identifier: MIT
// 便民服务站 under contention: many residents racing for a slot over real HTTP, and retries of
// one request. The capacity ledger's place and the booking row commit together, so the count of
// bookings, the ledger and the answers residents get always agree.
#include "it-convenience-fixture.hpp"
#include "../support/race.hpp"

using namespace convenience_test;
using yz::test::describe;
using yz::test::outcome;

namespace {
// Every racer books `local` at once with its own key.
yz::test::Outcomes race(Station& st, int64_t service, const std::string& local, const std::vector<std::string>& tokens,
                        const std::string& key_prefix) {
    return yz::test::race(static_cast<int>(tokens.size()), [&](int i) {
        return outcome(st.book(tokens[i], service, local, key_prefix + std::to_string(i)), 201, "booked");
    });
}

}  // namespace

TEST_CASE("64 residents race for a slot with 5 places: exactly 5 bookings, 59 clear slot_full refusals") {
    Station st;
    int64_t id = st.define({{"capacity", 5}});
    auto outcomes = race(st, id, "2026-02-11 09:00", st.residents(64, "r"), "k");
    INFO(describe(outcomes));
    CHECK(outcomes["booked"] == 5);
    CHECK(outcomes["409 slot_full"] == 59);
    CHECK(outcomes.size() == 2);
    CHECK(st.count("SELECT count(*) FROM convenience_bookings") == 5);
    CHECK(st.ledger_taken(id, "2026-02-11 09:00") == 5);
    CHECK(st.count("SELECT count(*) FROM core_capacity_holds WHERE station = 'convenience' AND state = 'confirmed'") == 5);
    CHECK(st.notices("convenience.booked").size() == 5);
    json slot = st.slot(id, "2026-02-11 09:00");
    CHECK(slot["remaining"] == 0);
    CHECK(slot["bookable"] == false);
}

TEST_CASE("a cancelled place is taken again by exactly one of several racers") {
    Station st;
    int64_t id = st.define({{"capacity", 1}});
    int64_t first = st.booked(st.zhang, id, "2026-02-11 09:00", "z");
    CHECK(st.book(st.li, id, "2026-02-11 09:00", "l").body["error"]["code"] == "slot_full");
    REQUIRE(st.act(st.zhang, first, "cancel").status == 200);
    auto outcomes = race(st, id, "2026-02-11 09:00", st.residents(12, "again"), "again");
    INFO(describe(outcomes));
    CHECK(outcomes["booked"] == 1);
    CHECK(outcomes["409 slot_full"] == 11);
    CHECK(st.ledger_taken(id, "2026-02-11 09:00") == 1);
    CHECK(st.count("SELECT count(*) FROM convenience_bookings WHERE state = 'confirmed'") == 1);
}

TEST_CASE("a retried booking returns the first answer and never takes a second place") {
    Station st;
    int64_t id = st.define({{"capacity", 3}});

    SUBCASE("sequential retries replay; the same key for another slot is refused") {
        Response a = st.book(st.zhang, id, "2026-02-11 09:00", "once");
        Response b = st.book(st.zhang, id, "2026-02-11 09:00", "once");
        REQUIRE(a.status == 201);
        CHECK(b.status == 201);
        CHECK(b.body["id"] == a.body["id"]);
        CHECK(b.body["code"] == a.body["code"]);
        CHECK(b.header("Idempotent-Replayed") == "true");
        Response other = st.book(st.zhang, id, "2026-02-11 10:00", "once");
        CHECK(other.status == 422);
        CHECK(other.body["error"]["code"] == "idempotency_key_reused");
        CHECK(st.ledger_taken(id, "2026-02-11 09:00") == 1);
        CHECK(st.count("SELECT count(*) FROM convenience_bookings") == 1);
        CHECK(st.notices("convenience.booked").size() == 1);
    }
    SUBCASE("a refusal is not remembered: the same key books once a place has freed") {
        int64_t one = st.define({{"capacity", 1}});
        Response li = st.book(st.li, one, "2026-02-11 09:00", "li-1");
        REQUIRE(li.status == 201);
        Response refused = st.book(st.zhang, one, "2026-02-11 09:00", "retry-me");
        CHECK(error_code(refused) == "slot_full");
        CHECK(st.count("SELECT count(*) FROM core_idempotency WHERE idem_key = 'retry-me'") == 0);
        REQUIRE(st.act(st.li, li.body["id"].get<int64_t>(), "cancel").status == 200);
        Response retried = st.book(st.zhang, one, "2026-02-11 09:00", "retry-me");
        CHECK(retried.status == 201);
        CHECK(retried.header("Idempotent-Replayed") == "");
        CHECK(st.book(st.zhang, one, "2026-02-11 09:00", "retry-me").header("Idempotent-Replayed") == "true");
    }
    SUBCASE("if the core's record of the first answer is gone, the station still recognises the retry") {
        Response a = st.book(st.zhang, id, "2026-02-11 09:00", "lost");
        REQUIRE(a.status == 201);
        {
            st.s.app().db().wait_for_queued_writes();  // the answer is stored just after it is sent
            yz::Conn& c = st.s.app().db().conn();
            c.exec("DELETE FROM core_idempotency");
        }
        Response b = st.book(st.zhang, id, "2026-02-11 09:00", "lost");
        CHECK(b.status == 201);
        CHECK(b.body["id"] == a.body["id"]);
        CHECK(st.ledger_taken(id, "2026-02-11 09:00") == 1);
        CHECK(st.count("SELECT count(*) FROM core_capacity_holds WHERE station = 'convenience'") == 1);
    }
    SUBCASE("the lost answer's retry gets its booking even once the slot is full and refusing others") {
        int64_t one = st.define({{"capacity", 1}});
        Response a = st.book(st.li, one, "2026-02-11 09:00", "last-place");
        REQUIRE(a.status == 201);
        {
            st.s.app().db().wait_for_queued_writes();  // the answer is stored just after it is sent
            yz::Conn& c = st.s.app().db().conn();
            c.exec("DELETE FROM core_idempotency");
        }
        CHECK(error_code(st.book(st.zhang, one, "2026-02-11 09:00", "too-late")) == "slot_full");  // the full slot, read and kept
        Response b = st.book(st.li, one, "2026-02-11 09:00", "last-place");
        CHECK(b.status == 201);
        CHECK(b.body["id"] == a.body["id"]);
        CHECK(error_code(st.book(st.li, one, "2026-02-11 09:00", "another-key")) == "slot_full");
        CHECK(st.ledger_taken(one, "2026-02-11 09:00") == 1);
    }
    SUBCASE("concurrent retries of one request make one booking") {
        auto outcomes = yz::test::race(8, [&](int) {
            Response r = st.book(st.zhang, id, "2026-02-11 09:00", "double-tap");
            return r.status == 201 ? "booked" : error_code(r);
        });
        INFO(describe(outcomes));
        // Either replayed (201) or told the first is still in flight; never a second booking.
        CHECK(outcomes["booked"] + outcomes["request_in_progress"] == 8);
        CHECK(outcomes["booked"] >= 1);
        CHECK(st.count("SELECT count(*) FROM convenience_bookings") == 1);
        CHECK(st.ledger_taken(id, "2026-02-11 09:00") == 1);
    }
}
