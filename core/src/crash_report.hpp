// SPDX-License-Identifier: MIT
// Which station's code a thread is running, and a last word when the process dies of it. Under
// `serve --workers N` each worker reports a fatal signal (SIGSEGV, SIGBUS, SIGFPE, SIGILL,
// SIGABRT) on a pipe to its supervisor — "signal=<n> station=<id>" — so the supervisor's log says
// which station brought the worker down, then the worker dies of the same signal as it would have.
#pragma once

#include <string>

namespace yz::crash {

// Marks this thread as running `station`'s code for the guard's lifetime (nests: a station's call
// back into the host and out to another station restores the outer name on exit).
class InStation {
public:
    explicit InStation(const std::string& station);
    ~InStation();
    InStation(const InStation&) = delete;
    InStation& operator=(const InStation&) = delete;

private:
    const char* outer_;
};

// The station this thread is running now, or nullptr in the core's own code.
const char* current_station();

// Installs the fatal-signal handlers that write the report line to `fd` (once per process).
void report_fatal_signals_to(int fd);

// Parses a report line written by the handler: the station ("" if none was running) and the signal.
struct Report {
    int signal = 0;
    std::string station;
};
bool parse_report(const std::string& line, Report& out);

}  // namespace yz::crash
