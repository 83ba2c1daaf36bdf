// SPDX-License-Identifier: MIT
// Plugin SDK: computed response bodies for a station's hot reads (a week of slots, a list of
// posts), kept while they cannot have changed. An entry is fresh while the version it was
// computed at still holds — usually Station::writes_finished() (every non-GET request not
// refused, and every job), or a station's own count of the writes that can change it —
// and for at most max_age_ms — the bound on how stale a read can be after a write made by another
// process sharing the database, which this one does not see. Read the version *before* computing
// the body: a write that lands meanwhile then only makes the entry stale, never wrong for long.
#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace yz {
inline namespace v1 {

// Values of type T (a response body, a parsed definition) under string keys.
template <class T>
class BasicReadCache {
public:
    explicit BasicReadCache(size_t max_entries = 256, int64_t max_age_ms = 1000) : max_entries_(max_entries), max_age_ms_(max_age_ms) {}

    // The value stored under `key` if it was computed at `version` less than max_age_ms before `now_ms`.
    std::shared_ptr<const T> get(const std::string& key, uint64_t version, int64_t now_ms) {
        auto aged = get_aged(key, now_ms);
        return aged && aged->version == version ? aged->body : nullptr;
    }

    // A value and the version it was computed at.
    struct Aged {
        std::shared_ptr<const T> body;
        uint64_t version = 0;
    };
    // The value stored under `key` if it was computed less than max_age_ms before `now_ms`, at
    // whatever version: for a caller that can tell for itself whether the writes since matter.
    std::optional<Aged> get_aged(const std::string& key, int64_t now_ms) {
        std::lock_guard lock(mu_);
        auto it = entries_.find(key);
        if (it == entries_.end()) return std::nullopt;
        const Entry& e = it->second;
        if (now_ms - e.computed_at >= max_age_ms_ || now_ms < e.computed_at) return std::nullopt;
        return Aged{e.body, e.version};
    }

    // Stores `body`, computed from data read at `version`; when full, the key stored first goes.
    std::shared_ptr<const T> put(const std::string& key, uint64_t version, int64_t now_ms, T body) {
        auto shared = std::make_shared<const T>(std::move(body));
        std::lock_guard lock(mu_);
        auto [it, fresh] = entries_.try_emplace(key);
        if (fresh) {
            order_.push_back(key);
            if (entries_.size() > max_entries_) {
                entries_.erase(order_.front());
                order_.pop_front();
            }
        }
        it->second.version = version;
        it->second.computed_at = now_ms;
        it->second.body = shared;
        return shared;
    }

private:
    struct Entry {
        uint64_t version = 0;
        int64_t computed_at = 0;
        std::shared_ptr<const T> body;
    };
    size_t max_entries_;
    int64_t max_age_ms_;
    std::mutex mu_;
    std::unordered_map<std::string, Entry> entries_;
    std::list<std::string> order_;
};

// Response bodies, serialised.
using ReadCache = BasicReadCache<std::string>;

}  // namespace v1
}  // namespace yz
