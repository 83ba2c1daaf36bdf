// SPDX-License-Identifier: MIT
// Per-client token buckets: `per_minute` sustained with bursts of `burst`. Sharded maps keep
// contention low; idle buckets are dropped so memory stays bounded under address churn.
#pragma once

#include <array>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace yz {

class RateLimiter {
public:
    RateLimiter(int per_minute, int burst) : per_ms_(per_minute / 60000.0), burst_(burst) {}
    // True if the request may go ahead; otherwise retry_after_s says when to try again.
    bool allow(const std::string& key, int64_t now_ms, int* retry_after_s = nullptr);
    bool enabled() const { return per_ms_ > 0; }

private:
    struct Bucket {
        double tokens;
        int64_t last_ms;
    };
    struct Shard {
        std::mutex mu;
        std::unordered_map<std::string, Bucket> buckets;
        int64_t last_sweep_ms = 0;
    };
    double per_ms_;
    int burst_;
    std::array<Shard, 16> shards_;
};

}  // namespace yz
