// SPDX-License-Identifier: MIT
// Beijing calendar days (yz/calendar.hpp): dates, weekdays, local times of day and ISO parsing.
#include <doctest/doctest.h>

#include <yz/calendar.hpp>

#include "time_util.hpp"

using yz::Date;

namespace {
Date day(const char* text) { return *Date::parse(text); }
}  // namespace

TEST_CASE("dates parse only as real YYYY-MM-DD days and print back the same") {
    CHECK(day("2026-02-14").str() == "2026-02-14");
    CHECK(day("2024-02-29").str() == "2024-02-29");
    CHECK_FALSE(Date::parse("2026-02-29"));
    CHECK_FALSE(Date::parse("2026-13-01"));
    CHECK_FALSE(Date::parse("2026-2-14"));
    CHECK_FALSE(Date::parse("2026-02-14T00:00"));
    CHECK_FALSE(Date::parse("０２６-02-14"));
    CHECK(day("1970-01-01").days() == 0);
    CHECK(day("2026-03-01") - day("2026-02-28") == 1);
    CHECK(day("2025-12-31").plus_days(1) == day("2026-01-01"));
}

TEST_CASE("weekdays are ISO: Monday 1 … Sunday 7, also before 1970") {
    CHECK(day("1970-01-01").weekday() == 4);
    CHECK(day("2026-02-14").weekday() == 6);  // a Saturday
    CHECK(day("2026-02-16").weekday() == 1);
    CHECK(day("2026-02-22").weekday() == 7);
    CHECK(day("1969-12-29").weekday() == 1);
    CHECK(yz::week_start(day("2026-02-22")) == day("2026-02-16"));
    CHECK(yz::week_start(day("2026-02-16")) == day("2026-02-16"));
    CHECK(yz::month_start(day("2026-02-14")) == day("2026-02-01"));
    CHECK(yz::next_month_start(day("2026-01-31")) == day("2026-02-01"));
    CHECK(yz::next_month_start(day("2026-12-05")) == day("2027-01-01"));
    CHECK(yz::parse_weekday("sat") == 6);
    CHECK_FALSE(yz::parse_weekday("Saturday"));
}

TEST_CASE("an instant's Beijing day and minute cross the date line at 16:00 UTC") {
    int64_t t = *yz::time::parse_iso8601("2026-02-13T16:30:00Z");  // 00:30 on the 14th in Beijing
    CHECK(yz::beijing_date(t) == day("2026-02-14"));
    CHECK(yz::beijing_minute_of_day(t) == 30);
    CHECK(yz::beijing_date(t - 31 * yz::kMinuteMs) == day("2026-02-13"));
    CHECK(yz::beijing_minute_of_day(t - 31 * yz::kMinuteMs) == 23 * 60 + 59);
    CHECK(yz::beijing_instant(day("2026-02-14"), 30) == t);
    CHECK(yz::beijing_date(-1) == day("1970-01-01"));  // 07:59:59.999 in Beijing
    CHECK(yz::beijing_date(-8 * yz::kHourMs - 1) == day("1969-12-31"));
}

TEST_CASE("times of day are HH:MM with 24:00 allowed as a closing time") {
    CHECK(yz::parse_hhmm("08:30") == 510);
    CHECK(yz::parse_hhmm("24:00") == 1440);
    CHECK_FALSE(yz::parse_hhmm("24:30"));
    CHECK_FALSE(yz::parse_hhmm("8:30"));
    CHECK_FALSE(yz::parse_hhmm("08:60"));
    CHECK(yz::format_hhmm(510) == "08:30");
    CHECK(yz::format_hhmm(1440) == "24:00");
}

TEST_CASE("ISO 8601 instants need an offset and agree with the core's parser") {
    for (const char* text : {"2026-02-14T09:00:00+08:00", "2026-02-14T01:00:00Z", "2026-02-14T01:00:00.250Z",
                             "2026-02-13T20:00:00-05:00", "2024-02-29T23:59:59+08:00"})
        CHECK(yz::parse_iso8601(text) == yz::time::parse_iso8601(text));
    CHECK(yz::parse_iso8601("2026-02-14T09:00+08:00") == yz::parse_iso8601("2026-02-14T09:00:00+08:00"));
    CHECK(yz::parse_iso8601("2026-02-14T09:00:00+0800") == yz::parse_iso8601("2026-02-14T09:00:00+08:00"));
    CHECK(yz::iso8601_beijing(*yz::parse_iso8601("2026-02-14T01:00:00Z")) == "2026-02-14T09:00:00+08:00");
    CHECK_FALSE(yz::parse_iso8601("2026-02-14T09:00:00"));  // local time without offset: ambiguous
    CHECK_FALSE(yz::parse_iso8601("2026-02-30T09:00:00+08:00"));
    CHECK_FALSE(yz::parse_iso8601("2026-02-14T25:00:00+08:00"));
    CHECK_FALSE(yz::parse_iso8601("2026-02-14T09:00:00+08:00x"));
    CHECK_FALSE(yz::parse_iso8601(""));
}
