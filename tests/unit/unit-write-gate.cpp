// SPDX-License-Identifier: MIT
// The database's writing connection (WriteGate): writes from many threads share commits, each
// returns only once its write is committed (another connection sees it), a failed write undoes
// only itself, nested transactions join the outer one, grouped writes run on one writer thread,
// and a detached write is told how it ended.
#include <doctest/doctest.h>

#include <SQLiteCpp/Database.h>

#include <atomic>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>

#include "../support/race.hpp"
#include "db.hpp"

using namespace yz;

namespace {
struct Store {
    test::TempDir dir;
    std::string path = dir.path + "/w.sqlite";
    Database db{path, 10000};
    Store() { db.conn().exec("CREATE TABLE t (id INTEGER PRIMARY KEY, who INTEGER NOT NULL UNIQUE)"); }
    // Counted on a connection of its own, outside the gate: what a reader (or a restart) would see.
    int64_t count(const std::string& where = "1") {
        SQLite::Database other(path, SQLite::OPEN_READONLY);
        return other.execAndGet("SELECT count(*) FROM t WHERE " + where).getInt64();
    }
};
}  // namespace

TEST_CASE("48 threads write at once: each returns after its own row is committed, failures undo only themselves") {
    Store s;
    auto outcomes = test::race(48, [&](int i) -> std::string {
        Conn& c = s.db.conn();
        try {
            c.write_tx_grouped([&] {
                auto ins = c.prepare("INSERT INTO t(who) VALUES (?1)");
                ins->bind(1, i);
                ins->exec();
                if (i % 4 == 3) throw std::runtime_error("refused after writing");
            });
        } catch (const std::runtime_error&) {
            return "failed";
        }
        // Acknowledged means committed: a connection outside the gate already sees the row.
        return s.count("who = " + std::to_string(i)) == 1 ? "committed" : "acknowledged before commit";
    });
    INFO(test::describe(outcomes));
    CHECK(outcomes["committed"] == 36);
    CHECK(outcomes["failed"] == 12);
    CHECK(outcomes.size() == 2);
    CHECK(s.count() == 36);
    CHECK(s.count("who % 4 = 3") == 0);
}

TEST_CASE("a nested write joins the outer one: the outer failing undoes both") {
    Store s;
    Conn& c = s.db.conn();
    CHECK_THROWS_AS(c.write_tx([&] {
        c.exec("INSERT INTO t(who) VALUES (1)");
        c.write_tx([&] { c.exec("INSERT INTO t(who) VALUES (2)"); });
        CHECK(c.in_tx());
        throw std::runtime_error("outer fails");
    }),
                    std::runtime_error);
    CHECK(s.count() == 0);
    CHECK_FALSE(c.in_tx());

    // Inside the write, this thread's Conn is the writer: its last row id is the write's own.
    int64_t id = c.write_tx([&] {
        c.exec("INSERT INTO t(who) VALUES (3)");
        return c.last_insert_id();
    });
    CHECK(id == s.db.conn().raw().execAndGet("SELECT id FROM t WHERE who = 3").getInt64());
}

TEST_CASE("a write that breaks a constraint fails alone and the writer goes on") {
    Store s;
    Conn& c = s.db.conn();
    c.write_tx([&] { c.exec("INSERT INTO t(who) VALUES (7)"); });
    CHECK_THROWS(c.write_tx_grouped([&] { c.exec("INSERT INTO t(who) VALUES (7)"); }));
    c.write_tx_grouped([&] { c.exec("INSERT INTO t(who) VALUES (8)"); });
    CHECK(s.count() == 2);
}

TEST_CASE("the writer keeps a write's undo pages in memory, not in a temp file per savepoint") {
    // Each grouped write is a SAVEPOINT; with temp files its sub-journal spilled to /var/tmp past
    // 64 KiB, four of every five pwrite calls under a booking rush.
    Store s;
    Conn& c = s.db.conn();
    CHECK(c.raw().execAndGet("PRAGMA temp_store").getInt() == 2);
    int64_t writers = c.write_tx_grouped([&] {
        auto q = c.prepare("PRAGMA temp_store");
        q->executeStep();
        return q->getColumn(0).getInt64();
    });
    CHECK(writers == 2);
}

TEST_CASE("with synchronous FULL a write returns only after a WAL sync that ended after it was written") {
    // The writer commits without syncing (NORMAL) so the gate is not held while the disk works;
    // the writers sync the WAL themselves before they return.
    Store s;
    auto outcomes = test::race(32, [&](int i) -> std::string {
        Conn& c = s.db.conn();
        uint64_t syncs_while_writing = 0;
        int synchronous = -1;
        c.write_tx_grouped([&] {
            auto ins = c.prepare("INSERT INTO t(who) VALUES (?1)");
            ins->bind(1, i);
            ins->exec();
            synchronous = c.raw().execAndGet("PRAGMA synchronous").getInt();
            syncs_while_writing = s.db.write_stats().wal_syncs;
        });
        if (synchronous != 1) return "writer commits with synchronous " + std::to_string(synchronous);
        return s.db.write_stats().wal_syncs > syncs_while_writing ? "synced" : "acknowledged before a sync";
    });
    INFO(test::describe(outcomes));
    CHECK(outcomes["synced"] == 32);
    CHECK(s.count() == 32);
    WriteGate::Stats st = s.db.write_stats();
    CHECK(st.wal_syncs >= 1);
    CHECK(st.wal_syncs <= st.commits);  // one sync covers every group written before it began
}

TEST_CASE("with synchronous NORMAL chosen, the gate adds no syncs of its own") {
    test::TempDir dir;
    Database db{dir.path + "/n.sqlite", 10000, "NORMAL"};
    Conn& c = db.conn();
    c.exec("CREATE TABLE t (id INTEGER PRIMARY KEY)");
    c.write_tx([&] { c.exec("INSERT INTO t DEFAULT VALUES"); });
    CHECK(db.write_stats().commits == 1);
    CHECK(db.write_stats().wal_syncs == 0);
}

TEST_CASE("checkpoints run off the gate, and the WAL still starts afresh under writes that never pause") {
    // The checkpointer copies the WAL into the database on a connection of its own; the WAL can
    // only start afresh at a write that begins with all of it copied, which a checkpoint made
    // elsewhere while writes go on never leaves — the COMMIT after it copies the rest.
    test::TempDir dir;
    Database db{dir.path + "/c.sqlite", 10000, "NORMAL"};
    Conn& c = db.conn();
    c.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, b BLOB NOT NULL)");
    // About ten pages a write: the WAL reaches the checkpointer's 4 000 pages in some 400 writes;
    // nine times that without a restart is a WAL that only grows.
    int writes = 0;
    while (db.write_stats().wal_restarts == 0 && writes < 3600) {
        c.write_tx([&] {
            auto ins = c.prepare("INSERT INTO t(b) VALUES (zeroblob(36000))");
            ins->exec();
        });
        ++writes;
    }
    INFO("writes: " << writes);
    WriteGate::Stats st = db.write_stats();
    CHECK(st.wal_restarts >= 1);
    CHECK(st.checkpoints >= 1);
    CHECK(st.checkpointed_frames >= 1000);  // the checkpointer's own connection copied them
    SQLite::Database other(dir.path + "/c.sqlite", SQLite::OPEN_READONLY);
    CHECK(other.execAndGet("SELECT count(*) FROM t").getInt() == writes);
}

TEST_CASE("grouped writes all run on the database's one writer thread, reaching it through Database::conn()") {
    Store s;
    std::mutex mu;
    std::set<std::thread::id> ran_on;
    std::set<std::thread::id> callers;
    auto outcomes = test::race(16, [&](int i) -> std::string {
        {
            std::lock_guard lock(mu);
            callers.insert(std::this_thread::get_id());
        }
        s.db.conn().write_tx_grouped([&] {
            {
                std::lock_guard lock(mu);
                ran_on.insert(std::this_thread::get_id());
            }
            // The Conn of the thread the body runs on, as a host service inside it would take.
            Conn& here = s.db.conn();
            auto ins = here.prepare("INSERT INTO t(who) VALUES (?1)");
            ins->bind(1, i);
            ins->exec();
        });
        return s.count("who = " + std::to_string(i)) == 1 ? "committed" : "acknowledged before commit";
    });
    INFO(test::describe(outcomes));
    CHECK(outcomes["committed"] == 16);
    REQUIRE(ran_on.size() == 1);
    CHECK(callers.count(*ran_on.begin()) == 0);
}

TEST_CASE("a detached write runs in the next group and is told how it ended, and waiting for queued writes covers it") {
    Store s;
    std::atomic<int> ok{0};
    std::string failure;
    std::mutex mu;
    auto told = [&](std::exception_ptr failed) {
        if (!failed) return void(++ok);
        try {
            std::rethrow_exception(failed);
        } catch (const std::exception& e) {
            std::lock_guard lock(mu);
            failure = e.what();
        }
    };
    s.db.write_detached([](Conn& c) { c.exec("INSERT INTO t(who) VALUES (7)"); }, told);
    s.db.write_detached([](Conn& c) { c.exec("INSERT INTO t(who) VALUES (7)"); }, told);  // breaks UNIQUE
    s.db.wait_for_queued_writes();
    CHECK(ok == 1);
    CHECK(failure.find("UNIQUE") != std::string::npos);
    CHECK(s.count("who = 7") == 1);
    // The writer goes on after a detached write failed.
    s.db.conn().write_tx_grouped([&] { s.db.conn().exec("INSERT INTO t(who) VALUES (8)"); });
    CHECK(s.count("who = 8") == 1);
}
