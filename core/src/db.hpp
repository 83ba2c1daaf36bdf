// SPDX-License-Identifier: MIT
// Storage: one SQLite file (WAL, busy_timeout, synchronous=FULL so an acknowledged write survives a
// crash or power cut), one connection per thread for reads, prepared statements cached per
// connection, and writes in BEGIN IMMEDIATE transactions on one writing connection (WriteGate).
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

#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "authorizer.hpp"

struct sqlite3;

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

class WriteGate;

class Conn {
public:
    // vfs: a registered SQLite VFS's name; null for SQLite's default.
    Conn(const std::string& path, int busy_timeout_ms, const std::string& synchronous, WriteGate* gate = nullptr,
         const char* vfs = nullptr);
    ~Conn();

    // A prepared statement from this connection's cache (keyed by scope and SQL).
    Stmt prepare(std::string_view sql);
    // Runs SQL without results (may hold several statements; not cached).
    void exec(const std::string& sql);

    // Runs fn as one transaction and returns once it is committed; joins the enclosing transaction
    // if one is open. Any exception undoes fn's writes (the whole outer transaction's, when nested)
    // and propagates. fn runs on this thread, on the database's one writing connection (see
    // WriteGate): everything this Conn does inside fn goes there.
    template <class Fn>
    auto write_tx(Fn&& fn) -> decltype(fn()) {
        return run_write(std::forward<Fn>(fn), false);
    }
    // The same, but the commit may be shared with writers queued behind (group commit): fewer
    // syncs under load, and the call still returns only after its commit. fn runs on the
    // database's writer thread while this one waits: there, this Conn and that thread's
    // Database::conn() both reach the writing connection. For request paths that hold no lock of
    // their own across the call — fn, or a later writer in the group, may need it — and keep no
    // state of their own in thread-locals.
    template <class Fn>
    auto write_tx_grouped(Fn&& fn) -> decltype(fn()) {
        return run_write(std::forward<Fn>(fn), true);
    }
    bool in_tx() const { return target_->tx_depth_ > 0; }

    // The current scope: "" = core, otherwise a station id.
    const std::string& scope() const { return target_->scope_.station; }
    int64_t changes() const;
    int64_t last_insert_id() const;
    SQLite::Database& raw() { return target_->db_; }

    class ScopeGuard {
    public:
        ScopeGuard(Conn& c, SqlScope scope) : c_(*c.target_), prev_(std::move(c_.scope_)) { c_.scope_ = std::move(scope); }
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
    friend class WriteGate;

    template <class Fn>
    auto run_write(Fn&& fn, bool grouped) -> decltype(fn()) {
        Conn& t = *target_;
        if (t.tx_depth_ > 0) {
            ++t.tx_depth_;
            struct Depth { int& d; ~Depth() { --d; } } depth{t.tx_depth_};
            return fn();
        }
        using R = decltype(fn());
        if constexpr (std::is_void_v<R>) {
            write_outermost([&] { fn(); }, grouped);
        } else {
            std::optional<R> result;
            write_outermost([&] { result.emplace(fn()); }, grouped);
            return std::move(*result);
        }
    }
    void write_outermost(const std::function<void()>& body, bool grouped);
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
    std::string key_;  // prepare()'s lookup key, reused: a station's SQL is a few hundred bytes
    WriteGate* gate_;
    // Where this Conn's work goes: itself, or the writing connection while a write runs.
    Conn* target_ = this;
};

// All writes of a Database go through one connection, one at a time: an in-process queue instead
// of SQLite's busy handler, which sleeps in steps of up to 100 ms and made the slowest bookings
// wait a second under load. Each write runs inside a SAVEPOINT of the open transaction; a failed
// write rolls back to its savepoint alone. Grouped writes (request paths) queue, in arrival
// order, for the database's writer thread, which runs them one after another and commits when
// the queue is empty or the group full (one sync for many); each grouped writer returns only
// after its group's commit is on disk — nothing is acknowledged before it is durable. A write
// that is not grouped runs on its own thread (its thread-locals and locks stay its own), between
// groups, and commits at once. If a commit fails, every write in its group fails.
// With synchronous FULL the sync is the gate's own, after the commit and outside the gate, so the
// next group writes while this one's WAL frames go to disk (see WriteGate::run). Checkpoints, too,
// run outside the gate, on a thread of their own (see on_wal_commit).
class WriteGate {
public:
    WriteGate(std::string path, int busy_timeout_ms, std::string synchronous);
    ~WriteGate();
    void run(Conn& caller, const std::function<void()>& body, bool grouped);

    struct Stats {
        uint64_t commits = 0;    // groups committed
        uint64_t wal_syncs = 0;  // fdatasync calls of the gate's own (see wait_durable)
        uint64_t checkpoints = 0;   // checkpoints the checkpointer ran, off the gate
        uint64_t checkpointed_frames = 0;  // the WAL's frames copied when each of them ended, summed
        uint64_t wal_restarts = 0;  // times a COMMIT found the WAL started afresh
    };
    Stats stats();
    // How the writer thread gets a Conn of its own (Database::conn). Without one, grouped writes
    // run on their own threads, each committed alone.
    void set_thread_conn(std::function<Conn&()> conn) { thread_conn_ = std::move(conn); }
    // Queues body as a grouped write and returns at once; the writer thread runs it and then calls
    // done with what went wrong, if anything (its throw, or its group's failed commit). Done
    // means ended: committed, not necessarily synced to disk.
    void run_detached(std::function<void()> body, std::function<void(std::exception_ptr)> done);
    // Ends the writer thread once the queue is empty (the Database does it before closing Conns).
    void stop_writer_thread();

private:
    struct Task;
    void run_grouped(Conn& caller, const std::function<void()>& body);
    // With queue_mu_ held: queues a write for the writer thread, started on first use.
    void enqueue(Task* task);
    void writer_loop();
    void write_groups(Conn& self);
    void tell_group_ended();
    std::exception_ptr run_member(Conn& caller, Conn& self, const std::function<void()>& body, uint64_t& group);
    void commit_group();
    // With gate_ held: the open group is over, committed (error empty) or not; its writers are told.
    void finish_group(const std::string& error);
    // Opens the writing connection, decides who syncs the WAL, and starts the checkpointer.
    void open_writer();
    // Returns once `group` is on disk (or throws why not). See run().
    void wait_durable(uint64_t group);
    // fdatasync of the WAL file; "" or why it failed. Called by one thread at a time.
    std::string sync_wal();
    // SQLite's WAL hook, after each COMMIT: wakes the checkpointer when the WAL has grown, and
    // finishes its checkpoint when it is done (see the .cpp).
    static int on_wal_commit(void* self, sqlite3*, const char*, int wal_pages);
    // Four times SQLite's autocheckpoint: a rush writes the same hot pages again and again, so a
    // longer WAL leaves fewer distinct pages to copy per page written, and the COMMIT's share of
    // the work (the copy's tail) comes a quarter as often. 16 MB of WAL at 4 KiB pages.
    static constexpr int kCheckpointPages = 4000;
    // The checkpointer thread's loop, on a connection of its own to `file`.
    void checkpoint_loop(const std::string& file);

    std::string path_;
    int busy_timeout_ms_;
    std::string synchronous_;
    std::unique_ptr<Conn> writer_;  // opened on first write
    std::mutex gate_;
    // Grouped writes waiting for the writer thread, in arrival order; the open group's, run.
    std::mutex queue_mu_;
    std::condition_variable work_cv_;
    std::deque<Task*> pending_;
    std::vector<Task*> group_tasks_;
    int alone_waiting_ = 0;  // writes waiting for gate_ on their own thread (run, not grouped)
    bool stopping_ = false;
    std::function<Conn&()> thread_conn_;
    std::thread writer_thread_;  // started by the first grouped write
    // The open transaction, if any: its group number and how many writes it holds.
    bool open_ = false;
    uint64_t group_ = 0;
    int members_ = 0;
    // Groups finished (committed or failed) and groups on disk, for writers waiting on both.
    std::mutex done_mu_;
    std::condition_variable done_cv_;
    uint64_t ended_through_ = 0;
    uint64_t durable_through_ = 0;
    bool syncing_ = false;
    uint64_t commits_ = 0, wal_syncs_ = 0;
    std::map<uint64_t, std::string> failed_;  // group → why its commit failed (kept small)
    // Set when the writer opens: the gate syncs the WAL itself, after the commit (see run).
    bool sync_after_commit_ = false;
    std::string wal_path_;
    int wal_fd_ = -1;
    std::mutex checkpoint_mu_;
    std::condition_variable checkpoint_cv_;
    enum class Checkpoint { idle, copying, copied } checkpoint_ = Checkpoint::idle;
    bool checkpoint_stopping_ = false;
    uint64_t checkpoints_ = 0, wal_restarts_ = 0, checkpointed_frames_ = 0;
    int last_wal_pages_ = 0;
    std::thread checkpointer_;  // started with the writer on a WAL file
};

class Database {
public:
    Database(std::string path, int busy_timeout_ms, std::string synchronous = "FULL");
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    // This thread's connection: on its first use, a spare if one is ready, else opened then.
    Conn& conn();
    // Opens n connections on a thread of its own, each with the schema read, for threads to take
    // on their first conn(). After a restart in a rush every worker thread's first request would
    // otherwise open one (about a millisecond: the file, pragmas, parsing ~70 tables' schema) on
    // the same two cores as the rush (a first 3 s booking run on a 1M-booking database, four each:
    // p99 54-137 ms without spares, 50-59 with). Returns at once; a thread that comes before its
    // spare opens its own.
    void open_spares(size_t n);
    const std::string& path() const { return path_; }
    // Copies the live database to `to` with SQLite's online backup API (safe while serving).
    void backup_to(const std::string& to);
    WriteGate::Stats write_stats() { return gate_.stats(); }
    // A write nobody waits for: fn runs on the database's writer thread, in the next group, with
    // a Conn of that thread; done is called there once the group has ended (see
    // WriteGate::run_detached). For a record whose loss in a crash costs nothing acknowledged.
    void write_detached(std::function<void(Conn&)> fn, std::function<void(std::exception_ptr)> done);
    // Returns once every write queued before the call has ended (detached ones included).
    void wait_for_queued_writes();

private:
    std::string path_;
    int busy_timeout_ms_;
    std::string synchronous_;
    uint64_t serial_;
    WriteGate gate_;
    std::mutex mu_;
    std::vector<std::unique_ptr<Conn>> conns_;
    std::vector<Conn*> spares_;  // among conns_, not yet any thread's
    std::atomic<bool> closing_{false};
    std::thread spare_opener_;
};

// JSON ⇄ SQLite values. Params bind to ?1..?n; a row becomes an object keyed by column name.
void bind_json(SQLite::Statement& stmt, const nlohmann::json& params);
// The same for params as JSON text when they are the usual flat array of integers, booleans,
// nulls and plain ASCII strings: bound straight from the text, no tree built. Returns false,
// having bound nothing, for anything else (or a count that does not fit): use bind_json then.
bool bind_plain_params(SQLite::Statement& stmt, std::string_view text);
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
