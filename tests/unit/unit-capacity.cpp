// SPDX-License-Identifier: MIT
// The capacity ledger: never over capacity however many threads race; idempotent; holds lapse.
#include <doctest/doctest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "../support/test_server.hpp"
#include "capacity.hpp"
#include "core_schema.hpp"

using namespace yz;

namespace {
struct Ledger {
    test::TempDir dir;
    Database db{dir.path + "/t.sqlite", 10000};
    Ledger() { migrate_core(db.conn()); }
};
}  // namespace

TEST_CASE("32 threads racing 1000 reservations for capacity 5 end with exactly 5") {
    Ledger l;
    capacity::define(l.db.conn(), "conv", "slot-1", 5, 0);
    std::atomic<int> next{0}, ok{0}, full{0}, other{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 32; ++t)
        threads.emplace_back([&] {
            Conn& c = l.db.conn();  // each thread its own connection
            for (int i = next++; i < 1000; i = next++) {
                auto r = capacity::reserve(c, "conv", "slot-1", "user-" + std::to_string(i), "key-" + std::to_string(i), 0, 1000);
                if (r.outcome == capacity::Outcome::ok) ++ok;
                else if (r.outcome == capacity::Outcome::full) ++full;
                else ++other;
            }
        });
    for (auto& t : threads) t.join();
    CHECK(ok == 5);
    CHECK(full == 995);
    CHECK(other == 0);
    auto s = capacity::status(l.db.conn(), "conv", "slot-1", 1000);
    REQUIRE(s);
    CHECK(s->taken == 5);
    CHECK(s->remaining == 0);
    auto q = l.db.conn().prepare("SELECT count(*) FROM core_capacity_holds WHERE state = 'confirmed'");
    REQUIRE(q->executeStep());
    CHECK(q->getColumn(0).getInt() == 5);
}

TEST_CASE("the same idempotency key returns the first answer, reused elsewhere it conflicts") {
    Ledger l;
    Conn& c = l.db.conn();
    capacity::define(c, "conv", "slot", 2, 0);
    auto a = capacity::reserve(c, "conv", "slot", "u1", "k1", 0, 0);
    auto b = capacity::reserve(c, "conv", "slot", "u1", "k1", 0, 0);
    CHECK(a.outcome == capacity::Outcome::ok);
    CHECK(b.outcome == capacity::Outcome::ok);
    CHECK(b.replayed);
    CHECK(b.hold_id == a.hold_id);
    CHECK(capacity::status(c, "conv", "slot", 0)->taken == 1);
    CHECK(capacity::reserve(c, "conv", "slot", "u2", "k1", 0, 0).outcome == capacity::Outcome::conflict);
    CHECK(capacity::reserve(c, "conv", "nope", "u1", "k9", 0, 0).outcome == capacity::Outcome::not_found);
}

TEST_CASE("pending holds count against capacity until they lapse or are confirmed") {
    Ledger l;
    Conn& c = l.db.conn();
    capacity::define(c, "conv", "slot", 1, 0);
    auto held = capacity::reserve(c, "conv", "slot", "u1", "k1", 60'000, 1'000);
    CHECK(held.state == "held");
    CHECK(capacity::reserve(c, "conv", "slot", "u2", "k2", 0, 2'000).outcome == capacity::Outcome::full);
    // After the hold lapses, its place is free again and confirming it is refused.
    auto later = capacity::reserve(c, "conv", "slot", "u2", "k3", 0, 62'000);
    CHECK(later.outcome == capacity::Outcome::ok);
    CHECK(capacity::confirm(c, "conv", held.hold_id, 62'000).outcome == capacity::Outcome::expired);
    CHECK(capacity::status(c, "conv", "slot", 62'000)->taken == 1);
}

TEST_CASE("release frees a place once, a second release changes nothing") {
    Ledger l;
    Conn& c = l.db.conn();
    capacity::define(c, "conv", "slot", 1, 0);
    auto r = capacity::reserve(c, "conv", "slot", "u1", "k1", 0, 0);
    CHECK(capacity::release(c, "conv", r.hold_id, 1).state == "released");
    auto again = capacity::release(c, "conv", r.hold_id, 2);
    CHECK(again.replayed);
    CHECK(capacity::status(c, "conv", "slot", 3)->taken == 0);
    CHECK(capacity::reserve(c, "conv", "slot", "u2", "k2", 0, 4).outcome == capacity::Outcome::ok);
    // Another station cannot release this station's hold.
    CHECK(capacity::release(c, "other", r.hold_id, 5).outcome == capacity::Outcome::not_found);
}

TEST_CASE("a rolled-back transaction takes no place") {
    Ledger l;
    Conn& c = l.db.conn();
    capacity::define(c, "conv", "slot", 1, 0);
    CHECK_THROWS(c.write_tx([&] {
        capacity::reserve(c, "conv", "slot", "u1", "k1", 0, 0);
        throw std::runtime_error("the booking insert failed");
    }));
    CHECK(capacity::status(c, "conv", "slot", 0)->taken == 0);
    CHECK(capacity::reserve(c, "conv", "slot", "u1", "k1", 0, 0).outcome == capacity::Outcome::ok);
}
