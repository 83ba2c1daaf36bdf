// SPDX-License-Identifier: MIT
// The writer's VFS (wal_write_gather.cpp): a commit's WAL frames go to the file in a few write
// calls, and whatever SQLite does to the WAL — commit, spill before a commit, roll back, start
// the WAL afresh — a reader on SQLite's own VFS, and the file after the writer closes, hold
// exactly what was committed.
#include <doctest/doctest.h>

#include <SQLiteCpp/Database.h>

#include <string>

#include "../support/test_server.hpp"
#include "wal_write_gather.hpp"

using namespace yz;

namespace {
struct Files {
    test::TempDir dir;
    std::string path = dir.path + "/g.sqlite";
    SQLite::Database writer{path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE, 0, wal_write_gather_vfs()};
    Files() {
        writer.exec("PRAGMA journal_mode=WAL");
        writer.exec("PRAGMA synchronous=NORMAL");
        writer.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, body BLOB NOT NULL)");
    }
    // Rows of about a page each, in one transaction, committed or rolled back.
    void write(int rows, bool commit = true) {
        writer.exec("BEGIN");
        SQLite::Statement ins(writer, "INSERT INTO t(body) VALUES (randomblob(3000))");
        for (int i = 0; i < rows; ++i) {
            ins.exec();
            ins.reset();
        }
        writer.exec(commit ? "COMMIT" : "ROLLBACK");
    }
};

int64_t count(SQLite::Database& db) { return db.execAndGet("SELECT count(*) FROM t").getInt64(); }
std::string integrity(SQLite::Database& db) { return db.execAndGet("PRAGMA integrity_check").getString(); }
}  // namespace

TEST_CASE("a commit's frames reach the WAL in a few write calls, and a reader sees the commit at once") {
    REQUIRE(wal_write_gather_vfs() != nullptr);
    Files f;
    SQLite::Database reader(f.path, SQLite::OPEN_READONLY);  // open before, as the server's readers are
    CHECK(count(reader) == 0);

    WalWriteGatherCounts before = wal_write_gather_counts();
    f.write(100);
    WalWriteGatherCounts after = wal_write_gather_counts();

    uint64_t frames = after.frames - before.frames, calls = after.write_calls - before.write_calls;
    CHECK(frames >= 100);
    CHECK(calls <= frames / 8);  // two calls a frame without the gathering
    CHECK(count(reader) == 100);
    CHECK(reader.execAndGet("SELECT sum(length(body)) FROM t").getInt64() == 300000);
    CHECK(integrity(reader) == "ok");
}

TEST_CASE("a transaction that spills before its commit, a rollback and a WAL started afresh leave exactly what was committed") {
    Files f;
    f.writer.exec("PRAGMA cache_size=10");  // a few pages: a long transaction writes frames before its commit
    SQLite::Database reader(f.path, SQLite::OPEN_READONLY);

    f.write(300, false);
    CHECK(count(reader) == 0);
    f.write(50);
    CHECK(count(reader) == 50);
    f.write(300);
    CHECK(count(reader) == 350);

    // Every frame copied back and no reader in the WAL: the next transaction starts it afresh
    // from its first byte, over frames the reader once read.
    f.writer.exec("PRAGMA wal_checkpoint(PASSIVE)");
    f.write(20);
    CHECK(count(reader) == 370);
    CHECK(integrity(reader) == "ok");

    SQLite::Database again(f.path, SQLite::OPEN_READONLY);
    CHECK(count(again) == 370);
    CHECK(integrity(again) == "ok");
}
