// SPDX-License-Identifier: MIT
// Storage: one SQLite file (WAL, busy_timeout, synchronous=FULL so an acknowledged write survives a
// crash or power cut), one connection per thread, prepared statements cached per connection, and
// writes in BEGIN IMMEDIATE transactions.
//
// Every connection carries a *scope*: empty for the core, or a station id. The SQLite authorizer
// (authorizer.hpp) consults it when a statement is prepared, so a station's SQL can reach only its
// own tables and the views the core publishes. Host services called from a station switch the
// scope back to the core for their own statements (ScopeGuard), inside the same transaction — a
// booking and its capacity change commit together.
//
// Thread safety: a Database may be shared by threads; a Conn belongs to the thread that got it from
// Database::conn() and must not be handed to another thread.
#pragma once

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "authorizer.hpp"

namespace yz {

class Conn;

// A cached prepared statement, reset and unbound when the lease ends.
class Stmt {
public:
    Stmt(SQLite::Statement* stmt, bool* busy, std::unique_ptr<SQLite::Statement> owned = nullptr);
    ~Stmt();
    Stmt(Stmt&&) noexcept;
    Stmt(const Stmt&) = delete;
    Stmt& operator=(const Stmt&) = delete;
    SQLite::Statement* operator->() { return stmt_; }
    SQLite::Statement& operator*() { return *stmt_; }

private:
    SQLite::Statement* stmt_;
    bool* busy_;
    std::unique_ptr<SQLite::Statement> owned_;
};

class Conn {
public:
    Conn(const std::string& path, int busy_timeout_ms, const std::string& synchronous);
    ~Conn();

    // A prepared statement from this connection's cache (keyed by scope and SQL).
    Stmt prepare(std::string_view sql);
    // Runs SQL without results (may hold several statements; not cached).
    void exec(const std::string& sql);

    // Runs fn inside BEGIN IMMEDIATE … COMMIT; joins the enclosing transaction if one is open.
    // Any exception rolls back (the whole outer transaction) and propagates.
    template <class Fn>
    auto write_tx(Fn&& fn) -> decltype(fn()) {
        if (tx_depth_ > 0) {
            ++tx_depth_;
            struct Depth { int& d; ~Depth() { --d; } } depth{tx_depth_};
            return fn();
        }
        begin_immediate();
        tx_depth_ = 1;
        try {
            if constexpr (std::is_void_v<decltype(fn())>) {
                fn();
                tx_depth_ = 0;
                commit();
            } else {
                auto result = fn();
                tx_depth_ = 0;
                commit();
                return result;
            }
        } catch (...) {
            tx_depth_ = 0;
            rollback();
            throw;
        }
    }
    bool in_tx() const { return tx_depth_ > 0; }

    // The current scope: "" = core, otherwise a station id.
    const std::string& scope() const { return scope_.station; }
    int64_t changes() const;
    int64_t last_insert_id() const;
    SQLite::Database& raw() { return db_; }

    class ScopeGuard {
    public:
        ScopeGuard(Conn& c, SqlScope scope) : c_(c), prev_(std::move(c.scope_)) { c.scope_ = std::move(scope); }
        ~ScopeGuard() { c_.scope_ = std::move(prev_); }
        ScopeGuard(const ScopeGuard&) = delete;
        ScopeGuard& operator=(const ScopeGuard&) = delete;

    private:
        Conn& c_;
        SqlScope prev_;
    };
    ScopeGuard enter_station(const std::string& id) { return ScopeGuard(*this, SqlScope{id, false}); }
    ScopeGuard enter_migration(const std::string& id) { return ScopeGuard(*this, SqlScope{id, true}); }
    ScopeGuard enter_core() { return ScopeGuard(*this, SqlScope{}); }

private:
    void begin_immediate();
    void commit();
    void rollback();

    struct Cached {
        std::unique_ptr<SQLite::Statement> stmt;
        bool busy = false;
    };
    SQLite::Database db_;
    SqlScope scope_;
    int tx_depth_ = 0;
    std::unordered_map<std::string, Cached> cache_;
};

class Database {
public:
    Database(std::string path, int busy_timeout_ms, std::string synchronous = "FULL");
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    // This thread's connection (opened on first use).
    Conn& conn();
    const std::string& path() const { return path_; }
    // Copies the live database to `to` with SQLite's online backup API (safe while serving).
    void backup_to(const std::string& to);

private:
    std::string path_;
    int busy_timeout_ms_;
    std::string synchronous_;
    uint64_t serial_;
    std::mutex mu_;
    std::vector<std::unique_ptr<Conn>> conns_;
};

// JSON ⇄ SQLite values. Params bind to ?1..?n; a row becomes an object keyed by column name.
void bind_json(SQLite::Statement& stmt, const nlohmann::json& params);
nlohmann::json row_json(SQLite::Statement& stmt);
nlohmann::json all_rows(SQLite::Statement& stmt);
// The same rows as JSON text, written directly (the hot path of a station's query).
std::string all_rows_text(SQLite::Statement& stmt);

// Versioned migrations of one scope, each applied once in its own transaction.
struct Migration {
    int version;
    std::string sql;
};
// Applies what is missing; returns how many ran. `scope` "" is the core; otherwise the SQL runs
// under that station's authorizer scope.
int apply_migrations(Conn& conn, const std::string& scope, const std::vector<Migration>& migrations);

}  // namespace yz
