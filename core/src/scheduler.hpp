// SPDX-License-Identifier: MIT
// Scheduler: durable jobs (rows in core_jobs, so reminders and auto-releases survive a restart) and
// in-memory repeating timers, all run by one host thread — plugins start no threads.
//
// A due job is claimed with a conditional UPDATE that pushes its due time out by a lease; if the
// process dies while running it, the job runs again after the lease (at-least-once: handlers must
// be idempotent). Failures back off exponentially; after max attempts the job is marked failed.
// Time comes from the injectable Clock, and tests call run_due() directly instead of sleeping.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "db.hpp"
#include "time_util.hpp"

namespace yz {

class Scheduler {
public:
    // Runs one job; returns true on success. Empty function = no handler right now.
    using JobRunner = std::function<bool(const std::string& payload)>;
    using Resolver = std::function<JobRunner(const std::string& station, const std::string& kind)>;
    using ActiveStations = std::function<std::vector<std::string>()>;
    using TimerFn = std::function<void()>;

    Scheduler(Database& db, const time::Clock& clock) : db_(db), clock_(clock) {}
    ~Scheduler() { stop(); }

    void set_resolver(Resolver r, ActiveStations active) {
        resolver_ = std::move(r);
        active_ = std::move(active);
    }
    // Work done on every tick besides jobs and timers (capacity sweep, outbox).
    void add_tick_hook(std::function<void()> hook) { hooks_.push_back(std::move(hook)); }

    // In the caller's transaction. With a dedupe_key, an existing job with that key is returned
    // instead of a second one.
    int64_t schedule(Conn& c, const std::string& station, const std::string& kind, int64_t due_ms,
                     const std::string& payload, const std::string& dedupe_key);
    bool cancel(Conn& c, const std::string& station, int64_t job_id);
    // Runs the jobs that are due now; returns how many ran.
    int run_due(int max = 100);

    uint64_t add_timer(const void* owner, uint32_t interval_ms, TimerFn fn);
    bool cancel_timer(const void* owner, uint64_t id);
    void cancel_timers(const void* owner);
    void run_timers();

    void start(int interval_ms);
    void stop();
    void tick();  // one round: hooks, jobs, timers

private:
    struct Timer {
        const void* owner;
        uint32_t interval_ms;
        int64_t next_ms;
        TimerFn fn;
    };
    Database& db_;
    const time::Clock& clock_;
    Resolver resolver_;
    ActiveStations active_;
    std::vector<std::function<void()>> hooks_;
    std::mutex timers_mu_;
    std::map<uint64_t, Timer> timers_;
    uint64_t next_timer_ = 1;
    std::mutex run_mu_;
    std::condition_variable cv_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace yz
