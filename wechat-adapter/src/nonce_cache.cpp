// SPDX-License-Identifier: MIT
// Bounded, expiring set of seen push nonces.
#include <algorithm>
#include <yz/wechat/nonce_cache.hpp>

namespace yz::wechat {

NonceCache::NonceCache(std::size_t capacity, std::int64_t ttl_seconds)
    : capacity_(std::max<std::size_t>(capacity, 1)), ttl_(ttl_seconds) {}

void NonceCache::evict(std::int64_t now) {
    // order_ may hold stale duplicates of keys re-recorded after expiry; only erase the map entry
    // if it still carries this deque entry's expiry.
    while (!order_.empty() && (order_.front().second <= now || expiry_.size() >= capacity_)) {
        auto& [key, expires] = order_.front();
        if (auto it = expiry_.find(key); it != expiry_.end() && it->second == expires) {
            expiry_.erase(it);
        }
        order_.pop_front();
    }
}

bool NonceCache::remember(std::string_view key, std::int64_t now) {
    std::lock_guard lock(mutex_);
    evict(now);
    std::string k(key);
    if (auto it = expiry_.find(k); it != expiry_.end() && it->second > now) return false;
    expiry_[k] = now + ttl_;
    order_.emplace_back(std::move(k), now + ttl_);
    return true;
}

std::size_t NonceCache::size() const {
    std::lock_guard lock(mutex_);
    return expiry_.size();
}

}  // namespace yz::wechat
