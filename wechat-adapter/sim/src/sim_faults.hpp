// SPDX-License-Identifier: MIT
// Internal: call counting and fault injection for the simulated WeChat API paths. A fault applies
// to the next `remaining` calls of one path (or "*" for every path): answer with a given errcode,
// answer with an HTTP status (5xx), or drop the connection mid-response. Latency is separate and
// persistent until reset, so "slow" and "failing" combine.
// Thread-safe: one mutex; latency waits happen outside it.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace yz::wechat::sim {

struct Fault {
    enum class Kind { errcode, http_status, drop };
    Kind kind = Kind::errcode;
    int value = 0;      // the errcode or HTTP status
    int remaining = 1;  // how many calls it still applies to
};

class SimFaults {
  public:
    /// Counts one call of `path` and returns the fault to apply to it, if any (path-specific
    /// faults first, then "*").
    std::optional<Fault> on_call(const std::string& path);

    void add(const std::string& path, Fault fault);
    void set_latency_ms(const std::string& path, std::int64_t ms);
    std::int64_t latency_ms(const std::string& path) const;

    std::int64_t count(const std::string& path) const;
    std::map<std::string, std::int64_t> counts() const;
    void reset();

  private:
    std::optional<Fault> take_locked(const std::string& key);

    mutable std::mutex mutex_;
    std::map<std::string, std::int64_t> counts_;
    std::map<std::string, std::deque<Fault>> faults_;
    std::map<std::string, std::int64_t> latency_ms_;
};

}  // namespace yz::wechat::sim
