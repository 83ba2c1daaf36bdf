// SPDX-License-Identifier: MIT
#include "scheduler.hpp"

#include <algorithm>

#include "log.hpp"

namespace yz {
using nlohmann::json;

namespace {
constexpr int64_t kLeaseMs = 5 * 60'000;
constexpr int kMaxAttempts = 6;
}  // namespace

int64_t Scheduler::schedule(Conn& c, const std::string& station, const std::string& kind, int64_t due_ms,
                            const std::string& payload, const std::string& dedupe_key) {
    auto core = c.enter_core();
    return c.write_tx([&] {
        if (!dedupe_key.empty()) {
            auto q = c.prepare("SELECT id FROM core_jobs WHERE station = ?1 AND dedupe_key = ?2");
            q->bind(1, station);
            q->bind(2, dedupe_key);
            if (q->executeStep()) return q->getColumn(0).getInt64();
        }
        auto ins = c.prepare(
            "INSERT INTO core_jobs(station, kind, due_at, payload, dedupe_key, created_at) "
            "VALUES (?1, ?2, ?3, ?4, NULLIF(?5, ''), ?6)");
        ins->bind(1, station);
        ins->bind(2, kind);
        ins->bind(3, due_ms);
        ins->bind(4, payload.empty() ? std::string("{}") : payload);
        ins->bind(5, dedupe_key);
        ins->bind(6, clock_.now_ms());
        ins->exec();
        return c.last_insert_id();
    });
}

bool Scheduler::cancel(Conn& c, const std::string& station, int64_t job_id) {
    auto core = c.enter_core();
    return c.write_tx([&] {
        auto up = c.prepare("UPDATE core_jobs SET state = 'cancelled', finished_at = ?3 WHERE id = ?1 AND station = ?2 AND state = 'due'");
        up->bind(1, job_id);
        up->bind(2, station);
        up->bind(3, clock_.now_ms());
        return up->exec() == 1;
    });
}

int Scheduler::run_due(int max) {
    if (!resolver_) return 0;
    Conn& c = db_.conn();
    auto core = c.enter_core();
    int64_t now = clock_.now_ms();
    json active = json::array();
    for (const auto& s : active_()) active.push_back(s);
    active.push_back("");  // the core's own jobs
    struct Due {
        int64_t id;
        std::string station, kind, payload;
        int attempts;
    };
    std::vector<Due> due;
    {
        auto q = c.prepare(
            "SELECT id, station, kind, payload, attempts FROM core_jobs WHERE state = 'due' AND due_at <= ?1 "
            "AND station IN (SELECT value FROM json_each(?2)) ORDER BY due_at LIMIT ?3");
        q->bind(1, now);
        q->bind(2, active.dump());
        q->bind(3, max);
        while (q->executeStep())
            due.push_back(Due{q->getColumn(0).getInt64(), q->getColumn(1).getString(), q->getColumn(2).getString(),
                              q->getColumn(3).getString(), q->getColumn(4).getInt()});
    }
    int ran = 0;
    for (const auto& d : due) {
        JobRunner runner = resolver_(d.station, d.kind);
        if (!runner) continue;  // the station no longer handles this kind: leave it for later
        bool claimed = c.write_tx([&] {
            auto up = c.prepare(
                "UPDATE core_jobs SET attempts = attempts + 1, due_at = ?2 WHERE id = ?1 AND state = 'due' AND due_at <= ?3");
            up->bind(1, d.id);
            up->bind(2, now + kLeaseMs);
            up->bind(3, now);
            return up->exec() == 1;
        });
        if (!claimed) continue;
        bool ok = false;
        std::string error;
        try {
            ok = runner(d.payload);
        } catch (const std::exception& e) {
            error = e.what();
        }
        int attempts = d.attempts + 1;
        c.write_tx([&] {
            auto up = c.prepare(
                "UPDATE core_jobs SET state = ?2, due_at = ?3, last_error = NULLIF(?4, ''), finished_at = ?5 WHERE id = ?1");
            up->bind(1, d.id);
            std::string state = ok ? "done" : attempts >= kMaxAttempts ? "failed" : "due";
            up->bind(2, state);
            up->bind(3, ok ? now : now + std::min<int64_t>(3'600'000, 5000LL << attempts));
            up->bind(4, ok ? std::string() : (error.empty() ? std::string("handler failed") : error));
            if (state == "due") up->bind(5);
            else up->bind(5, now);
            up->exec();
        });
        if (!ok) log::warn("job_failed", {{"job_id", d.id}, {"station", d.station}, {"kind", d.kind}, {"attempt", attempts}});
        ++ran;
    }
    return ran;
}

uint64_t Scheduler::add_timer(const void* owner, uint32_t interval_ms, TimerFn fn) {
    std::lock_guard lock(timers_mu_);
    uint64_t id = next_timer_++;
    timers_[id] = Timer{owner, std::max<uint32_t>(interval_ms, 10), clock_.now_ms() + interval_ms, std::move(fn)};
    return id;
}

bool Scheduler::cancel_timer(const void* owner, uint64_t id) {
    std::lock_guard lock(timers_mu_);
    auto it = timers_.find(id);
    if (it == timers_.end() || it->second.owner != owner) return false;
    timers_.erase(it);
    return true;
}

void Scheduler::cancel_timers(const void* owner) {
    std::lock_guard lock(timers_mu_);
    std::erase_if(timers_, [&](const auto& kv) { return kv.second.owner == owner; });
}

void Scheduler::run_timers() {
    int64_t now = clock_.now_ms();
    std::vector<std::pair<uint64_t, TimerFn>> due;
    {
        std::lock_guard lock(timers_mu_);
        for (auto& [id, t] : timers_)
            if (t.next_ms <= now) {
                t.next_ms = now + t.interval_ms;
                due.emplace_back(id, t.fn);
            }
    }
    for (auto& [id, fn] : due) {
        try {
            fn();
        } catch (const std::exception& e) {
            log::warn("timer_failed", {{"timer_id", id}, {"error", e.what()}});
        }
    }
}

void Scheduler::tick() {
    for (auto& hook : hooks_) {
        try {
            hook();
        } catch (const std::exception& e) {
            log::warn("tick_hook_failed", {{"error", e.what()}});
        }
    }
    try {
        run_due();
    } catch (const std::exception& e) {
        log::warn("scheduler_failed", {{"error", e.what()}});
    }
    run_timers();
}

void Scheduler::start(int interval_ms) {
    stopping_ = false;
    thread_ = std::thread([this, interval_ms] {
        std::unique_lock lock(run_mu_);
        while (!stopping_) {
            lock.unlock();
            tick();
            lock.lock();
            cv_.wait_for(lock, std::chrono::milliseconds(interval_ms), [this] { return stopping_; });
        }
    });
}

void Scheduler::stop() {
    {
        std::lock_guard lock(run_mu_);
        stopping_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
}

}  // namespace yz
