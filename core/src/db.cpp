// SPDX-License-Identifier: MIT
#include "db.hpp"

#include <sqlite3.h>

#include <SQLiteCpp/Backup.h>
#include <atomic>

#include "authorizer.hpp"
#include <yz/json_text.hpp>
#include "time_util.hpp"

namespace yz {
using nlohmann::json;

Stmt::Stmt(SQLite::Statement* stmt, bool* busy, std::unique_ptr<SQLite::Statement> owned)
    : stmt_(stmt), busy_(busy), owned_(std::move(owned)) {}
Stmt::Stmt(Stmt&& o) noexcept : stmt_(o.stmt_), busy_(o.busy_), owned_(std::move(o.owned_)) {
    o.stmt_ = nullptr;
    o.busy_ = nullptr;
}
Stmt::~Stmt() {
    if (!stmt_) return;
    try {
        stmt_->reset();
        stmt_->clearBindings();
    } catch (...) {
        // reset reports the last step's error again; it was already handled by the caller
    }
    if (busy_) *busy_ = false;
}

Conn::Conn(const std::string& path, int busy_timeout_ms, const std::string& synchronous)
    : db_(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX,
          busy_timeout_ms) {
    db_.exec("PRAGMA journal_mode=WAL");
    db_.exec("PRAGMA synchronous=" + synchronous);
    db_.exec("PRAGMA foreign_keys=ON");
    install_authorizer(db_.getHandle(), &scope_);
}

Conn::~Conn() {
    cache_.clear();
    sqlite3_set_authorizer(db_.getHandle(), nullptr, nullptr);
}

Stmt Conn::prepare(std::string_view sql) {
    std::string key = scope_.station;
    key.push_back(scope_.migrating ? '\x1e' : '\x1f');
    key.append(sql);
    auto it = cache_.find(key);
    if (it == cache_.end()) {
        Cached c;
        c.stmt = std::make_unique<SQLite::Statement>(db_, std::string(sql));
        it = cache_.emplace(std::move(key), std::move(c)).first;
    }
    if (it->second.busy) {
        // The same SQL is already stepping higher up the stack: use a one-off statement.
        auto owned = std::make_unique<SQLite::Statement>(db_, std::string(sql));
        SQLite::Statement* p = owned.get();
        return Stmt(p, nullptr, std::move(owned));
    }
    it->second.busy = true;
    return Stmt(it->second.stmt.get(), &it->second.busy);
}

void Conn::exec(const std::string& sql) { db_.exec(sql); }
int64_t Conn::changes() const { return sqlite3_changes64(db_.getHandle()); }
int64_t Conn::last_insert_id() const { return sqlite3_last_insert_rowid(db_.getHandle()); }

void Conn::begin_immediate() {
    auto g = enter_core();
    db_.exec("BEGIN IMMEDIATE");
}
void Conn::commit() {
    auto g = enter_core();
    db_.exec("COMMIT");
}
void Conn::rollback() {
    auto g = enter_core();
    try {
        if (!sqlite3_get_autocommit(db_.getHandle())) db_.exec("ROLLBACK");
    } catch (...) {
    }
}

namespace {
std::atomic<uint64_t> g_next_serial{1};
thread_local std::unordered_map<uint64_t, Conn*> t_conns;
}  // namespace

Database::Database(std::string path, int busy_timeout_ms, std::string synchronous)
    : path_(std::move(path)), busy_timeout_ms_(busy_timeout_ms), synchronous_(std::move(synchronous)),
      serial_(g_next_serial.fetch_add(1)) {}

Database::~Database() {
    std::lock_guard lock(mu_);
    conns_.clear();
}

Conn& Database::conn() {
    auto it = t_conns.find(serial_);
    if (it != t_conns.end()) return *it->second;
    auto c = std::make_unique<Conn>(path_, busy_timeout_ms_, synchronous_);
    Conn* raw = c.get();
    {
        std::lock_guard lock(mu_);
        conns_.push_back(std::move(c));
    }
    t_conns[serial_] = raw;
    return *raw;
}

void Database::backup_to(const std::string& to) {
    SQLite::Database dest(to, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    Conn& src = conn();
    SQLite::Backup backup(dest, src.raw());
    // Copy in steps so writers are not locked out for the whole copy.
    while (backup.executeStep(256) != SQLITE_DONE) {
    }
}

void bind_json(SQLite::Statement& stmt, const json& params) {
    if (params.is_null()) return;
    if (!params.is_array()) throw std::invalid_argument("params must be a JSON array");
    int n = stmt.getBindParameterCount();
    if (static_cast<int>(params.size()) != n)
        throw std::invalid_argument("statement has " + std::to_string(n) + " parameters, got " +
                                    std::to_string(params.size()));
    for (int i = 0; i < n; ++i) {
        const json& v = params[static_cast<size_t>(i)];
        int idx = i + 1;
        if (v.is_null()) stmt.bind(idx);
        else if (v.is_boolean()) stmt.bind(idx, v.get<bool>() ? 1 : 0);
        else if (v.is_number_integer()) stmt.bind(idx, v.get<int64_t>());
        else if (v.is_number_float()) stmt.bind(idx, v.get<double>());
        else if (v.is_string()) stmt.bind(idx, v.get_ref<const std::string&>());
        else stmt.bind(idx, v.dump());  // objects/arrays are stored as JSON text
    }
}

json row_json(SQLite::Statement& stmt) {
    json row = json::object();
    int n = stmt.getColumnCount();
    for (int i = 0; i < n; ++i) {
        SQLite::Column c = stmt.getColumn(i);
        const char* name = stmt.getColumnName(i);
        switch (c.getType()) {
            case SQLITE_INTEGER: row[name] = c.getInt64(); break;
            case SQLITE_FLOAT: row[name] = c.getDouble(); break;
            case SQLITE_TEXT: row[name] = c.getString(); break;
            case SQLITE_BLOB: row[name] = nullptr; break;  // blobs never cross as JSON
            default: row[name] = nullptr;
        }
    }
    return row;
}

json all_rows(SQLite::Statement& stmt) {
    json rows = json::array();
    while (stmt.executeStep()) rows.push_back(row_json(stmt));
    return rows;
}

std::string all_rows_text(SQLite::Statement& stmt) {
    std::string out = "[";
    int n = stmt.getColumnCount();
    bool first_row = true;
    while (stmt.executeStep()) {
        out += first_row ? "{" : ",{";
        first_row = false;
        for (int i = 0; i < n; ++i) {
            if (i) out.push_back(',');
            json_text::append_string(out, stmt.getColumnName(i));
            out.push_back(':');
            SQLite::Column c = stmt.getColumn(i);
            switch (c.getType()) {
                case SQLITE_INTEGER: json_text::append_int(out, c.getInt64()); break;
                case SQLITE_FLOAT: json_text::append_double(out, c.getDouble()); break;
                case SQLITE_TEXT: json_text::append_string(out, std::string_view(c.getText(), static_cast<size_t>(c.getBytes()))); break;
                default: out += "null";  // NULL, and blobs never cross as JSON
            }
        }
        out.push_back('}');
    }
    out.push_back(']');
    return out;
}

int apply_migrations(Conn& conn, const std::string& scope, const std::vector<Migration>& migrations) {
    int ran = 0;
    for (const auto& m : migrations) {
        bool applied = conn.write_tx([&] {
            auto core = conn.enter_core();
            auto q = conn.prepare("SELECT 1 FROM core_migrations WHERE scope = ?1 AND version = ?2");
            q->bind(1, scope);
            q->bind(2, m.version);
            if (q->executeStep()) return false;
            {
                auto st = conn.enter_migration(scope);
                conn.exec(m.sql);
            }
            auto ins = conn.prepare(
                "INSERT INTO core_migrations(scope, version, applied_at) VALUES (?1, ?2, ?3)");
            ins->bind(1, scope);
            ins->bind(2, m.version);
            ins->bind(3, time::system_now_ms());
            ins->exec();
            return true;
        });
        ran += applied ? 1 : 0;
    }
    return ran;
}

}  // namespace yz
