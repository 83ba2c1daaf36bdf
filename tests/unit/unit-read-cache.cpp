// SPDX-License-Identifier: MIT
// yz/read_cache.hpp: a value is served at the version it was computed at and within its age; an
// aged reading comes with its version whatever writes came since, for a caller that can judge them.
#include <doctest/doctest.h>

#include <yz/read_cache.hpp>

TEST_CASE("a cached value is served at its version and age, and get_aged tells its version past later writes") {
    yz::BasicReadCache<int> cache(4, 1000);
    cache.put("slot", 7, 10'000, 3);
    CHECK(*cache.get("slot", 7, 10'500) == 3);
    CHECK(cache.get("slot", 8, 10'500) == nullptr);  // a write finished since
    auto aged = cache.get_aged("slot", 10'500);
    REQUIRE(aged);
    CHECK(*aged->body == 3);
    CHECK(aged->version == 7);
    CHECK_FALSE(cache.get_aged("slot", 11'000));  // a second old: neither way serves it
    CHECK(cache.get("slot", 7, 11'000) == nullptr);
    CHECK_FALSE(cache.get_aged("slot", 9'999));  // a clock set back
    CHECK_FALSE(cache.get_aged("other", 10'500));

    cache.put("slot", 9, 10'600, 4);  // read again: the newer reading and its version replace it
    CHECK(cache.get_aged("slot", 10'700)->version == 9);
    CHECK(*cache.get("slot", 9, 10'700) == 4);
}
