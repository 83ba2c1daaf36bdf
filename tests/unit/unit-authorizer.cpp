// SPDX-License-Identifier: MIT
// Station isolation inside the shared database: what a station's SQL may and may not touch.
#include <doctest/doctest.h>

#include "../support/test_server.hpp"
#include "authorizer.hpp"
#include "core_schema.hpp"
#include "db.hpp"

using yz::Conn;
using yz::Database;

namespace {

struct Fixture {
    yz::test::TempDir dir;
    Database db{dir.path + "/t.sqlite", 2000};
    Conn& c = db.conn();
    Fixture() {
        yz::migrate_core(c);
        auto core = c.enter_core();
        c.exec("CREATE TABLE alpha_things(id INTEGER PRIMARY KEY, v TEXT)");
        c.exec("CREATE TABLE beta_secrets(id INTEGER PRIMARY KEY, v TEXT)");
        c.exec("INSERT INTO beta_secrets(v) VALUES ('beta only')");
        c.exec("INSERT INTO core_users(openid, display_name, created_at) VALUES ('o1', '张三', 0)");
    }
    // Runs `sql` as station alpha; true if SQLite accepted it.
    bool as_alpha(const std::string& sql) {
        auto scope = c.enter_station("alpha");
        try {
            c.exec(sql);
            return true;
        } catch (const std::exception& e) {
            return false;
        }
    }
};

}  // namespace

TEST_CASE("a station reaches its own tables") {
    Fixture f;
    CHECK(f.as_alpha("INSERT INTO alpha_things(v) VALUES ('mine')"));
    CHECK(f.as_alpha("UPDATE alpha_things SET v = 'changed'"));
    CHECK(f.as_alpha("SELECT * FROM alpha_things"));
    CHECK(f.as_alpha("DELETE FROM alpha_things WHERE id = 1"));
    CHECK(f.as_alpha("CREATE TABLE alpha_more(id INTEGER PRIMARY KEY, k TEXT UNIQUE)"));
    CHECK(f.as_alpha("CREATE INDEX alpha_more_k ON alpha_more(k)"));
    {
        // Schema changes are migrations: ALTER TABLE needs the migration scope.
        auto migration = f.c.enter_migration("alpha");
        CHECK_NOTHROW(f.c.exec("ALTER TABLE alpha_more ADD COLUMN extra TEXT"));
    }
    CHECK(f.as_alpha("CREATE TRIGGER alpha_t AFTER INSERT ON alpha_things BEGIN UPDATE alpha_things SET v = v; END"));
}

TEST_CASE("a station reads published views, not the core's tables") {
    Fixture f;
    CHECK(f.as_alpha("SELECT id, display_name FROM pub_users"));
    CHECK(f.as_alpha("SELECT user_id FROM pub_user_roles WHERE role = 'member'"));
    CHECK_FALSE(f.as_alpha("SELECT * FROM core_users"));
    CHECK_FALSE(f.as_alpha("SELECT granted_by FROM core_roles"));
    CHECK_FALSE(f.as_alpha("SELECT token_hash FROM core_sessions"));
    CHECK_FALSE(f.as_alpha("UPDATE core_roles SET role = 'admin'"));
    CHECK_FALSE(f.as_alpha("INSERT INTO core_roles(user_id, role, granted_at) VALUES (1, 'admin', 0)"));
    CHECK_FALSE(f.as_alpha("DELETE FROM core_audit"));
}

TEST_CASE("a station cannot touch another station's tables") {
    Fixture f;
    CHECK_FALSE(f.as_alpha("SELECT * FROM beta_secrets"));
    CHECK_FALSE(f.as_alpha("INSERT INTO beta_secrets(v) VALUES ('x')"));
    CHECK_FALSE(f.as_alpha("UPDATE beta_secrets SET v = 'x'"));
    CHECK_FALSE(f.as_alpha("DELETE FROM beta_secrets"));
    CHECK_FALSE(f.as_alpha("CREATE TABLE beta_more(id INTEGER)"));
    CHECK_FALSE(f.as_alpha("CREATE INDEX alpha_idx ON beta_secrets(v)"));
    CHECK_FALSE(f.as_alpha("ALTER TABLE beta_secrets ADD COLUMN x TEXT"));
}

TEST_CASE("a station's own view or trigger over core tables is refused") {
    Fixture f;
    // Creating such a view is refused when it is compiled, or when it is read.
    bool created = f.as_alpha("CREATE VIEW alpha_leak AS SELECT * FROM core_sessions");
    if (created) CHECK_FALSE(f.as_alpha("SELECT * FROM alpha_leak"));
    // A trigger's statements are authorised when it fires, with the trigger as the source: the
    // insert that would fire it is refused, and nothing reaches the other tables.
    CHECK(f.as_alpha("CREATE TRIGGER alpha_sneak AFTER INSERT ON alpha_things BEGIN DELETE FROM core_users; INSERT INTO beta_secrets(v) VALUES ('x'); END"));
    CHECK_FALSE(f.as_alpha("INSERT INTO alpha_things(v) VALUES ('fire')"));
    auto core = f.c.enter_core();
    auto q = f.c.prepare("SELECT (SELECT count(*) FROM core_users), (SELECT count(*) FROM beta_secrets)");
    REQUIRE(q->executeStep());
    CHECK(q->getColumn(0).getInt() == 1);
    CHECK(q->getColumn(1).getInt() == 1);
}

TEST_CASE("ATTACH, PRAGMA, transactions, schema reads and drops are denied") {
    Fixture f;
    CHECK_FALSE(f.as_alpha("ATTACH DATABASE '" + f.dir.path + "/other.sqlite' AS other"));
    CHECK_FALSE(f.as_alpha("PRAGMA writable_schema = 1"));
    CHECK_FALSE(f.as_alpha("PRAGMA table_info(core_users)"));
    CHECK_FALSE(f.as_alpha("BEGIN"));
    CHECK_FALSE(f.as_alpha("SAVEPOINT s1"));
    CHECK_FALSE(f.as_alpha("SELECT name, sql FROM sqlite_master"));
    CHECK_FALSE(f.as_alpha("ALTER TABLE alpha_things ADD COLUMN outside_migration TEXT"));
    CHECK_FALSE(f.as_alpha("DROP TABLE alpha_things"));
    CHECK_FALSE(f.as_alpha("CREATE TEMP TABLE alpha_tmp(x)"));
    CHECK_FALSE(f.as_alpha("ANALYZE"));
}

TEST_CASE("the core scope is unrestricted and statements are cached per scope") {
    Fixture f;
    {
        auto core = f.c.enter_core();
        auto q = f.c.prepare("SELECT count(*) FROM beta_secrets");
        REQUIRE(q->executeStep());
        CHECK(q->getColumn(0).getInt() == 1);
    }
    // The same SQL prepared again under a station scope must be authorised anew, not reused.
    auto scope = f.c.enter_station("alpha");
    CHECK_THROWS(f.c.prepare("SELECT count(*) FROM beta_secrets"));
}

TEST_CASE("station ids cannot take the core's prefixes") {
    CHECK(yz::station_id_valid("notices"));
    CHECK(yz::station_id_valid("convenience"));
    CHECK_FALSE(yz::station_id_valid("core"));
    CHECK_FALSE(yz::station_id_valid("core_x"));
    CHECK_FALSE(yz::station_id_valid("pubs"));
    CHECK_FALSE(yz::station_id_valid("sqlite_x"));
    CHECK_FALSE(yz::station_id_valid("Notices"));
    CHECK_FALSE(yz::station_id_valid("a"));
    CHECK_FALSE(yz::station_id_valid(std::string(33, 'a')));
}
