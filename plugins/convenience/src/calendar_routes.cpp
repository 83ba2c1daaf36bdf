// SPDX-License-Identifier: MIT
// Chapter 2: the holiday calendar. The State Council announces each year's holidays and 调休
// make-up working days; staff (or the station's config, at start) load them as data, and every
// service's opening hours follow them: a holiday closes, a make-up Saturday opens as a weekday.
#include "station.hpp"

namespace convenience {

namespace {
constexpr const char* kCalendarKey = "holiday_calendar";

yz::HolidayCalendar parse_or_refuse(const json& j) {
    std::string why;
    auto cal = yz::HolidayCalendar::parse(j, why);
    if (!cal) throw yz::ApiError(422, "invalid_calendar", why);
    return std::move(*cal);
}
}  // namespace

yz::HolidayCalendar Convenience::calendar() const {
    auto row = host().query_one("SELECT value FROM convenience_settings WHERE key = ?1", {kCalendarKey});
    if (!row) return {};
    std::string why;
    auto cal = yz::HolidayCalendar::parse(json::parse((*row)["value"].get<std::string>()), why);
    if (!cal) throw std::runtime_error("stored holiday calendar does not parse: " + why);
    return std::move(*cal);
}

// An operator may ship the year's calendar in the station's config ("holidays"); it is loaded
// once, and staff edits win from then on.
void Convenience::seed_calendar(const json& config) {
    if (!config.contains("holidays")) return;
    std::string why;
    auto cal = yz::HolidayCalendar::parse(config["holidays"], why);
    if (!cal) throw std::runtime_error("config.holidays: " + why);
    host().exec("INSERT OR IGNORE INTO convenience_settings(key, value, updated_at) VALUES (?1, ?2, ?3)",
                {kCalendarKey, cal->to_json().dump(), host().now_ms()});
}

void Convenience::show_calendar(yz::Request&, yz::Response& res) { res.json(200, calendar().to_json()); }

void Convenience::replace_calendar(yz::Request& req, yz::Response& res) {
    yz::HolidayCalendar cal = parse_or_refuse(req.body());
    json canonical = cal.to_json();
    host().tx([&] {
        host().exec("INSERT INTO convenience_settings(key, value, updated_at) VALUES (?1, ?2, ?3) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                    {kCalendarKey, canonical.dump(), host().now_ms()});
        host().audit(req.auth(), "calendar.replace", "calendar", kCalendarKey, {{"days", cal.size()}});
    });
    definitions_changed();
    res.json(200, canonical);
}

}  // namespace convenience
