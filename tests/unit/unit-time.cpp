// SPDX-License-Identifier: MIT
// API times: ISO 8601 in Beijing time, and parsing with explicit offsets.
#include <doctest/doctest.h>

#include "time_util.hpp"

using namespace yz::time;

TEST_CASE("UTC instants are shown as +08:00, across the date line") {
    // 2026-11-22T16:30:00Z is 2026-11-23 00:30 in Beijing.
    auto t = parse_iso8601("2026-11-22T16:30:00Z");
    REQUIRE(t);
    CHECK(iso8601_beijing(*t) == "2026-11-23T00:30:00+08:00");
    CHECK(iso8601_utc(*t + 5) == "2026-11-22T16:30:00.005Z");
    CHECK(iso8601_beijing(0) == "1970-01-01T08:00:00+08:00");
}

TEST_CASE("parsing requires an offset and a real date") {
    CHECK(parse_iso8601("2026-11-23T00:30:00+08:00") == parse_iso8601("2026-11-22T16:30:00Z"));
    CHECK(parse_iso8601("2024-02-29T00:00:00+08:00"));
    CHECK_FALSE(parse_iso8601("2025-02-29T00:00:00+08:00"));
    CHECK_FALSE(parse_iso8601("2026-11-22T16:30:00"));
    CHECK_FALSE(parse_iso8601("2026-13-01T00:00:00Z"));
    CHECK_FALSE(parse_iso8601("yesterday"));
}

TEST_CASE("the clock can be fixed and advanced without sleeping") {
    Clock c;
    c.set_fixed(1000);
    CHECK(c.now_ms() == 1000);
    c.advance(500);
    CHECK(c.now_ms() == 1500);
}
