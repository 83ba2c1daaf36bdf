// SPDX-License-Identifier: MIT
// The filter that spares a new request's Idempotency-Key a lookup: its "no" must be certain (a
// key it was given is always "maybe"), and it must say "no" to keys it was not given.
#include <doctest/doctest.h>

#include <string>

#include "answered_keys.hpp"

TEST_CASE("every key added is a maybe, keys never added are a no") {
    yz::AnsweredKeys keys(true);
    for (int64_t user = 1; user <= 100; ++user)
        for (int i = 0; i < 100; ++i) keys.add(user, "key-" + std::to_string(i));
    int missed = 0, false_maybe = 0;
    for (int64_t user = 1; user <= 100; ++user)
        for (int i = 0; i < 100; ++i) {
            if (!keys.maybe(user, "key-" + std::to_string(i))) ++missed;
            if (keys.maybe(user, "other-" + std::to_string(i))) ++false_maybe;  // same users, new keys
            if (keys.maybe(user + 1000, "key-" + std::to_string(i))) ++false_maybe;  // same keys, other users
        }
    CHECK(missed == 0);
    // 10 000 keys in 2^23 bits with 4 probes: about one false "maybe" in 10^9 queries.
    CHECK(false_maybe <= 1);
}

TEST_CASE("off (another process may store answers): every key is a maybe") {
    yz::AnsweredKeys keys(false);
    keys.add(1, "stored");
    CHECK(keys.maybe(1, "stored"));
    CHECK(keys.maybe(2, "never stored"));
}
