// SPDX-License-Identifier: MIT
#include "db.hpp"

#include <sqlite3.h>

#include <SQLiteCpp/Backup.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <charconv>
#include <cstring>
#include <filesystem>

#include "authorizer.hpp"
#include "log.hpp"
#include <yz/json_text.hpp>
#include "time_util.hpp"
#include "wal_write_gather.hpp"

namespace yz {
using nlohmann::json;

namespace {
// SQLite counts every allocation it makes in process-wide statistics kept behind one mutex, which
// every worker thread's connection would then take several times a query. Nothing reads them
// (sqlite3_memory_used). Only settable before SQLite initializes, hence at load time; if something
// opened a database first, SQLite refuses and keeps counting, which is only slower.
[[maybe_unused]] const int kMemoryStatsOff = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}  // namespace

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

Conn::Conn(const std::string& path, int busy_timeout_ms, const std::string& synchronous, WriteGate* gate, const char* vfs)
    : db_(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX, busy_timeout_ms, vfs ? vfs : ""),
      gate_(gate) {
    db_.exec("PRAGMA journal_mode=WAL");
    db_.exec("PRAGMA synchronous=" + synchronous);
    db_.exec("PRAGMA foreign_keys=ON");
    // Each write runs in a SAVEPOINT of the group's transaction (WriteGate), so SQLite keeps the
    // pages it changes in a sub-journal; past 64 KiB (a booking touches ~30 pages) that went to a
    // new temp file in /var/tmp — four of every five pwrite calls under a booking rush. In memory
    // it holds one write's pages at most and is freed with the savepoint.
    db_.exec("PRAGMA temp_store=MEMORY");
    install_authorizer(db_.getHandle(), &scope_);
}

Conn::~Conn() {
    cache_.clear();
    sqlite3_set_authorizer(db_.getHandle(), nullptr, nullptr);
}

Stmt Conn::prepare(std::string_view sql) {
    if (target_ != this) return target_->prepare(sql);
    key_.assign(scope_.station);
    key_.push_back(scope_.migrating ? '\x1e' : '\x1f');
    key_.append(sql);
    auto it = cache_.find(key_);
    if (it == cache_.end()) {
        Cached c;
        c.stmt = std::make_unique<SQLite::Statement>(db_, std::string(sql));
        it = cache_.emplace(key_, std::move(c)).first;
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

void Conn::exec(const std::string& sql) { target_->db_.exec(sql); }
int64_t Conn::changes() const { return sqlite3_changes64(target_->db_.getHandle()); }
int64_t Conn::last_insert_id() const { return sqlite3_last_insert_rowid(target_->db_.getHandle()); }

void Conn::write_outermost(const std::function<void()>& body, bool grouped) {
    if (gate_) return gate_->run(*this, body, grouped);
    // A connection of its own (no Database): a plain transaction.
    begin_immediate();
    tx_depth_ = 1;
    try {
        body();
    } catch (...) {
        tx_depth_ = 0;
        rollback();
        throw;
    }
    tx_depth_ = 0;
    commit();
}

void Conn::begin_immediate() {
    auto g = enter_core();
    prepare("BEGIN IMMEDIATE")->exec();
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

WriteGate::WriteGate(std::string path, int busy_timeout_ms, std::string synchronous)
    : path_(std::move(path)), busy_timeout_ms_(busy_timeout_ms), synchronous_(std::move(synchronous)) {}

WriteGate::~WriteGate() {
    stop_writer_thread();
    // Every write has returned by now, so no group is open; nothing to commit.
    if (checkpointer_.joinable()) {
        {
            std::lock_guard lock(checkpoint_mu_);
            checkpoint_stopping_ = true;
        }
        checkpoint_cv_.notify_one();
        checkpointer_.join();
    }
    if (wal_fd_ >= 0) ::close(wal_fd_);
}

void WriteGate::stop_writer_thread() {
    {
        std::lock_guard queue(queue_mu_);
        stopping_ = true;
    }
    work_cv_.notify_one();
    if (writer_thread_.joinable()) writer_thread_.join();
}

WriteGate::Stats WriteGate::stats() {
    Stats st;
    {
        std::lock_guard done(done_mu_);
        st.commits = commits_;
        st.wal_syncs = wal_syncs_;
    }
    std::lock_guard lock(checkpoint_mu_);
    st.checkpoints = checkpoints_;
    st.checkpointed_frames = checkpointed_frames_;
    st.wal_restarts = wal_restarts_;
    return st;
}

namespace {
constexpr int kMaxGroup = 64;  // writes sharing one commit at most: bounds the first one's wait

// Points a Conn at the writer while a write's body runs, and puts it back however it ends.
struct Redirect {
    Conn& conn;
    Conn*& target;
    ~Redirect() { target = &conn; }
};
// The writer's scope and depth for one write's body, restored however it ends.
struct WriterState {
    SqlScope& scope;
    SqlScope saved;
    int& depth;
    ~WriterState() {
        depth = 0;
        scope = std::move(saved);
    }
};
}  // namespace

namespace {
// What a write hears when its group did not commit (or, with sync after commit, not reach disk).
std::runtime_error not_committed(const std::string& why) { return std::runtime_error("write not committed: " + why); }
}  // namespace

// A grouped write waiting in the queue for the writer thread (run_grouped).
struct WriteGate::Task {
    Conn* caller = nullptr;  // null: the writer thread's own (a detached write)
    const std::function<void()>* body = nullptr;
    // A detached write's own body, and what to call once its group has ended.
    std::function<void()> owned_body;
    std::function<void(std::exception_ptr)> on_done;
    std::exception_ptr failed;
    uint64_t group = 0;  // the group it ran in; 0 if none could be opened
    bool done = false;   // ran, and its group ended (committed or not)
    std::condition_variable wake;
};

void WriteGate::run(Conn& caller, const std::function<void()>& body, bool grouped) {
    if (grouped && thread_conn_) return run_grouped(caller, body);
    {
        std::lock_guard queue(queue_mu_);
        ++alone_waiting_;
    }
    std::unique_lock gate(gate_);
    {
        std::lock_guard queue(queue_mu_);
        --alone_waiting_;
    }
    work_cv_.notify_one();  // the writer thread may go on once this write is done with the gate
    if (!writer_) open_writer();
    uint64_t group = 0;
    std::exception_ptr failed = run_member(caller, caller, body, group);
    if (open_) commit_group();
    gate.unlock();
    if (failed) std::rethrow_exception(failed);
    wait_durable(group);
}

// Grouped writes queue up for the writer thread, which runs them one after another and commits
// them together, then wakes their threads. Under a booking rush that replaces a handoff of the
// gate between threads for every write — a futex wake and a context switch, a fifth of the
// writer's time on these machines, and far more when the woken thread waits its turn for a core
// behind the last group's — with none: the writer thread runs as long as writes are queued.
void WriteGate::run_grouped(Conn& caller, const std::function<void()>& body) {
    Task mine;
    mine.caller = &caller;
    mine.body = &body;
    {
        std::unique_lock queue(queue_mu_);
        enqueue(&mine);
        mine.wake.wait(queue, [&] { return mine.done; });
    }
    if (mine.failed) std::rethrow_exception(mine.failed);
    wait_durable(mine.group);
}

void WriteGate::run_detached(std::function<void()> body, std::function<void(std::exception_ptr)> done) {
    auto task = std::make_unique<Task>();
    task->owned_body = std::move(body);
    task->body = &task->owned_body;
    task->on_done = std::move(done);
    std::lock_guard queue(queue_mu_);
    enqueue(task.release());
}

void WriteGate::enqueue(Task* task) {
    if (!writer_thread_.joinable()) writer_thread_ = std::thread([this] { writer_loop(); });
    pending_.push_back(task);
    // A queue that was not empty has woken the writer thread already (or will, once the write
    // waiting for the gate on its own thread has it).
    if (pending_.size() == 1) work_cv_.notify_one();
}

// The writer thread: runs queued writes in groups until the queue is empty, then sleeps. Between
// groups it lets a write that runs on its own thread (run, not grouped) take the gate first.
void WriteGate::writer_loop() {
    // This thread's own Conn: what a write's body reaches through Database::conn() here. It is
    // pointed at the writer, as well as the Conn the write came from, while each body runs.
    Conn& self = thread_conn_();
    std::unique_lock queue(queue_mu_);
    for (;;) {
        work_cv_.wait(queue, [&] { return stopping_ || (!pending_.empty() && alone_waiting_ == 0); });
        if (pending_.empty()) return;  // stopping, with nothing left
        queue.unlock();
        {
            std::lock_guard gate(gate_);
            write_groups(self);
        }
        queue.lock();
    }
}

// With gate_ held, on the writer thread: groups of queued writes, each committed when the queue
// is empty or the group full, until the queue is empty or another write waits for the gate.
void WriteGate::write_groups(Conn& self) {
    if (!writer_) {
        try {
            open_writer();
        } catch (...) {
            // No writer, no writes: every queued one fails with the reason.
            {
                std::lock_guard queue(queue_mu_);
                for (Task* t : pending_) {
                    t->failed = std::current_exception();
                    group_tasks_.push_back(t);
                }
                pending_.clear();
            }
            tell_group_ended();
            return;
        }
    }
    for (;;) {
        Task* next = nullptr;
        {
            std::lock_guard queue(queue_mu_);
            if (!pending_.empty() && (!open_ || members_ < kMaxGroup)) {
                next = pending_.front();
                pending_.pop_front();
            }
        }
        if (next) {
            next->failed = run_member(next->caller ? *next->caller : self, self, *next->body, next->group);
            group_tasks_.push_back(next);
            if (open_) continue;  // else an error ended the group: tell its writers now
        }
        if (open_) commit_group();
        tell_group_ended();
        std::lock_guard queue(queue_mu_);
        if (pending_.empty() || alone_waiting_ > 0) return;
    }
}

// The writes of the group that just ended: their threads wake, detached ones hear how it went.
void WriteGate::tell_group_ended() {
    std::vector<std::unique_ptr<Task>> detached;
    {
        std::lock_guard queue(queue_mu_);
        for (Task* t : group_tasks_) {
            if (t->on_done) {
                detached.emplace_back(t);
                continue;
            }
            t->done = true;
            t->wake.notify_one();
        }
        group_tasks_.clear();
    }
    for (auto& t : detached) {
        std::exception_ptr failed = t->failed;
        if (!failed && t->group) {
            std::lock_guard done(done_mu_);
            if (auto it = failed_.find(t->group); it != failed_.end())
                failed = std::make_exception_ptr(not_committed(it->second));
        }
        try {
            t->on_done(failed);
        } catch (...) {
            // a callback's own failure is its to report; the writer goes on
        }
    }
}

// One write in a SAVEPOINT of the open group (opened first if none is), on this thread; `self`
// is this thread's own Conn. Returns what the body threw, if anything; `group` is the group it
// joined (0 if none could be opened).
std::exception_ptr WriteGate::run_member(Conn& caller, Conn& self, const std::function<void()>& body, uint64_t& group) {
    Conn& w = *writer_;
    sqlite3* handle = w.db_.getHandle();
    if (!open_) {
        try {
            w.begin_immediate();  // throws (busy past the timeout: another process) with nothing open
        } catch (...) {
            return std::current_exception();
        }
        open_ = true;
        ++group_;
        members_ = 0;
    }
    group = group_;
    ++members_;

    std::exception_ptr failed;
    try {
        {
            auto core = w.enter_core();
            w.prepare("SAVEPOINT yz_write")->exec();
        }
        {
            WriterState state{w.scope_, w.scope_, w.tx_depth_};
            Redirect to_caller{caller, caller.target_};
            Redirect to_self{self, self.target_};
            w.scope_ = caller.scope_;
            w.tx_depth_ = 1;
            caller.target_ = &w;
            self.target_ = &w;
            body();
        }
        auto core = w.enter_core();
        w.prepare("RELEASE yz_write")->exec();
    } catch (...) {
        failed = std::current_exception();
        auto core = w.enter_core();
        try {
            if (!sqlite3_get_autocommit(handle)) {
                w.db_.exec("ROLLBACK TO yz_write");
                w.db_.exec("RELEASE yz_write");
            }
        } catch (...) {
            w.rollback();
        }
        // SQLite may end the whole transaction on some errors (I/O, full disk): the group's
        // earlier writes are gone with it.
        if (sqlite3_get_autocommit(handle)) finish_group("rolled back by an error in a later write of its group");
    }
    return failed;
}

// With gate_ held and a group open: commits it, and tells its writers how it ended.
void WriteGate::commit_group() {
    Conn& w = *writer_;
    std::string error;
    try {
        auto core = w.enter_core();
        w.prepare("COMMIT")->exec();
    } catch (const std::exception& e) {
        error = e.what();
        w.rollback();
    }
    finish_group(error);
}

// The writer commits with synchronous NORMAL when FULL was asked for: COMMIT appends the group's
// frames to the WAL without an fdatasync, so the gate is held for the writes alone and not for
// the 1-5 ms the disk takes (the next group writes meanwhile; under a booking rush this halved
// the fdatasync calls and cut p99 by a tenth or more). The group's writers then sync the WAL
// themselves (wait_durable) and return only after it: nothing is acknowledged before it is on
// disk, as with FULL. One sync covers every group that ended
// before it began; the WAL is a prefix, so a later group can never survive a power cut that an
// earlier one did not. Readers may see a group a millisecond before it is durable — what a power
// cut in that millisecond takes back was never acknowledged to anyone.
void WriteGate::open_writer() {
    // Its WAL appends go to the file a commit at a time (wal_write_gather.cpp).
    writer_ = std::make_unique<Conn>(path_, busy_timeout_ms_, synchronous_, nullptr, wal_write_gather_vfs());
    // Every write's pages pass through this one connection: with SQLite's 2 MB default a booking
    // rush over an 8 MB database re-read about ten pages a booking from the file (pread, under
    // the gate). Up to 32 MB, filled only as pages are touched.
    writer_->db_.exec("PRAGMA cache_size=-32768");
    sqlite3* handle = writer_->db_.getHandle();
    std::string sync = synchronous_;
    for (char& ch : sync) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    std::string mode = writer_->db_.execAndGet("PRAGMA journal_mode").getString();
    const char* file = sqlite3_db_filename(handle, "main");
    bool wal_file = mode == "wal" && file && *file;
    if (wal_file) {
        // Checkpoints off the gate (on_wal_commit): the hook replaces SQLite's autocheckpoint.
        sqlite3_wal_hook(handle, &WriteGate::on_wal_commit, this);
        checkpointer_ = std::thread([this, db = std::string(file)] { checkpoint_loop(db); });
    }
    // FULL (SQLite's 2) or EXTRA (3) on a WAL file; a memory database or a chosen NORMAL/OFF is left as it is.
    if ((sync == "FULL" || sync == "EXTRA" || sync == "2" || sync == "3") && wal_file) {
        wal_path_ = sqlite3_filename_wal(file);
        writer_->db_.exec("PRAGMA synchronous=NORMAL");
        sync_after_commit_ = true;
    }
}

// SQLite's autocheckpoint runs in the COMMIT that takes the WAL past 1 000 pages: under the gate,
// copying them into the database file and syncing it (under a booking rush, a checkpoint every
// 40 ms, with the writer waiting for the disk). Here that COMMIT only wakes the
// checkpointer, which copies them on a connection of its own while the next groups write. A
// checkpoint done elsewhere cannot restart the WAL, though: the writer restarts it, at the start
// of its next transaction, only if the WAL was wholly copied when that began — never true under a
// rush, when frames are added as they are copied. So once the checkpointer is done, the next
// COMMIT copies the few frames added meanwhile itself (the part of the work left under the gate),
// and the transaction after it starts the WAL afresh. The WAL stays bounded: kCheckpointPages and
// what is written while one checkpoint copies.
int WriteGate::on_wal_commit(void* self, sqlite3* db, const char*, int wal_pages) {
    auto* gate = static_cast<WriteGate*>(self);
    std::unique_lock lock(gate->checkpoint_mu_);
    if (wal_pages < gate->last_wal_pages_) {
        ++gate->wal_restarts_;
        // Started afresh at a quiet moment with the checkpointer's copy complete: nothing to finish.
        if (gate->checkpoint_ == Checkpoint::copied) gate->checkpoint_ = Checkpoint::idle;
    }
    gate->last_wal_pages_ = wal_pages;
    if (wal_pages < kCheckpointPages) return SQLITE_OK;
    if (gate->checkpoint_ == Checkpoint::idle) {
        gate->checkpoint_ = Checkpoint::copying;
        gate->checkpoint_cv_.notify_one();
    } else if (gate->checkpoint_ == Checkpoint::copied) {
        gate->checkpoint_ = Checkpoint::idle;
        lock.unlock();
        sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    }
    return SQLITE_OK;
}

void WriteGate::checkpoint_loop(const std::string& file) {
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
        sqlite3_close(db);
        db = nullptr;  // then the COMMIT's own checkpoint does it all, as autocheckpoint would
    }
    // A connection opens the WAL when a read finds the database in WAL mode; until then its
    // checkpoints copy nothing and say so only as -1 frames (so the COMMIT's own checkpoint did
    // all the copying, under the gate, before this). A new database file is not in WAL mode
    // until its first write commits, which may come after this thread's first look: so it
    // looks again whenever a checkpoint finds no WAL. Once open, the WAL stays open.
    auto checkpoint = [&db](int& wal, int& copied) {
        int rc = sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, &wal, &copied);
        if (rc != SQLITE_OK || wal >= 0) return rc;
        sqlite3_exec(db, "SELECT 1 FROM sqlite_schema LIMIT 1", nullptr, nullptr, nullptr);
        return sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, &wal, &copied);
    };
    std::unique_lock lock(checkpoint_mu_);
    for (;;) {
        checkpoint_cv_.wait(lock, [&] { return checkpoint_ == Checkpoint::copying || checkpoint_stopping_; });
        if (checkpoint_stopping_) break;
        lock.unlock();
        // PASSIVE: copies what no reader still needs and waits for nobody. A failure (another
        // process checkpointing) leaves the pages to the COMMIT's checkpoint, as does what was
        // added while this one copied: under a booking rush ~600 frames and 10-20 ms under the
        // gate, about twice a second. (More passes here, each copying what came during the one
        // before, left 300-600 frames; but a pass costs a sync of the database file, and under
        // writes that never pause they delayed the WAL's restart past anything bounded.)
        int wal = 0, copied = 0;
        if (db) checkpoint(wal, copied);
        lock.lock();
        checkpoint_ = Checkpoint::copied;
        ++checkpoints_;
        if (copied > 0) checkpointed_frames_ += static_cast<uint64_t>(copied);
    }
    sqlite3_close(db);
}

void WriteGate::wait_durable(uint64_t group) {
    std::unique_lock done(done_mu_);
    while (durable_through_ < group) {
        if (syncing_ || ended_through_ < group) {  // a sync under way, or the group still open
            done_cv_.wait(done);
            continue;
        }
        syncing_ = true;
        uint64_t through = ended_through_;  // every frame of these groups is written by now
        done.unlock();
        std::string error = sync_wal();
        done.lock();
        syncing_ = false;
        ++wal_syncs_;
        if (!error.empty())
            for (uint64_t g = durable_through_ + 1; g <= through; ++g) failed_.emplace(g, "WAL not synced: " + error);
        while (failed_.size() > 64) failed_.erase(failed_.begin());
        durable_through_ = through;
        done_cv_.notify_all();
    }
    if (auto it = failed_.find(group); it != failed_.end()) throw not_committed(it->second);
}

std::string WriteGate::sync_wal() {
    struct stat st {};
    // SQLite deletes the WAL when its last connection closes; the writer keeps one open, but if
    // the file we hold was unlinked anyway, syncing it would sync nothing.
    if (wal_fd_ >= 0 && (::fstat(wal_fd_, &st) != 0 || st.st_nlink == 0)) {
        ::close(wal_fd_);
        wal_fd_ = -1;
    }
    if (wal_fd_ < 0) {
        wal_fd_ = ::open(wal_path_.c_str(), O_RDONLY | O_CLOEXEC);
        if (wal_fd_ < 0) return std::string("open ") + wal_path_ + ": " + std::strerror(errno);
        // The WAL's directory entry too, once (what SQLite's FULL does on the first sync of a new file).
        std::string dir = std::filesystem::path(wal_path_).parent_path().string();
        int dfd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0) {
            ::fsync(dfd);
            ::close(dfd);
        }
    }
    if (::fdatasync(wal_fd_) != 0) return std::string("fdatasync: ") + std::strerror(errno);
    return "";
}

void WriteGate::finish_group(const std::string& error) {
    open_ = false;
    std::lock_guard done(done_mu_);
    if (!error.empty()) {
        failed_[group_] = error;
        while (failed_.size() > 64) failed_.erase(failed_.begin());
    } else {
        ++commits_;
    }
    ended_through_ = group_;
    // Without syncs of the gate's own, a group ended is a group on disk (COMMIT synced it).
    if (!sync_after_commit_) durable_through_ = group_;
    done_cv_.notify_all();
}

namespace {
std::atomic<uint64_t> g_next_serial{1};
thread_local std::unordered_map<uint64_t, Conn*> t_conns;
}  // namespace

Database::Database(std::string path, int busy_timeout_ms, std::string synchronous)
    : path_(std::move(path)), busy_timeout_ms_(busy_timeout_ms), synchronous_(std::move(synchronous)),
      serial_(g_next_serial.fetch_add(1)), gate_(path_, busy_timeout_ms_, synchronous_) {
    gate_.set_thread_conn([this]() -> Conn& { return conn(); });
}

Database::~Database() {
    closing_ = true;
    if (spare_opener_.joinable()) spare_opener_.join();
    gate_.stop_writer_thread();  // its Conn is among ours
    std::lock_guard lock(mu_);
    conns_.clear();
}

Conn& Database::conn() {
    auto it = t_conns.find(serial_);
    if (it != t_conns.end()) return *it->second;
    Conn* raw = nullptr;
    {
        std::lock_guard lock(mu_);
        if (!spares_.empty()) {
            raw = spares_.back();
            spares_.pop_back();
        }
    }
    if (!raw) {
        auto c = std::make_unique<Conn>(path_, busy_timeout_ms_, synchronous_, &gate_);
        raw = c.get();
        std::lock_guard lock(mu_);
        conns_.push_back(std::move(c));
    }
    t_conns[serial_] = raw;
    return *raw;
}

void Database::open_spares(size_t n) {
    if (spare_opener_.joinable()) return;
    spare_opener_ = std::thread([this, n] {
        for (size_t i = 0; i < n && !closing_; ++i) {
            try {
                auto c = std::make_unique<Conn>(path_, busy_timeout_ms_, synchronous_, &gate_);
                // Any statement naming a table makes SQLite read and parse the whole schema.
                c->raw().exec("SELECT 1 FROM sqlite_schema LIMIT 0");
                std::lock_guard lock(mu_);
                spares_.push_back(c.get());
                conns_.push_back(std::move(c));
            } catch (const std::exception& e) {
                log::warn("spare_connection_failed", {{"error", e.what()}});
                return;  // the threads open their own, as without spares
            }
        }
    });
}

void Database::write_detached(std::function<void(Conn&)> fn, std::function<void(std::exception_ptr)> done) {
    // On the writer thread, whose own Conn is pointed at the writer while the body runs.
    gate_.run_detached([this, fn = std::move(fn)] { fn(conn()); }, std::move(done));
}

void Database::wait_for_queued_writes() {
    conn().write_tx_grouped([] {});
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

bool bind_plain_params(SQLite::Statement& stmt, std::string_view text) {
    struct Value {
        enum Kind { null, integer, text } kind = null;
        int64_t i = 0;
        std::string_view s;
    };
    Value values[16];
    int n = 0;
    size_t p = 0;
    auto ws = [&] {
        while (p < text.size() && (text[p] == ' ' || text[p] == '\n' || text[p] == '\t' || text[p] == '\r')) ++p;
    };
    auto word = [&](std::string_view w) {
        if (text.substr(p, w.size()) != w) return false;
        p += w.size();
        return true;
    };
    auto value = [&](Value& v) {
        if (p >= text.size()) return false;
        char c = text[p];
        if (c == '"') {  // plain printable ASCII only: escapes and other text go to the parser
            size_t end = ++p;
            while (end < text.size() && text[end] != '"') {
                unsigned char b = static_cast<unsigned char>(text[end]);
                if (b < 0x20 || b >= 0x7f || b == '\\') return false;
                ++end;
            }
            if (end >= text.size()) return false;
            v = {Value::text, 0, text.substr(p, end - p)};
            p = end + 1;
            return true;
        }
        if (c == '-' || (c >= '0' && c <= '9')) {
            size_t digits = p + (c == '-' ? 1 : 0);
            if (digits < text.size() && text[digits] == '0' && digits + 1 < text.size() && text[digits + 1] >= '0' &&
                text[digits + 1] <= '9')
                return false;  // a leading zero is not JSON
            auto [end, ec] = std::from_chars(text.data() + p, text.data() + text.size(), v.i);
            if (ec != std::errc() || end == text.data() + digits) return false;  // overflow, or no digits
            p = static_cast<size_t>(end - text.data());
            if (p < text.size() && (text[p] == '.' || text[p] == 'e' || text[p] == 'E')) return false;  // a float
            v.kind = Value::integer;
            return true;
        }
        if (word("null")) return v = {}, true;
        if (word("true")) return v = {Value::integer, 1, {}}, true;
        if (word("false")) return v = {Value::integer, 0, {}}, true;
        return false;
    };
    ws();
    if (!word("[")) return false;
    ws();
    if (!word("]")) {
        for (;;) {
            if (n == 16 || !value(values[n++])) return false;
            ws();
            if (word("]")) break;
            if (!word(",")) return false;
            ws();
        }
    }
    ws();
    if (p != text.size() || n != stmt.getBindParameterCount()) return false;
    for (int i = 0; i < n; ++i) {
        const Value& v = values[i];
        if (v.kind == Value::null) stmt.bind(i + 1);
        else if (v.kind == Value::integer) stmt.bind(i + 1, v.i);
        else stmt.bind(i + 1, std::string(v.s));
    }
    return true;
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
    // Room for a typical row or page up front: grown from empty, the text was copied five times.
    std::string out;
    out.reserve(512);
    out.push_back('[');
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
