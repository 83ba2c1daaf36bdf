// SPDX-License-Identifier: MIT
#include "supervisor.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include "crash_report.hpp"
#include "log.hpp"

namespace yz {
namespace {

int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Port 0 becomes one free port, the same for every worker this supervisor starts. Nothing holds it
// between the choice and the first worker's bind: a member of a SO_REUSEPORT group that is bound
// but not listening still receives its share of new connections, which then hang unanswered.
bool choose_port(const std::string& host, int& port) {
    if (port != 0) return true;
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE;
    addrinfo* res = nullptr;
    if (::getaddrinfo(host.c_str(), "0", &hints, &res) != 0 || !res) return false;
    int fd = ::socket(res->ai_family, res->ai_socktype, res->ai_protocol);
    bool ok = fd >= 0 && ::bind(fd, res->ai_addr, res->ai_addrlen) == 0;
    ::freeaddrinfo(res);
    sockaddr_storage bound{};
    socklen_t len = sizeof bound;
    ok = ok && ::getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &len) == 0;
    if (ok)
        port = ntohs(bound.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                                                 : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
    if (fd >= 0) ::close(fd);
    return ok;
}

struct Worker {
    int index = 0;
    pid_t pid = -1;
    int report = -1;  // read end of the worker's report pipe
    bool ready = false;
    std::string lines;  // what it reported, not yet split into lines
    crash::Report crash;
    bool crashed = false;
    int64_t started_at = 0;
    int64_t restart_at = 0;  // when a dead worker is started again
    int quick_deaths = 0;    // deaths in a row within kQuickDeathMs of starting
};

constexpr int64_t kQuickDeathMs = 5000;
constexpr int64_t kMaxBackoffMs = 30000;
constexpr int64_t kStopGraceMs = 10000;

class Supervisor {
public:
    Supervisor(const SupervisorPlan& plan, const std::function<int(int, int)>& worker, const std::function<void(int)>& on_ready)
        : plan_(plan), worker_(worker), on_ready_(on_ready) {}

    int run() {
        if (!choose_port(plan_.host, plan_.port)) {
            log::error("bind_failed", {{"host", plan_.host}, {"port", plan_.port}, {"error", std::strerror(errno)}});
            return 1;
        }
        sigset_t mask;
        sigemptyset(&mask);
        for (int s : {SIGCHLD, SIGTERM, SIGINT}) sigaddset(&mask, s);
        ::sigprocmask(SIG_BLOCK, &mask, &old_mask_);
        signals_ = ::signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
        log::info("supervisor_started", {{"workers", plan_.workers}, {"port", plan_.port}, {"pid", ::getpid()}});
        workers_.resize(static_cast<size_t>(plan_.workers));
        for (size_t i = 0; i < workers_.size(); ++i) {
            workers_[i].index = static_cast<int>(i);
            start(workers_[i]);
        }
        while (!stopping_) {
            wait_for_events(next_restart_in());
            int64_t now = now_ms();
            for (Worker& w : workers_)
                if (w.pid < 0 && !stopping_ && now >= w.restart_at) start(w);
        }
        stop_all();
        ::close(signals_);
        ::sigprocmask(SIG_SETMASK, &old_mask_, nullptr);
        return exit_code_;
    }

private:
    void start(Worker& w) {
        int p[2];
        if (::pipe2(p, O_CLOEXEC) != 0) {
            w.restart_at = now_ms() + 1000;
            return;
        }
        std::fflush(nullptr);
        pid_t parent = ::getpid();
        pid_t pid = ::fork();
        if (pid == 0) {
            ::sigprocmask(SIG_SETMASK, &old_mask_, nullptr);
            ::close(signals_);
            ::close(p[0]);
            for (const Worker& o : workers_)
                if (o.report >= 0) ::close(o.report);
            ::prctl(PR_SET_PDEATHSIG, SIGTERM);  // a worker never outlives its supervisor
            if (::getppid() != parent) ::_exit(1);
            crash::report_fatal_signals_to(p[1]);
            int rc = worker_(plan_.port, p[1]);
            std::fflush(nullptr);
            ::_exit(rc);
        }
        ::close(p[1]);
        if (pid < 0) {
            ::close(p[0]);
            w.restart_at = now_ms() + 1000;
            log::error("worker_fork_failed", {{"worker", w.index}, {"error", std::strerror(errno)}});
            return;
        }
        ::fcntl(p[0], F_SETFL, O_NONBLOCK);
        w.pid = pid;
        w.report = p[0];
        w.ready = false;
        w.crashed = false;
        w.lines.clear();
        w.started_at = now_ms();
        log::info("worker_started", {{"worker", w.index}, {"pid", pid}});
    }

    int next_restart_in() const {
        int64_t soonest = -1, now = now_ms();
        for (const Worker& w : workers_)
            if (w.pid < 0) soonest = soonest < 0 ? w.restart_at : std::min(soonest, w.restart_at);
        return soonest < 0 ? -1 : static_cast<int>(std::max<int64_t>(0, soonest - now));
    }

    void wait_for_events(int timeout_ms) {
        std::vector<pollfd> fds{{signals_, POLLIN, 0}};
        std::vector<Worker*> owners{nullptr};
        for (Worker& w : workers_)
            if (w.report >= 0) {
                fds.push_back({w.report, POLLIN, 0});
                owners.push_back(&w);
            }
        if (::poll(fds.data(), fds.size(), timeout_ms) <= 0) return;
        for (size_t i = 1; i < fds.size(); ++i)
            if (fds[i].revents) read_reports(*owners[i]);
        if (fds[0].revents) handle_signals();
    }

    void handle_signals() {
        signalfd_siginfo si;
        while (::read(signals_, &si, sizeof si) == static_cast<ssize_t>(sizeof si)) {
            if (si.ssi_signo == SIGCHLD) reap();
            else if (!stopping_) {
                log::info("stopping", {{"signal", si.ssi_signo}});
                stopping_ = true;
            }
        }
    }

    // Reads what a worker wrote: "ready", and the crash report of a fatal signal.
    void read_reports(Worker& w) {
        char buf[512];
        ssize_t n;
        while ((n = ::read(w.report, buf, sizeof buf)) > 0) w.lines.append(buf, static_cast<size_t>(n));
        if (n == 0) {  // the worker is gone (or closed it): wait for its exit status
            ::close(w.report);
            w.report = -1;
        }
        size_t nl;
        while ((nl = w.lines.find('\n')) != std::string::npos) {
            std::string line = w.lines.substr(0, nl);
            w.lines.erase(0, nl + 1);
            if (line == "ready") {
                w.ready = true;
                log::info("worker_ready", {{"worker", w.index}, {"pid", w.pid}});
                if (!announced_ && std::all_of(workers_.begin(), workers_.end(), [](const Worker& x) { return x.ready; })) {
                    announced_ = true;
                    on_ready_(plan_.port);
                }
            } else if (crash::parse_report(line, w.crash)) {
                w.crashed = true;
            }
        }
    }

    void reap() {
        int status = 0;
        pid_t pid;
        while ((pid = ::waitpid(-1, &status, WNOHANG)) > 0) {
            auto it = std::find_if(workers_.begin(), workers_.end(), [pid](const Worker& w) { return w.pid == pid; });
            if (it == workers_.end()) continue;
            Worker& w = *it;
            if (w.report >= 0) read_reports(w);  // the crash report may still sit in the pipe
            if (w.report >= 0) ::close(w.report);
            w.report = -1;
            w.pid = -1;
            nlohmann::json f{{"worker", w.index}, {"pid", pid}, {"lived_ms", now_ms() - w.started_at}};
            if (WIFSIGNALED(status)) f["signal"] = WTERMSIG(status);
            else f["exit_code"] = WEXITSTATUS(status);
            // Which station's code was running when it died; null when the core's own code was.
            f["station"] = w.crashed && !w.crash.station.empty() ? nlohmann::json(w.crash.station) : nlohmann::json(nullptr);
            if (stopping_) {
                log::info("worker_stopped", f);
                continue;
            }
            log::error("worker_died", f);
            if (!announced_ && !w.ready) {
                // The first generation cannot even start (a port taken, a broken config): restarting
                // would fail the same way forever.
                log::error("worker_failed_to_start", {{"worker", w.index}});
                exit_code_ = 1;
                stopping_ = true;
                continue;
            }
            int64_t now = now_ms();
            w.quick_deaths = now - w.started_at < kQuickDeathMs ? w.quick_deaths + 1 : 0;
            // The first death is replaced at once; a worker that keeps dying young waits longer each time.
            int64_t backoff = w.quick_deaths <= 1 ? 0 : std::min<int64_t>(kMaxBackoffMs, 250LL << std::min(w.quick_deaths - 1, 7));
            w.restart_at = now + backoff;
            if (backoff > 0) log::warn("worker_restart_delayed", {{"worker", w.index}, {"delay_ms", backoff}});
        }
    }

    void stop_all() {
        for (const Worker& w : workers_)
            if (w.pid > 0) ::kill(w.pid, SIGTERM);
        int64_t deadline = now_ms() + kStopGraceMs;
        auto running = [&] { return std::any_of(workers_.begin(), workers_.end(), [](const Worker& w) { return w.pid > 0; }); };
        while (running() && now_ms() < deadline) wait_for_events(static_cast<int>(std::max<int64_t>(1, deadline - now_ms())));
        for (Worker& w : workers_)
            if (w.pid > 0) {
                log::warn("worker_killed", {{"worker", w.index}, {"pid", w.pid}});
                ::kill(w.pid, SIGKILL);
                ::waitpid(w.pid, nullptr, 0);
                w.pid = -1;
            }
        for (Worker& w : workers_)
            if (w.report >= 0) ::close(w.report);
    }

    SupervisorPlan plan_;
    const std::function<int(int, int)>& worker_;
    const std::function<void(int)>& on_ready_;
    std::vector<Worker> workers_;
    sigset_t old_mask_{};
    int signals_ = -1;
    bool stopping_ = false;
    bool announced_ = false;
    int exit_code_ = 0;
};

}  // namespace

int supervise(const SupervisorPlan& plan, const std::function<int(int, int)>& worker, const std::function<void(int)>& on_ready) {
    return Supervisor(plan, worker, on_ready).run();
}

}  // namespace yz
