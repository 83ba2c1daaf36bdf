// SPDX-License-Identifier: MIT
// Core migrations that reshape a table: a database held at the version before, with rows in it,
// is migrated the rest of the way and keeps every row and every rule it had.
#include <doctest/doctest.h>

#include "../support/test_server.hpp"
#include "capacity.hpp"
#include "core_schema.hpp"

using namespace yz;

namespace {
struct OldDatabase {
    test::TempDir dir;
    Database db{dir.path + "/t.sqlite", 5000};
    explicit OldDatabase(int version) { migrate_core(db.conn(), version); }
    int64_t count(const std::string& sql) {
        auto q = db.conn().prepare(sql);
        q->executeStep();
        return q->getColumn(0).getInt64();
    }
    std::string plan(const std::string& sql) {
        std::string all;
        auto q = db.conn().prepare("EXPLAIN QUERY PLAN " + sql);
        while (q->executeStep()) all += q->getColumn(3).getString() + "\n";
        return all;
    }
};
}  // namespace

TEST_CASE("stored answers keep their rows and their one-answer-a-key rule in a table with row ids") {
    OldDatabase old(9);
    Conn& c = old.db.conn();
    {
        auto core = c.enter_core();
        c.exec("INSERT INTO core_idempotency(user_id, idem_key, route, request_hash, status, body, created_at) VALUES "
               "(7, 'k-1', '/r', 'h1', 201, '{\"id\":1}', 100), (7, 'k-2', '/r', 'h2', NULL, NULL, 200), "
               "(8, 'k-1', '/r', 'h3', 200, '{}', 300)");
    }
    CHECK(migrate_core(c) >= 2);

    CHECK(old.count("SELECT count(*) FROM core_idempotency") == 3);
    CHECK(old.count("SELECT count(*) FROM core_idempotency WHERE user_id = 7 AND idem_key = 'k-1' AND status = 201 AND "
                    "body = '{\"id\":1}' AND request_hash = 'h1' AND created_at = 100") == 1);
    CHECK(old.count("SELECT count(*) FROM core_idempotency WHERE user_id = 7 AND idem_key = 'k-2' AND status IS NULL") == 1);
    // Rows are now appended by row id; (user, key) stays unique, found through its own index.
    CHECK(old.count("SELECT max(rowid) FROM core_idempotency") == 3);
    CHECK(old.plan("SELECT body FROM core_idempotency WHERE user_id = 7 AND idem_key = 'k-1'").find("core_idempotency_key") !=
          std::string::npos);
    auto core = c.enter_core();
    CHECK_THROWS(c.exec("INSERT INTO core_idempotency(user_id, idem_key, route, request_hash, created_at) VALUES (7, 'k-1', '/r', 'x', 1)"));
    // The answer store's upsert (server.cpp) still finds the row it replaces.
    c.exec("INSERT INTO core_idempotency(user_id, idem_key, route, request_hash, status, body, created_at) "
           "VALUES (7, 'k-2', '/r', 'h2', 201, '{}', 400) ON CONFLICT(user_id, idem_key) DO UPDATE SET status = excluded.status");
    CHECK(old.count("SELECT status FROM core_idempotency WHERE user_id = 7 AND idem_key = 'k-2'") == 201);
    CHECK(old.count("SELECT count(*) FROM core_idempotency") == 3);
}

TEST_CASE("the ledger's index of a resource's holds keeps only holds still held, and lapsed ones are still found") {
    OldDatabase old(10);
    Conn& c = old.db.conn();
    capacity::define(c, "conv", "slot-1", 100, 0);
    for (int i = 0; i < 40; ++i)
        REQUIRE(capacity::reserve(c, "conv", "slot-1", "u" + std::to_string(i), "k" + std::to_string(i), 0, 1000).outcome ==
                capacity::Outcome::ok);
    REQUIRE(capacity::reserve(c, "conv", "slot-1", "held", "k-held", 60'000, 1000).outcome == capacity::Outcome::ok);
    CHECK(migrate_core(c) >= 1);

    // One entry: the held hold's, none for the 40 confirmed ones (dbstat counts cells per page).
    CHECK(old.count("SELECT sum(ncell) FROM dbstat WHERE name = 'core_capacity_holds_held' AND pagetype = 'leaf'") == 1);
    CHECK(old.plan("UPDATE core_capacity_holds SET state = 'released' WHERE station = 'conv' AND resource = 'slot-1' AND "
                   "state = 'held' AND expires_at <= 5")
              .find("core_capacity_holds_held") != std::string::npos);
    // After the hold lapses, status counts its place as free and a reservation takes it back.
    auto before = capacity::status(c, "conv", "slot-1", 70'000);
    REQUIRE(before);
    CHECK(before->taken == 40);
    CHECK(capacity::sweep_expired(c, 70'000) == 1);
    CHECK(old.count("SELECT count(*) FROM core_capacity_holds WHERE state = 'released'") == 1);
    CHECK(old.count("SELECT sum(ncell) FROM dbstat WHERE name = 'core_capacity_holds_held' AND pagetype = 'leaf'") == 0);
}
