// SPDX-License-Identifier: MIT
// Opening hours (yz/opening_hours.hpp): a weekly plan with breaks, holidays, 调休 days, exceptions.
#include <doctest/doctest.h>

#include <yz/opening_hours.hpp>

using nlohmann::json;
using yz::Date;
using yz::DayBasis;
using yz::HolidayCalendar;
using yz::OpeningHours;
using yz::Period;

namespace {
Date day(const char* text) { return *Date::parse(text); }

OpeningHours hours(const char* text) {
    std::string why;
    auto h = OpeningHours::parse(json::parse(text), why);
    REQUIRE_MESSAGE(h, why);
    return *h;
}

HolidayCalendar calendar() {
    std::string why;
    return *HolidayCalendar::parse(json::parse(R"({"holidays": [{"from": "2026-02-15", "to": "2026-02-23", "name": "春节"}],
                                                    "workdays": [{"date": "2026-02-14", "name": "春节调休"}]})"),
                                   why);
}

const char* kOffice = R"({"weekly": {"mon": ["13:30-17:00", "08:30-11:30"], "tue": ["08:30-11:30"], "fri": ["14:00-16:00"],
                                     "sat": ["09:00-10:00"]},
                          "exceptions": [{"date": "2026-03-03", "closed": true, "note": "内部培训"},
                                         {"date": "2026-03-08", "hours": ["09:00-10:00"], "note": "妇女节加开"},
                                         {"date": "2026-02-16", "hours": ["10:00-11:00"], "note": "春节值班"}]})";
}  // namespace

TEST_CASE("the weekly plan gives each weekday its periods, sorted, with the break between") {
    OpeningHours h = hours(kOffice);
    yz::OpenDay mon = h.day(day("2026-03-02"), HolidayCalendar());
    CHECK(mon.basis == DayBasis::weekly);
    REQUIRE(mon.periods.size() == 2);
    CHECK(mon.periods[0] == Period{510, 690});
    CHECK(mon.periods[1] == Period{810, 1020});
    CHECK_FALSE(h.day(day("2026-03-04"), HolidayCalendar()).open());  // Wednesday: not in the plan
    CHECK_FALSE(h.day(day("2026-03-01"), HolidayCalendar()).open());  // Sunday
}

TEST_CASE("a holiday closes, a 调休 Saturday opens with weekday hours, exceptions win over both") {
    OpeningHours h = hours(kOffice);
    HolidayCalendar cal = calendar();
    yz::OpenDay holiday = h.day(day("2026-02-17"), cal);  // a Tuesday in the Spring Festival
    CHECK_FALSE(holiday.open());
    CHECK(holiday.basis == DayBasis::holiday);
    CHECK(holiday.note == "春节");
    yz::OpenDay makeup = h.day(day("2026-02-14"), cal);  // Saturday worked as a Monday
    CHECK(makeup.basis == DayBasis::makeup_workday);
    CHECK(makeup.periods == h.day(day("2026-03-02"), cal).periods);
    yz::OpenDay duty = h.day(day("2026-02-16"), cal);  // a holiday with an exception
    CHECK(duty.basis == DayBasis::exception);
    CHECK(duty.periods == std::vector<Period>{{600, 660}});
    yz::OpenDay closed = h.day(day("2026-03-03"), cal);
    CHECK_FALSE(closed.open());
    CHECK(closed.note == "内部培训");
    CHECK(h.day(day("2026-03-08"), cal).open());  // a Sunday opened by exception
}

TEST_CASE("stations may ignore holidays and choose which weekday a make-up day copies") {
    OpeningHours h = hours(R"({"weekly": {"tue": ["08:00-09:00"], "thu": ["10:00-12:00"]}, "holidays": "ignore",
                               "makeup_workday_as": "thu"})");
    HolidayCalendar cal = calendar();
    CHECK(h.day(day("2026-02-17"), cal).periods == std::vector<Period>{{480, 540}});
    CHECK(h.day(day("2026-02-14"), cal).periods == std::vector<Period>{{600, 720}});
}

TEST_CASE("slots are laid end to end inside each period and never span a break") {
    OpeningHours h = hours(kOffice);
    auto slots = yz::slots_of(h.day(day("2026-03-02"), HolidayCalendar()), 40);
    // 08:30-11:30 holds four and a half 40-minute slots; 13:30-17:00 holds five and a quarter.
    REQUIRE(slots.size() == 4 + 5);
    CHECK(slots[0] == Period{510, 550});
    CHECK(slots[3] == Period{630, 670});
    CHECK(slots[4] == Period{810, 850});
    CHECK(slots.back() == Period{970, 1010});
    CHECK(yz::slots_of(h.day(day("2026-03-04"), HolidayCalendar()), 30).empty());
}

TEST_CASE("the canonical form parses back to the same hours") {
    OpeningHours h = hours(kOffice);
    json j = h.to_json();
    CHECK(j["weekly"]["mon"] == json{"08:30-11:30", "13:30-17:00"});
    CHECK(j["holidays"] == "closed");
    CHECK(j["makeup_workday_as"] == "mon");
    CHECK(j["exceptions"][0]["date"] == "2026-02-16");
    CHECK(hours(j.dump().c_str()).to_json() == j);
}

TEST_CASE("broken hours are refused with a reason, not ignored") {
    for (const char* text : {
             R"([])",
             R"({"weekly": {"monday": ["08:00-09:00"]}})",
             R"({"weekly": {"mon": ["08:00-07:00"]}})",
             R"({"weekly": {"mon": ["8:00-09:00"]}})",
             R"({"weekly": {"mon": ["08:00-10:00", "09:00-11:00"]}})",
             R"({"weekly": {"mon": "08:00-10:00"}})",
             R"({"holidays": "open"})",
             R"({"holidays": 1})",
             R"({"makeup_workday_as": "sat"})",
             R"({"exceptions": [{"date": "2026-03-03"}]})",
             R"({"exceptions": [{"date": "2026-03-03", "closed": true, "hours": ["09:00-10:00"]}]})",
             R"({"exceptions": [{"date": "2026-03-03", "hours": []}]})",
             R"({"exceptions": [{"date": "2026-03-03", "closed": true}, {"date": "2026-03-03", "closed": true}]})",
             R"({"exceptions": [{"date": "2026-03-03", "closed": true, "reason": "x"}]})",
             R"({"weekly": {}, "opening": {}})",
         }) {
        std::string why;
        CHECK_MESSAGE(!OpeningHours::parse(json::parse(text), why), text);
        CHECK_MESSAGE(!why.empty(), text);
    }
}
