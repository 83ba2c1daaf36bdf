// SPDX-License-Identifier: MIT
// Which (user, Idempotency-Key) pairs may have a stored answer (server.cpp): a Bloom filter over
// every key this process stored, and every key in core_idempotency when it started. Its "no" is
// certain, so a new request — nearly every POST — skips looking its key up in SQLite (a read
// transaction of its own, a fifth of a refused booking's time); a "maybe" is looked up as before.
// A "no" is only certain while this process is the only one storing answers: under
// `serve --workers` the filter is off and every key is looked up.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string_view>

#include "db.hpp"

namespace yz {

class AnsweredKeys {
public:
    explicit AnsweredKeys(bool only_writer);
    // Adds every key in core_idempotency (a day's at most: retention.hpp).
    void load(Conn& c);
    // Before the answer is written: a "maybe" never lags the table.
    void add(int64_t user, std::string_view key);
    // False: certainly no stored answer. Always true when the filter is off.
    bool maybe(int64_t user, std::string_view key) const;

private:
    // 2^23 bits (1 MiB) and 4 probes: a day of 100 000 answers gives one false "maybe" in ~10^5.
    static constexpr uint64_t kBits = uint64_t{1} << 23;
    static constexpr int kProbes = 4;
    template <class Fn>
    static void probes(int64_t user, std::string_view key, Fn&& fn);
    std::unique_ptr<std::atomic<uint64_t>[]> words_;  // null: off
};

}  // namespace yz
