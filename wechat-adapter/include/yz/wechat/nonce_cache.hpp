// SPDX-License-Identifier: MIT
// A bounded replay cache for push (timestamp, nonce) pairs: our own hardening on top of WeChat's
// signatures (PROTOCOL.md §5.2). Entries expire after `ttl`; when full, the oldest entry is evicted
// so memory stays bounded. Only authenticated requests are recorded (PushVerifier checks the
// signature first), so an attacker cannot flush the cache without the push Token.
// Thread-safe: one internal mutex.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace yz::wechat {

class NonceCache {
  public:
    NonceCache(std::size_t capacity, std::int64_t ttl_seconds);

    /// Records `key` seen at `now` (unix seconds). Returns false if it was already recorded and
    /// has not expired: a replay.
    bool remember(std::string_view key, std::int64_t now);

    std::size_t size() const;

  private:
    void evict(std::int64_t now);

    const std::size_t capacity_;
    const std::int64_t ttl_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, std::int64_t> expiry_;    // key → expires at
    std::deque<std::pair<std::string, std::int64_t>> order_;  // insertion order, for eviction
};

}  // namespace yz::wechat
