// SPDX-License-Identifier: MIT
// The holiday calendar (yz/holidays.hpp): holidays and 调休 make-up working days as data.
#include <doctest/doctest.h>

#include <yz/holidays.hpp>

using nlohmann::json;
using yz::Date;
using yz::HolidayCalendar;

namespace {
Date day(const char* text) { return *Date::parse(text); }

HolidayCalendar spring_festival_2026() {
    std::string why;
    auto cal = HolidayCalendar::parse(json::parse(R"({
        "holidays": [{"from": "2026-02-15", "to": "2026-02-23", "name": "春节"}, {"date": "2026-01-01", "name": "元旦"}, "2026-04-05"],
        "workdays": [{"date": "2026-02-14", "name": "春节调休"}, "2026-02-28"]})"), why);
    REQUIRE_MESSAGE(cal, why);
    return *cal;
}
}  // namespace

TEST_CASE("holidays, make-up working days and ordinary days are told apart") {
    HolidayCalendar cal = spring_festival_2026();
    CHECK(cal.day(day("2026-02-15")).kind == HolidayCalendar::Kind::holiday);
    CHECK(cal.day(day("2026-02-23")).name == "春节");
    CHECK(cal.day(day("2026-02-24")).kind == HolidayCalendar::Kind::ordinary);
    CHECK(cal.day(day("2026-02-14")).kind == HolidayCalendar::Kind::makeup_workday);
    CHECK(cal.day(day("2026-02-14")).name == "春节调休");
    CHECK(cal.day(day("2026-02-28")).kind == HolidayCalendar::Kind::makeup_workday);
    CHECK(cal.day(day("2026-04-05")).kind == HolidayCalendar::Kind::holiday);
    CHECK(cal.size() == 9 + 1 + 1 + 2);
}

TEST_CASE("the canonical form folds runs into ranges and parses back to the same calendar") {
    HolidayCalendar cal = spring_festival_2026();
    json j = cal.to_json();
    CHECK(j["holidays"][1] == json{{"from", "2026-02-15"}, {"to", "2026-02-23"}, {"name", "春节"}});
    CHECK(j["workdays"][0] == json{{"date", "2026-02-14"}, {"name", "春节调休"}});
    std::string why;
    auto again = HolidayCalendar::parse(j, why);
    REQUIRE(again);
    CHECK(again->to_json() == j);
}

TEST_CASE("malformed calendars are refused with a reason") {
    auto refused = [](const char* text) {
        std::string why;
        bool ok = HolidayCalendar::parse(json::parse(text), why).has_value();
        CHECK_FALSE(why.empty());
        return !ok;
    };
    CHECK(refused(R"([])"));
    CHECK(refused(R"({"holiday": []})"));
    CHECK(refused(R"({"holidays": "2026-01-01"})"));
    CHECK(refused(R"({"holidays": ["2026-02-30"]})"));
    CHECK(refused(R"({"holidays": [{"from": "2026-02-23", "to": "2026-02-15"}]})"));
    CHECK(refused(R"({"holidays": [{"from": "2026-01-01", "to": "2026-12-31"}]})"));
    CHECK(refused(R"({"holidays": ["2026-02-14"], "workdays": ["2026-02-14"]})"));
    CHECK(refused(R"({"holidays": [{"date": "2026-01-01", "name": 1}]})"));
    std::string why;
    CHECK(HolidayCalendar::parse(json::object(), why)->empty());
}
