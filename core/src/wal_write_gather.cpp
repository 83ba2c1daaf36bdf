// SPDX-License-Identifier: MIT
// SQLite appends a commit to the WAL as two write calls per page: the frame's 24-byte header,
// then the page. A commit dirties a few pages to dozens, and on this kind of VM each write call
// costs some microseconds more than the bytes it copies (4.6 µs a frame as two calls, 0.4 µs as
// part of one call of a hundred frames — a plain C loop here): under a booking rush those calls
// were a fifth of the database writer's time, spent while every other writer waits.
//
// This VFS sits over SQLite's own (unix) and, for WAL files only, gathers frames written one
// after another into a buffer that goes to the file in few calls (64 KiB each, see
// kMaxWriteCall; WAL snapshots of a booking rush held 40 to 240 frames a commit, so a commit
// goes out in 3 to 15 calls instead of 80 to 480). It writes it out:
//  - right after the page of a commit frame (a frame whose header carries the database size,
//    which only a commit frame does — the WAL file format, not an SQLite internal). SQLite
//    publishes a commit to readers (the wal-index header) only after that write has returned,
//    so readers, the checkpointer and our own fdatasync (WriteGate::sync_wal) never see a
//    frame before it is in the file, and a failed write fails the commit, as it would have
//    without the buffer;
//  - before anything else touches the file (read, sync, truncate, size, file control, close), and
//    before any write that does not simply continue the buffer (the WAL's own header, a frame
//    rewritten in place) — so the file always receives the same bytes in the same order;
//  - when it holds 4 MiB (a long transaction spilling pages before its commit).
#include "wal_write_gather.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <new>
#include <vector>

namespace yz {

namespace {

constexpr int kFrameHeaderBytes = 24;
constexpr size_t kMaxGathered = 4u << 20;
// unix's xWrite takes less than 128 KiB a call (it masks the length with 0x1ffff). Sixteen
// frames a call already save nearly all there is to save (0.34 µs a frame).
constexpr size_t kMaxWriteCall = 64u << 10;

struct GatherFile {
    sqlite3_file base;   // first: what SQLite holds
    sqlite3_file* real;  // SQLite's own file, in the same allocation right after this struct
    bool wal = false;
    std::vector<char> bytes;  // gathered, to go to the file at `start`
    sqlite3_int64 start = 0;
    bool page_next = false;   // the last write gathered was a frame header; its page goes at page_at
    sqlite3_int64 page_at = 0;
    bool commit = false;      // that header was a commit frame's
};

std::atomic<uint64_t> g_frames{0}, g_write_calls{0};

constexpr size_t kRealOffset = (sizeof(GatherFile) + 15) & ~size_t{15};

GatherFile* gather(sqlite3_file* f) { return reinterpret_cast<GatherFile*>(f); }
sqlite3_file* real(sqlite3_file* f) { return gather(f)->real; }

int write_gathered(GatherFile* g) {
    int rc = SQLITE_OK;
    for (size_t at = 0; at < g->bytes.size() && rc == SQLITE_OK; at += kMaxWriteCall) {
        size_t n = std::min(kMaxWriteCall, g->bytes.size() - at);
        g_write_calls.fetch_add(1, std::memory_order_relaxed);
        rc = g->real->pMethods->xWrite(g->real, g->bytes.data() + at, static_cast<int>(n), g->start + static_cast<sqlite3_int64>(at));
    }
    g->bytes.clear();
    return rc;
}

// Before any other use of the file: what it holds must be what SQLite has written.
int settle(sqlite3_file* f) {
    GatherFile* g = gather(f);
    g->page_next = false;
    return write_gathered(g);
}

bool commit_header(const void* data) {
    const auto* b = static_cast<const unsigned char*>(data);
    return (b[4] | b[5] | b[6] | b[7]) != 0;  // "database size after commit", big-endian; 0 in other frames
}

int x_write(sqlite3_file* f, const void* data, int amount, sqlite3_int64 offset) {
    GatherFile* g = gather(f);
    if (g->wal) {
        bool continues = g->bytes.empty() || offset == g->start + static_cast<sqlite3_int64>(g->bytes.size());
        bool header = !g->page_next && amount == kFrameHeaderBytes;
        bool page = g->page_next && offset == g->page_at;
        if (continues && (header || page)) {
            if (g->bytes.empty()) g->start = offset;
            const char* p = static_cast<const char*>(data);
            g->bytes.insert(g->bytes.end(), p, p + amount);
            if (header) {
                g->page_next = true;
                g->page_at = offset + amount;
                g->commit = commit_header(data);
                return SQLITE_OK;
            }
            g->page_next = false;
            g_frames.fetch_add(1, std::memory_order_relaxed);
            return g->commit || g->bytes.size() >= kMaxGathered ? write_gathered(g) : SQLITE_OK;
        }
    }
    if (int rc = settle(f); rc != SQLITE_OK) return rc;
    if (g->wal) g_write_calls.fetch_add(1, std::memory_order_relaxed);
    return real(f)->pMethods->xWrite(real(f), data, amount, offset);
}

int x_close(sqlite3_file* f) {
    int settled = settle(f);
    int rc = real(f)->pMethods->xClose(real(f));
    gather(f)->~GatherFile();
    return rc != SQLITE_OK ? rc : settled;
}

int x_read(sqlite3_file* f, void* out, int amount, sqlite3_int64 offset) {
    if (int rc = settle(f); rc != SQLITE_OK) return rc;
    return real(f)->pMethods->xRead(real(f), out, amount, offset);
}
int x_truncate(sqlite3_file* f, sqlite3_int64 size) {
    if (int rc = settle(f); rc != SQLITE_OK) return rc;
    return real(f)->pMethods->xTruncate(real(f), size);
}
int x_sync(sqlite3_file* f, int flags) {
    if (int rc = settle(f); rc != SQLITE_OK) return rc;
    return real(f)->pMethods->xSync(real(f), flags);
}
int x_file_size(sqlite3_file* f, sqlite3_int64* size) {
    if (int rc = settle(f); rc != SQLITE_OK) return rc;
    return real(f)->pMethods->xFileSize(real(f), size);
}
int x_file_control(sqlite3_file* f, int op, void* arg) {
    if (int rc = settle(f); rc != SQLITE_OK) return rc;
    return real(f)->pMethods->xFileControl(real(f), op, arg);
}

// The rest only pass through: locks and shared memory belong to the database file, which never gathers.
int x_lock(sqlite3_file* f, int level) { return real(f)->pMethods->xLock(real(f), level); }
int x_unlock(sqlite3_file* f, int level) { return real(f)->pMethods->xUnlock(real(f), level); }
int x_check_reserved_lock(sqlite3_file* f, int* out) { return real(f)->pMethods->xCheckReservedLock(real(f), out); }
int x_sector_size(sqlite3_file* f) { return real(f)->pMethods->xSectorSize(real(f)); }
int x_device_characteristics(sqlite3_file* f) { return real(f)->pMethods->xDeviceCharacteristics(real(f)); }
// A file of SQLite's without shared memory (version 1) or memory mapping (2) answers as SQLite
// itself treats such a file: no WAL on it, and reads instead of mappings.
bool has(sqlite3_file* f, int version) { return real(f)->pMethods->iVersion >= version; }
int x_shm_map(sqlite3_file* f, int page, int size, int extend, void volatile** out) {
    return has(f, 2) ? real(f)->pMethods->xShmMap(real(f), page, size, extend, out) : SQLITE_IOERR_SHMMAP;
}
int x_shm_lock(sqlite3_file* f, int offset, int n, int flags) {
    return has(f, 2) ? real(f)->pMethods->xShmLock(real(f), offset, n, flags) : SQLITE_IOERR_SHMLOCK;
}
void x_shm_barrier(sqlite3_file* f) {
    if (has(f, 2)) real(f)->pMethods->xShmBarrier(real(f));
}
int x_shm_unmap(sqlite3_file* f, int delete_flag) {
    return has(f, 2) ? real(f)->pMethods->xShmUnmap(real(f), delete_flag) : SQLITE_OK;
}
int x_fetch(sqlite3_file* f, sqlite3_int64 offset, int amount, void** out) {
    if (has(f, 3)) return real(f)->pMethods->xFetch(real(f), offset, amount, out);
    *out = nullptr;
    return SQLITE_OK;
}
int x_unfetch(sqlite3_file* f, sqlite3_int64 offset, void* p) {
    return has(f, 3) ? real(f)->pMethods->xUnfetch(real(f), offset, p) : SQLITE_OK;
}

const sqlite3_io_methods kMethods = {
    3, x_close, x_read, x_write, x_truncate, x_sync, x_file_size, x_lock, x_unlock, x_check_reserved_lock,
    x_file_control, x_sector_size, x_device_characteristics, x_shm_map, x_shm_lock, x_shm_barrier, x_shm_unmap,
    x_fetch, x_unfetch,
};

sqlite3_vfs* base_vfs(sqlite3_vfs* v) { return static_cast<sqlite3_vfs*>(v->pAppData); }

int v_open(sqlite3_vfs* v, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
    auto* g = new (f) GatherFile;
    g->base.pMethods = nullptr;
    g->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(f) + kRealOffset);
    g->real->pMethods = nullptr;
    g->wal = (flags & SQLITE_OPEN_WAL) != 0;
    int rc = base_vfs(v)->xOpen(base_vfs(v), name, g->real, flags, out_flags);
    // SQLite calls xClose exactly when pMethods is set, whatever xOpen returned.
    if (g->real->pMethods) g->base.pMethods = &kMethods;
    else g->~GatherFile();
    return rc;
}
int v_delete(sqlite3_vfs* v, const char* name, int sync_dir) { return base_vfs(v)->xDelete(base_vfs(v), name, sync_dir); }
int v_access(sqlite3_vfs* v, const char* name, int flags, int* out) { return base_vfs(v)->xAccess(base_vfs(v), name, flags, out); }
int v_full_pathname(sqlite3_vfs* v, const char* name, int n, char* out) {
    return base_vfs(v)->xFullPathname(base_vfs(v), name, n, out);
}
void* v_dl_open(sqlite3_vfs* v, const char* name) { return base_vfs(v)->xDlOpen(base_vfs(v), name); }
void v_dl_error(sqlite3_vfs* v, int n, char* out) { base_vfs(v)->xDlError(base_vfs(v), n, out); }
void (*v_dl_sym(sqlite3_vfs* v, void* lib, const char* sym))(void) { return base_vfs(v)->xDlSym(base_vfs(v), lib, sym); }
void v_dl_close(sqlite3_vfs* v, void* lib) { base_vfs(v)->xDlClose(base_vfs(v), lib); }
int v_randomness(sqlite3_vfs* v, int n, char* out) { return base_vfs(v)->xRandomness(base_vfs(v), n, out); }
int v_sleep(sqlite3_vfs* v, int us) { return base_vfs(v)->xSleep(base_vfs(v), us); }
int v_current_time(sqlite3_vfs* v, double* out) { return base_vfs(v)->xCurrentTime(base_vfs(v), out); }
int v_get_last_error(sqlite3_vfs* v, int n, char* out) { return base_vfs(v)->xGetLastError(base_vfs(v), n, out); }
int v_current_time_int64(sqlite3_vfs* v, sqlite3_int64* out) {
    return base_vfs(v)->xCurrentTimeInt64(base_vfs(v), out);
}

}  // namespace

WalWriteGatherCounts wal_write_gather_counts() {
    return {g_frames.load(std::memory_order_relaxed), g_write_calls.load(std::memory_order_relaxed)};
}

const char* wal_write_gather_vfs() {
    static sqlite3_vfs vfs;
    static const char* name = [] {
        sqlite3_vfs* base = sqlite3_vfs_find(nullptr);
        // Only over a VFS with shared memory and xCurrentTimeInt64 (unix is); else the writer keeps SQLite's own.
        if (!base || base->iVersion < 2) return static_cast<const char*>(nullptr);
        vfs = sqlite3_vfs{2,
                          static_cast<int>(kRealOffset) + base->szOsFile,
                          base->mxPathname,
                          nullptr,
                          "yz-wal-gather",
                          base,
                          v_open,
                          v_delete,
                          v_access,
                          v_full_pathname,
                          v_dl_open,
                          v_dl_error,
                          v_dl_sym,
                          v_dl_close,
                          v_randomness,
                          v_sleep,
                          v_current_time,
                          v_get_last_error,
                          v_current_time_int64,
                          nullptr,
                          nullptr,
                          nullptr};
        return sqlite3_vfs_register(&vfs, 0) == SQLITE_OK ? vfs.zName : static_cast<const char*>(nullptr);
    }();
    return name;
}

}  // namespace yz
