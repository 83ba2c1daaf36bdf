// SPDX-License-Identifier: MIT
// `yizhan serve --workers N`: one supervisor process keeps N worker processes serving the same
// port (each binds it with SO_REUSEPORT and loads the stations itself). A worker that dies — a
// station's code segfaulted or aborted — costs only the requests it held: the supervisor logs
// which station was running (crash_report.hpp) and starts another. SQLite in WAL mode is shared
// by the workers; every claim of a job or outbox row is a write transaction, so each runs once.
#pragma once

#include <functional>
#include <string>

namespace yz {

struct SupervisorPlan {
    int workers = 2;
    std::string host;
    int port = 0;  // 0: a free port, chosen once and kept for every worker the supervisor starts
};

// Each worker runs `worker(port, report_fd)` in a child process forked from this (single-threaded)
// one; it writes "ready\n" to report_fd once it listens, and its fatal-signal report goes there
// too. `on_ready(port)` runs once, when the first generation is all listening. Returns when
// SIGTERM or SIGINT arrive (after stopping the workers) or, with status 1, when the first
// generation cannot start. The caller must not have started any thread.
int supervise(const SupervisorPlan& plan, const std::function<int(int port, int report_fd)>& worker,
              const std::function<void(int port)>& on_ready);

}  // namespace yz
