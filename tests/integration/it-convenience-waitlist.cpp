// SPDX-License-Identifier: MIT
// 便民服务站: the waitlist. Residents queue for a full slot, first come first served; a freed place
// (cancel, reject, staff cancel, reschedule away, declined or lapsed offer) is held for the next
// one in the ledger with a deadline in Beijing time; the scheduler releases an unconfirmed hold and
// offers the place on. Under a race a freed place goes to exactly one waiting resident.
#include <map>
#include <set>

#include "../support/race.hpp"
#include "it-convenience-fixture.hpp"

using namespace convenience_test;

namespace {
int64_t waiting_entry(Station& st, const std::string& token, int64_t service, const std::string& local, const std::string& key) {
    Response r = st.join_waitlist(token, service, local, key);
    REQUIRE_MESSAGE(r.status == 201, r.text);
    return r.body["id"];
}

Response confirm(Station& st, const std::string& token, int64_t entry) {
    return st.s.post(st.path("/waitlist/" + std::to_string(entry) + "/confirm"), json::object(), token);
}

json my_entry(Station& st, const std::string& token, int64_t entry) {
    Response r = st.s.get(st.path("/my/waitlist"), token);
    INFO(r.text);
    REQUIRE(r.status == 200);
    for (const auto& e : r.body["items"])
        if (e["id"] == entry) return e;
    return json();
}
}  // namespace

TEST_CASE("a full slot takes a waitlist in arrival order, and nobody books past it") {
    Station st;
    int64_t id = st.define({{"capacity", 1}});
    int64_t first = st.booked(st.zhang, id, "2026-02-11 09:00", "z");
    CHECK(error_code(st.join_waitlist(st.li, id, "2026-02-11 09:30", "free")) == "slot_available");
    Response full = st.book(st.li, id, "2026-02-11 09:00", "l");
    CHECK(full.status == 409);
    CHECK(full.body["error"]["details"]["waitlist"] == true);

    Response joined = st.join_waitlist(st.li, id, "2026-02-11 09:00", "w1");
    REQUIRE(joined.status == 201);
    CHECK(joined.body["state"] == "waiting");
    CHECK(joined.body["position"] == 1);
    CHECK(joined.body["start"] == "2026-02-11T09:00:00+08:00");
    CHECK(st.join_waitlist(st.li, id, "2026-02-11 09:00", "w1").body["id"] == joined.body["id"]);  // a retry
    CHECK(error_code(st.join_waitlist(st.li, id, "2026-02-11 09:00", "w2")) == "already_waiting");
    CHECK(error_code(st.join_waitlist(st.zhang, id, "2026-02-11 09:00", "w3")) == "already_booked");
    std::string wang = st.s.login("wang2");
    Response second = st.join_waitlist(wang, id, "2026-02-11 09:00", "w4");
    CHECK(second.body["position"] == 2);
    json slot = st.slot(id, "2026-02-11 09:00");
    CHECK(slot["waiting"] == 2);
    CHECK(slot["bookable"] == false);
    CHECK(slot["waitlist_open"] == true);
    json sheet = st.s.get(st.path("/services/" + std::to_string(id) + "/day-sheet?date=2026-02-11"), st.staff).body;
    CHECK(sheet["slots"][1]["start"] == "2026-02-11T09:00:00+08:00");
    CHECK(sheet["slots"][1]["waiting"] == 2);
    CHECK(sheet["slots"][0]["waiting"] == 0);

    // zhang cancels: the place is held for li (first in line), not for whoever asks next.
    REQUIRE(st.act(st.zhang, first, "cancel").status == 200);
    CHECK(st.ledger_taken(id, "2026-02-11 09:00") == 1);
    CHECK(st.count("SELECT count(*) FROM core_capacity_holds WHERE station = 'convenience' AND state = 'held'") == 1);
    CHECK(error_code(st.book(st.s.login("zhao"), id, "2026-02-11 09:00", "x")) == "slot_full");
    auto offers = st.notices("convenience.waitlist_offer");
    REQUIRE(offers.size() == 1);
    CHECK(offers[0]["user_id"] == st.s.user_id("li"));
    CHECK(offers[0]["time"] == "2026-02-11 09:00-09:30");
    CHECK(offers[0]["deadline"] == "2026-02-10T10:30:00+08:00");  // 30 minutes from 10:00, Beijing time
    CHECK(offers[0]["deadline_time"] == "2026-02-10 10:30");
    json mine = my_entry(st, st.li, joined.body["id"]);
    CHECK(mine["state"] == "offered");
    CHECK(mine["offer_deadline"] == "2026-02-10T10:30:00+08:00");
    CHECK(st.slot(id, "2026-02-11 09:00")["remaining"] == 0);

    Response booked = confirm(st, st.li, joined.body["id"]);
    REQUIRE_MESSAGE(booked.status == 201, booked.text);
    CHECK(booked.body["state"] == "confirmed");
    CHECK(booked.body["start"] == "2026-02-11T09:00:00+08:00");
    CHECK(confirm(st, st.li, joined.body["id"]).body["id"] == booked.body["id"]);  // a retried confirm
    CHECK(st.ledger_taken(id, "2026-02-11 09:00") == 1);
    CHECK(st.count("SELECT count(*) FROM core_capacity_holds WHERE station = 'convenience' AND state = 'confirmed'") == 1);
    CHECK(st.count("SELECT count(*) FROM core_jobs WHERE station = 'convenience' AND kind = 'offer_lapse' AND state = 'cancelled'") == 1);
    CHECK(st.notices("convenience.booked").back()["user_id"] == st.s.user_id("li"));
    CHECK(my_entry(st, st.li, joined.body["id"])["state"] == "booked");
    CHECK(my_entry(st, wang, second.body["id"])["position"] == 1);

    // li came to the slot at 10:00 the day before, its 24-hour reminder already past: li hears
    // the 1-hour one only; zhang, cancelled, hears none.
    st.set_clock("2026-02-11 08:00");
    st.run_jobs();
    auto reminded = st.notices("convenience.reminder");
    REQUIRE(reminded.size() == 1);
    CHECK(reminded[0]["user_id"] == st.s.user_id("li"));
    CHECK(reminded[0]["lead"] == "1h");
}

TEST_CASE("an unconfirmed offer lapses at its deadline and the place goes to the next resident") {
    Station st(json{{"waitlist", {{"hold_minutes", 20}}}});
    int64_t id = st.define({{"capacity", 1}});
    int64_t taken = st.booked(st.zhang, id, "2026-02-11 09:00", "z");
    int64_t li = waiting_entry(st, st.li, id, "2026-02-11 09:00", "a");
    std::string wang = st.s.login("wang2");
    int64_t next = waiting_entry(st, wang, id, "2026-02-11 09:00", "b");
    REQUIRE(st.act(st.staff, taken, "cancel", {{"reason", "居民电话告知不来了"}}).status == 200);
    REQUIRE(st.notices("convenience.waitlist_offer").size() == 1);
    CHECK(st.notices("convenience.waitlist_offer")[0]["deadline"] == "2026-02-10T10:20:00+08:00");

    st.set_clock("2026-02-10 10:19");
    CHECK(st.run_jobs() == 0);
    st.set_clock("2026-02-10 10:20");
    // The hold has lapsed in the ledger but its job has not run yet: the place is still wang's
    // turn, not the first comer's.
    Response jump = st.book(st.s.login("zhao"), id, "2026-02-11 09:00", "jump");
    CHECK(jump.status == 409);
    CHECK(error_code(jump) == "slot_full");
    CHECK(st.run_jobs() == 1);
    CHECK(my_entry(st, st.li, li)["state"] == "lapsed");
    REQUIRE(st.notices("convenience.waitlist_lapsed").size() == 1);
    CHECK(st.notices("convenience.waitlist_lapsed")[0]["user_id"] == st.s.user_id("li"));
    auto offers = st.notices("convenience.waitlist_offer");
    REQUIRE(offers.size() == 2);
    CHECK(offers[1]["user_id"] == st.s.user_id("wang2"));
    CHECK(offers[1]["deadline"] == "2026-02-10T10:40:00+08:00");
    Response late = confirm(st, st.li, li);
    CHECK(late.status == 409);
    CHECK(error_code(late) == "no_offer");
    CHECK(st.ledger_taken(id, "2026-02-11 09:00") == 1);

    // The job runs at least once: running it again changes nothing.
    {
        yz::Conn& c = st.s.app().db().conn();
        c.exec("UPDATE core_jobs SET state = 'due' WHERE station = 'convenience' AND kind = 'offer_lapse' AND state = 'done'");
    }
    st.run_jobs();
    CHECK(st.notices("convenience.waitlist_offer").size() == 2);
    CHECK(my_entry(st, wang, next)["state"] == "offered");
    REQUIRE(confirm(st, wang, next).status == 201);
}

TEST_CASE("a confirm after the deadline is refused even before the scheduler runs, and the place moves on") {
    Station st;
    int64_t id = st.define({{"capacity", 1}});
    int64_t taken = st.booked(st.zhang, id, "2026-02-11 09:00", "z");
    int64_t li = waiting_entry(st, st.li, id, "2026-02-11 09:00", "a");
    std::string wang = st.s.login("wang2");
    int64_t next = waiting_entry(st, wang, id, "2026-02-11 09:00", "b");
    REQUIRE(st.act(st.zhang, taken, "cancel").status == 200);
    st.set_clock("2026-02-10 10:31");
    Response late = confirm(st, st.li, li);
    CHECK(late.status == 409);
    CHECK(error_code(late) == "offer_expired");
    CHECK(my_entry(st, st.li, li)["state"] == "lapsed");
    CHECK(my_entry(st, wang, next)["state"] == "offered");
    CHECK(st.run_jobs() == 1);  // the first offer's job finds nothing left to do
    CHECK(st.notices("convenience.waitlist_offer").size() == 2);
    CHECK(st.ledger_taken(id, "2026-02-11 09:00") == 1);
}

TEST_CASE("every way a place frees offers it on: reject, staff cancel, reschedule away, declined offer") {
    Station st;
    int64_t vetted = st.define({{"capacity", 1}, {"rules", {{"approval_required", true}}}});
    std::vector<std::string> queue = st.residents(4, "q");
    int64_t pending = st.booked(st.zhang, vetted, "2026-02-11 09:00", "z");
    std::vector<int64_t> entries;
    for (size_t i = 0; i < queue.size(); ++i)
        entries.push_back(waiting_entry(st, queue[i], vetted, "2026-02-11 09:00", "k" + std::to_string(i)));
    auto offered_to = [&](size_t n) {
        auto offers = st.notices("convenience.waitlist_offer");
        REQUIRE(offers.size() == n);
        return offers.back()["user_id"];
    };

    REQUIRE(st.act(st.staff, pending, "reject", {{"reason", "材料不全"}}).status == 200);
    CHECK(offered_to(1) == st.s.user_id("q0"));
    Response confirmed = confirm(st, queue[0], entries[0]);
    REQUIRE(confirmed.status == 201);
    CHECK(confirmed.body["state"] == "pending");  // the service still needs approval

    REQUIRE(st.act(st.staff, confirmed.body["id"], "cancel", {{"reason", "窗口临时关闭"}}).status == 200);
    CHECK(offered_to(2) == st.s.user_id("q1"));
    Response second = confirm(st, queue[1], entries[1]);
    REQUIRE(second.status == 201);

    REQUIRE(st.reschedule(queue[1], second.body["id"], "2026-02-11 10:00").status == 200);
    CHECK(offered_to(3) == st.s.user_id("q2"));

    Response declined = st.s.post(st.path("/waitlist/" + std::to_string(entries[2]) + "/leave"), json::object(), queue[2]);
    REQUIRE(declined.status == 200);
    CHECK(declined.body["state"] == "left");
    CHECK(offered_to(4) == st.s.user_id("q3"));
    CHECK(st.ledger_taken(vetted, "2026-02-11 09:00") == 1);
    CHECK(st.count("SELECT count(*) FROM core_capacity_holds WHERE station = 'convenience' AND state = 'held'") == 1);
}

TEST_CASE("a waitlist entry is its resident's own") {
    Station st;
    int64_t id = st.define({{"capacity", 1}});
    int64_t taken = st.booked(st.zhang, id, "2026-02-11 09:00", "z");
    int64_t li = waiting_entry(st, st.li, id, "2026-02-11 09:00", "a");
    REQUIRE(st.act(st.zhang, taken, "cancel").status == 200);
    Response stolen = confirm(st, st.zhang, li);
    CHECK(stolen.status == 404);
    CHECK(error_code(stolen) == "waitlist_entry_not_found");
    CHECK(st.s.post(st.path("/waitlist/" + std::to_string(li) + "/leave"), json::object(), st.zhang).status == 404);
    CHECK(st.s.get(st.path("/my/waitlist"), st.zhang).body["items"].empty());
    CHECK(confirm(st, st.li, li).status == 201);
}

TEST_CASE("racing residents join the queue in a clear order, and a cancelled place goes to exactly one of them") {
    Station st;
    int64_t id = st.define({{"capacity", 2}});
    int64_t a = st.booked(st.zhang, id, "2026-02-11 09:00", "z");
    int64_t b = st.booked(st.li, id, "2026-02-11 09:00", "l");
    std::vector<std::string> waiters = st.residents(10, "wait");
    std::vector<std::string> bookers = st.residents(16, "late");

    // Ten residents join at once: ten entries, positions 1..10 with no gaps or ties.
    auto joined = yz::test::race(10, [&](int i) {
        return yz::test::outcome(st.join_waitlist(waiters[i], id, "2026-02-11 09:00", "j"), 201, "joined");
    });
    INFO(yz::test::describe(joined));
    CHECK(joined["joined"] == 10);
    std::map<int64_t, int64_t> position_of_user;
    for (size_t i = 0; i < waiters.size(); ++i) {
        json items = st.s.get(st.path("/my/waitlist"), waiters[i]).body["items"];
        REQUIRE(items.size() == 1);
        position_of_user[items[0]["position"].get<int64_t>()] = st.s.user_id("wait" + std::to_string(i));
    }
    CHECK(position_of_user.size() == 10);
    CHECK(position_of_user.begin()->first == 1);
    CHECK(position_of_user.rbegin()->first == 10);

    // Both places are cancelled while sixteen others try to book the slot directly, all at once.
    const int64_t cancelled[] = {a, b};
    auto outcomes = yz::test::race(18, [&](int i) {
        if (i < 2) return yz::test::outcome(st.act(i == 0 ? st.zhang : st.li, cancelled[i], "cancel"), 200, "cancelled");
        Response r = st.book(bookers[static_cast<size_t>(i - 2)], id, "2026-02-11 09:00", "direct");
        return r.status == 201 ? std::string("booked") : error_code(r);
    });
    INFO(yz::test::describe(outcomes));
    CHECK(outcomes["cancelled"] == 2);
    CHECK(outcomes["slot_full"] == 16);
    CHECK(outcomes["booked"] == 0);

    // Exactly two offers, to the first two in line, one each; the others still wait.
    auto offers = st.notices("convenience.waitlist_offer");
    REQUIRE(offers.size() == 2);
    std::set<int64_t> offered = {offers[0]["user_id"].get<int64_t>(), offers[1]["user_id"].get<int64_t>()};
    CHECK(offered == std::set<int64_t>{position_of_user[1], position_of_user[2]});
    CHECK(st.ledger_taken(id, "2026-02-11 09:00") == 2);
    CHECK(st.count("SELECT count(*) FROM core_capacity_holds WHERE station = 'convenience' AND state = 'held'") == 2);
    CHECK(st.count("SELECT count(*) FROM convenience_waitlist WHERE state = 'offered'") == 2);
    CHECK(st.count("SELECT count(*) FROM convenience_waitlist WHERE state = 'waiting'") == 8);
}

TEST_CASE("when staff raise a service's capacity the new places go to the residents waiting") {
    Station st;
    int64_t id = st.define({{"capacity", 1}});
    st.booked(st.zhang, id, "2026-02-11 09:00", "z");
    int64_t li = waiting_entry(st, st.li, id, "2026-02-11 09:00", "a");
    std::string wang = st.s.login("wang2");
    int64_t next = waiting_entry(st, wang, id, "2026-02-11 09:00", "b");
    Response raised = st.s.put(st.path("/services/" + std::to_string(id)), service_def({{"capacity", 2}}), st.staff);
    REQUIRE(raised.status == 200);
    CHECK(my_entry(st, st.li, li)["state"] == "offered");
    CHECK(my_entry(st, wang, next)["state"] == "waiting");
    CHECK(st.ledger_taken(id, "2026-02-11 09:00") == 2);
    REQUIRE(st.notices("convenience.waitlist_offer").size() == 1);
    CHECK(st.notices("convenience.waitlist_offer")[0]["user_id"] == st.s.user_id("li"));
}
