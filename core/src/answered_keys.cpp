// SPDX-License-Identifier: MIT
#include "answered_keys.hpp"

#include <functional>

namespace yz {

namespace {
// splitmix64's finaliser: a second, independent-looking hash from the first.
uint64_t mix(uint64_t x) {
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}
}  // namespace

AnsweredKeys::AnsweredKeys(bool only_writer) {
    if (only_writer) words_ = std::make_unique<std::atomic<uint64_t>[]>(kBits / 64);
}

template <class Fn>
void AnsweredKeys::probes(int64_t user, std::string_view key, Fn&& fn) {
    uint64_t h1 = mix(std::hash<std::string_view>{}(key) ^ mix(static_cast<uint64_t>(user)));
    uint64_t h2 = mix(h1) | 1;
    for (int i = 0; i < kProbes; ++i) {
        uint64_t bit = (h1 + static_cast<uint64_t>(i) * h2) & (kBits - 1);
        fn(bit / 64, uint64_t{1} << (bit % 64));
    }
}

void AnsweredKeys::load(Conn& c) {
    if (!words_) return;
    auto core = c.enter_core();
    auto q = c.prepare("SELECT user_id, idem_key FROM core_idempotency");
    while (q->executeStep()) add(q->getColumn(0).getInt64(), q->getColumn(1).getString());
}

void AnsweredKeys::add(int64_t user, std::string_view key) {
    if (!words_) return;
    probes(user, key, [&](uint64_t word, uint64_t mask) { words_[word].fetch_or(mask, std::memory_order_relaxed); });
}

bool AnsweredKeys::maybe(int64_t user, std::string_view key) const {
    if (!words_) return true;
    bool all = true;
    probes(user, key, [&](uint64_t word, uint64_t mask) { all = all && (words_[word].load(std::memory_order_relaxed) & mask); });
    return all;
}

}  // namespace yz
