// SPDX-License-Identifier: MIT
// Internal: everything one Simulator instance owns — options, clock, WeChat state, faults — plus
// an interruptible delay so injected latency never holds up stop().
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <yz/wechat/simulator.hpp>

#include "sim_clock.hpp"
#include "sim_faults.hpp"
#include "sim_state.hpp"

namespace yz::wechat::sim {

struct SimContext {
    explicit SimContext(SimulatorOptions o) : options(std::move(o)) {}

    SimulatorOptions options;  // declared first: state keeps a reference to it
    SimClock clock;
    SimState state{options, clock};
    SimFaults faults;

    /// Sleeps up to `ms`, returning early once stopping.
    void delay(std::int64_t ms) {
        std::unique_lock lock(stop_mutex_);
        stop_cv_.wait_for(lock, std::chrono::milliseconds(ms), [this] { return stopping_; });
    }
    void set_stopping(bool stopping) {
        {
            std::lock_guard lock(stop_mutex_);
            stopping_ = stopping;
        }
        stop_cv_.notify_all();
    }

  private:
    std::mutex stop_mutex_;
    std::condition_variable stop_cv_;
    bool stopping_ = false;
};

}  // namespace yz::wechat::sim
