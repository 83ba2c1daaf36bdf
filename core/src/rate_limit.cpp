// SPDX-License-Identifier: MIT
#include "rate_limit.hpp"

#include <algorithm>
#include <cmath>
#include <functional>

namespace yz {

bool RateLimiter::allow(const std::string& key, int64_t now_ms, int* retry_after_s) {
    if (!enabled()) return true;
    Shard& s = shards_[std::hash<std::string>{}(key) % shards_.size()];
    std::lock_guard lock(s.mu);
    if (now_ms - s.last_sweep_ms > 60000) {
        // A bucket idle long enough to be full again carries no information: drop it.
        int64_t full_after = static_cast<int64_t>(burst_ / per_ms_);
        std::erase_if(s.buckets, [&](const auto& kv) { return now_ms - kv.second.last_ms > full_after; });
        s.last_sweep_ms = now_ms;
    }
    auto [it, fresh] = s.buckets.try_emplace(key, Bucket{static_cast<double>(burst_), now_ms});
    Bucket& b = it->second;
    if (!fresh) {
        b.tokens = std::min<double>(burst_, b.tokens + static_cast<double>(now_ms - b.last_ms) * per_ms_);
        b.last_ms = now_ms;
    }
    if (b.tokens >= 1.0) {
        b.tokens -= 1.0;
        return true;
    }
    if (retry_after_s) *retry_after_s = std::max(1, static_cast<int>(std::ceil((1.0 - b.tokens) / per_ms_ / 1000.0)));
    return false;
}

}  // namespace yz
