// SPDX-License-Identifier: MIT
// A SQLite VFS for the database's one writing connection that hands the WAL frames of a commit
// to the kernel in one write instead of two per page (see wal_write_gather.cpp).
#pragma once

#include <cstdint>

namespace yz {

// The name to open the writer's connection with; the VFS is registered on first call (not as
// the default, so every other connection keeps SQLite's own).
const char* wal_write_gather_vfs();

// Since the process started, over every WAL opened through it: the frames it gathered, and the
// write calls that took WAL bytes to the file (gathered or not).
struct WalWriteGatherCounts {
    uint64_t frames = 0;
    uint64_t write_calls = 0;
};
WalWriteGatherCounts wal_write_gather_counts();

}  // namespace yz
