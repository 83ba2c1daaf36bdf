// SPDX-License-Identifier: MIT
// Spare connections (Database::open_spares): opened ahead on a thread of their own, each is taken
// by one thread only, a thread keeps the one it took, threads beyond the spares open their own,
// and a database closed while spares are still opening stops them.
#include <doctest/doctest.h>

#include <mutex>
#include <set>
#include <string>

#include "../support/race.hpp"
#include "db.hpp"

using namespace yz;

TEST_CASE("spares go to one thread each, a thread keeps its own, and threads past the spares open theirs") {
    test::TempDir dir;
    Database db(dir.path + "/s.sqlite", 10000);
    db.conn().exec("CREATE TABLE t (id INTEGER PRIMARY KEY)");
    db.conn().exec("INSERT INTO t DEFAULT VALUES");
    db.open_spares(8);
    std::mutex mu;
    std::set<const void*> handles;
    auto outcomes = test::race(24, [&](int) -> std::string {
        Conn& first = db.conn();
        Conn& again = db.conn();
        if (&first != &again) return "a second conn() gave another connection";
        int64_t rows = first.raw().execAndGet("SELECT count(*) FROM t").getInt64();
        std::lock_guard lock(mu);
        handles.insert(first.raw().getHandle());
        return rows == 1 ? "read" : "read " + std::to_string(rows) + " rows";
    });
    CHECK(outcomes["read"] == 24);
    // The main thread's connection is not among them; each racer had one no other thread had.
    CHECK(handles.size() == 24);
    CHECK(handles.count(db.conn().raw().getHandle()) == 0);
}

TEST_CASE("a database closed while its spares are still opening stops them and closes") {
    test::TempDir dir;
    auto db = std::make_unique<Database>(dir.path + "/s.sqlite", 10000);
    db->conn().exec("CREATE TABLE t (id INTEGER PRIMARY KEY)");
    db->open_spares(100000);
    db.reset();  // would take minutes if the opener ran on
    Database again(dir.path + "/s.sqlite", 10000);
    CHECK(again.conn().raw().execAndGet("SELECT count(*) FROM t").getInt64() == 0);
}
