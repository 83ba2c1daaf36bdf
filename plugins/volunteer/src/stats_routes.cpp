// SPDX-License-Identifier: MIT
// The console dashboard's figures: per Beijing month for the last N months (this one included),
// the approved hours served (by service date), the claims made and the check-ins; and this year's
// 双报到 completion for members and units, counted exactly as the compliance reports count it.
//
// Months are cut in Beijing time, not UTC: a check-in at 00:10 on the 1st belongs to the new
// month although it is still the previous month's last day in UTC. China keeps no daylight
// saving, so "+8 hours" is the whole conversion and SQLite can group by it directly.
#include <map>

#include <yz/calendar.hpp>

#include "body_reader.hpp"
#include "compliance.hpp"
#include "station.hpp"
#include "views.hpp"

namespace volunteer {

namespace {
constexpr int64_t kMaxMonths = 36;

// Approved minutes by the month of their service day (?1..?2: Beijing days, end exclusive).
constexpr const char* kHoursByMonth =
    "SELECT substr(service_date, 1, 7) AS month, sum(minutes) AS n FROM volunteer_hour_records "
    "WHERE status = 'approved' AND service_date >= ?1 AND service_date < ?2 GROUP BY month";
// Claims made and check-ins by the Beijing month of their instant (?1..?2: UTC ms, end exclusive).
constexpr const char* kClaimsByMonth =
    "SELECT strftime('%Y-%m', (created_at + 28800000) / 1000, 'unixepoch') AS month, count(*) AS n "
    "FROM volunteer_claims WHERE created_at >= ?1 AND created_at < ?2 GROUP BY month";
constexpr const char* kCheckInsByMonth =
    "SELECT strftime('%Y-%m', (checked_in_at + 28800000) / 1000, 'unixepoch') AS month, count(*) AS n "
    "FROM volunteer_attendance WHERE checked_in_at >= ?1 AND checked_in_at < ?2 GROUP BY month";

// The 1st of a month counted from January of `year` (month 0 is last December, 13 next January).
yz::Date first_of_month(int64_t year, int64_t month) {
    int64_t index = year * 12 + (month - 1);  // years here are 2000..2100, so never negative
    return *yz::Date::from_ymd(index / 12, static_cast<unsigned>(index % 12 + 1), 1);
}

json compliant_of_total(const json& rows) {
    int64_t compliant = 0;
    for (const auto& r : rows) compliant += r["compliant"].get<bool>() ? 1 : 0;
    return {{"compliant", compliant}, {"total", rows.size()}};
}
}  // namespace

void Volunteer::monthly_stats(yz::Request& req, yz::Response& res) {
    int64_t months = int_query(req, "months", 12);
    if (months < 1 || months > kMaxMonths)
        throw yz::ApiError(400, "invalid_field", "months 须在 1 到 36 之间", {{"field", "months"}});
    yz::Date today = yz::beijing_date(host().now_ms());
    yz::Date from = first_of_month(today.year(), static_cast<int64_t>(today.month()) - (months - 1));
    yz::Date until = first_of_month(today.year(), static_cast<int64_t>(today.month()) + 1);  // exclusive
    json days = {from.str(), until.str()};
    json instants = {yz::beijing_instant(from, 0), yz::beijing_instant(until, 0)};

    // Every month gets a line, quiet ones too, so the chart's bars stand for the same months.
    std::map<std::string, json> by_month;
    for (int64_t i = 0; i < months; ++i) {
        std::string key = first_of_month(from.year(), static_cast<int64_t>(from.month()) + i).str().substr(0, 7);
        by_month[key] = {{"month", key}, {"minutes", 0}, {"hours", 0.0}, {"claims", 0}, {"check_ins", 0}};
    }
    auto fill = [&](const char* sql, const json& bounds, const char* field) {
        for (const auto& row : host().query(sql, bounds))
            if (auto it = by_month.find(row["month"].get<std::string>()); it != by_month.end()) it->second[field] = row["n"];
    };
    fill(kHoursByMonth, days, "minutes");
    fill(kClaimsByMonth, instants, "claims");
    fill(kCheckInsByMonth, instants, "check_ins");

    json lines = json::array();
    for (auto& [key, line] : by_month) {
        line["hours"] = hours_of(line["minutes"].get<int64_t>());
        lines.push_back(std::move(line));
    }
    int64_t year = today.year();
    res.json(200, {{"months", lines},
                   {"compliance",
                    {{"year", year},
                     {"members", compliant_of_total(member_compliance_rows(host(), year, 0, true))},
                     {"units", compliant_of_total(unit_compliance_rows(host(), year))}}}});
}

}  // namespace volunteer
