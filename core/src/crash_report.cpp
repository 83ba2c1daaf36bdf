// SPDX-License-Identifier: MIT
#include "crash_report.hpp"

#include <csignal>
#include <cstring>
#include <unistd.h>

namespace yz::crash {
namespace {

// A plain pointer into the station's config id, which outlives every call into the station: the
// signal handler may read it without locks or allocation.
thread_local const char* t_station = nullptr;
int g_report_fd = -1;

// Only async-signal-safe calls here: write(2) of bytes already in memory, then die of the signal.
void on_fatal(int sig) {
    char line[160];
    size_t n = 0;
    auto put = [&](const char* s) {
        while (*s && n < sizeof line - 1) line[n++] = *s++;
    };
    char num[12];
    int v = sig, i = sizeof num - 1;
    num[i] = '\0';
    do {
        num[--i] = static_cast<char>('0' + v % 10);
        v /= 10;
    } while (v > 0 && i > 0);
    put("signal=");
    put(num + i);
    put(" station=");
    put(t_station ? t_station : "");
    put("\n");
    if (g_report_fd >= 0) (void)!::write(g_report_fd, line, n);
    // SA_RESETHAND restored the default action: re-raise to die as we would have.
    ::raise(sig);
}

}  // namespace

InStation::InStation(const std::string& station) : outer_(t_station) { t_station = station.c_str(); }
InStation::~InStation() { t_station = outer_; }

const char* current_station() { return t_station; }

void report_fatal_signals_to(int fd) {
    g_report_fd = fd;
    struct sigaction sa;
    std::memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_fatal;
    sa.sa_flags = SA_RESETHAND | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT}) ::sigaction(sig, &sa, nullptr);
}

bool parse_report(const std::string& line, Report& out) {
    const std::string sig_key = "signal=", st_key = " station=";
    if (line.rfind(sig_key, 0) != 0) return false;
    size_t st = line.find(st_key);
    if (st == std::string::npos) return false;
    try {
        out.signal = std::stoi(line.substr(sig_key.size(), st - sig_key.size()));
    } catch (...) {
        return false;
    }
    out.station = line.substr(st + st_key.size());
    while (!out.station.empty() && (out.station.back() == '\n' || out.station.back() == '\r')) out.station.pop_back();
    return true;
}

}  // namespace yz::crash
