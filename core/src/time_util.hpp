// SPDX-License-Identifier: MIT
// Time: instants are UTC milliseconds; the API speaks ISO 8601 with +08:00 (Asia/Shanghai, which
// has had no DST since 1991, so a fixed offset is exact). The Clock is injectable so tests can
// move time without sleeping.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace yz::time {

int64_t system_now_ms();

// "2026-11-22T16:30:00+08:00" (seconds precision; milliseconds dropped).
std::string iso8601_beijing(int64_t utc_ms);
// "2026-11-22T08:30:00.123Z" for logs.
std::string iso8601_utc(int64_t utc_ms);
// Parses ISO 8601 with an explicit offset (Z or ±hh:mm); nullopt if malformed.
std::optional<int64_t> parse_iso8601(std::string_view text);

// A clock that is the system clock unless a test fixes or advances it.
class Clock {
public:
    int64_t now_ms() const {
        int64_t fixed = fixed_ms_.load(std::memory_order_relaxed);
        return fixed ? fixed : system_now_ms() + offset_ms_.load(std::memory_order_relaxed);
    }
    void set_fixed(int64_t ms) { fixed_ms_.store(ms); }
    void advance(int64_t ms) {
        if (fixed_ms_.load()) fixed_ms_.fetch_add(ms);
        else offset_ms_.fetch_add(ms);
    }

private:
    std::atomic<int64_t> fixed_ms_{0};
    std::atomic<int64_t> offset_ms_{0};
};

}  // namespace yz::time
