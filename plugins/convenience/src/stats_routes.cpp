// SPDX-License-Identifier: MIT
// Chapter 10: the month by month figures for the console's dashboard and the report to the street
// office — places booked, the places the opening hours offered, no-shows and how residents rated
// the service — per Beijing calendar month, oldest first, ending with the current month.
//
// A booking and its rating belong to the month of the booking's slot (the month the service was
// given), so a month's figures do not move when a resident rates late. Counts come from SQL,
// grouped by Beijing month. The capacity cannot: it is the opening hours (JSON, with the holiday
// calendar and exceptions) cut into slots, so it is summed here, day by day, from each service's
// current definition, from the day the service was defined up to the day before it was retired
// (a service retired in the morning offered none of that day's remaining places).
#include <cmath>
#include <map>

#include <yz/calendar.hpp>

#include "booking_workflow.hpp"
#include "station.hpp"

namespace convenience {

namespace {
constexpr int64_t kDefaultMonths = 12;
constexpr int64_t kMaxMonths = 24;

int64_t months_query(const yz::Request& req) {
    auto text = req.query("months");
    if (!text) return kDefaultMonths;
    int64_t n = 0;
    for (char c : *text) n = (c >= '0' && c <= '9' && n <= kMaxMonths) ? n * 10 + (c - '0') : kMaxMonths + 1;
    if (text->empty() || n < 1 || n > kMaxMonths)
        throw yz::ApiError(400, "invalid_field", "months 须为 1 到 24 之间的整数", {{"field", "months"}});
    return n;
}

double rounded(double v, int places) {
    double scale = std::pow(10.0, places);
    return std::round(v * scale) / scale;
}

std::string month_key(yz::Date d) { return d.str().substr(0, 7); }
}  // namespace

// Places each service offered per month between `first` and `end` (exclusive), keyed "YYYY-MM".
std::map<std::string, int64_t> Convenience::monthly_capacity(yz::Date first, yz::Date end) const {
    std::map<std::string, int64_t> capacity;
    yz::HolidayCalendar cal = calendar();
    for (const auto& row : host().query("SELECT * FROM convenience_services ORDER BY id")) {
        Service s = service_from_row(row);
        yz::Date from = std::max(first, yz::beijing_date(row["created_at"].get<int64_t>()));
        // A retired service's last change is its retirement.
        yz::Date until = s.active ? end : std::min(end, yz::beijing_date(row["updated_at"].get<int64_t>()));
        for (yz::Date d = from; d < until; d = d.plus_days(1))
            capacity[month_key(d)] += static_cast<int64_t>(day_slots(s, s.hours.day(d, cal)).size()) * s.capacity;
    }
    return capacity;
}

void Convenience::monthly_stats(yz::Request& req, yz::Response& res) {
    int64_t months = months_query(req);
    yz::Date end = yz::next_month_start(yz::beijing_date(host().now_ms()));
    yz::Date first = end;
    for (int64_t i = 0; i < months; ++i) first = yz::month_start(first.plus_days(-1));

    std::map<std::string, json> counted;
    for (const auto& row : host().query(
             std::string("SELECT strftime('%Y-%m', (b.slot_start + 28800000) / 1000, 'unixepoch') AS month, "
                         "sum(b.state IN ") + kHoldingStatesSql + ") AS bookings, sum(b.state = 'no_show') AS no_shows, "
                         "sum(b.state = 'completed') AS completed, count(r.id) AS ratings, avg(r.stars) AS rating_avg "
                         "FROM convenience_bookings b LEFT JOIN convenience_ratings r ON r.booking_id = b.id "
                         "WHERE b.slot_start >= ?1 AND b.slot_start < ?2 GROUP BY month",
             {yz::beijing_instant(first, 0), yz::beijing_instant(end, 0)}))
        counted[row["month"].get<std::string>()] = row;
    std::map<std::string, int64_t> capacity = monthly_capacity(first, end);

    json list = json::array();
    for (yz::Date m = first; m < end; m = yz::next_month_start(m)) {
        std::string key = month_key(m);
        json row = counted.count(key) ? counted[key] : json::object();
        int64_t bookings = row.value("bookings", int64_t{0}), places = capacity[key];
        int64_t ratings = row.value("ratings", int64_t{0});
        list.push_back({{"month", key},
                        {"bookings", bookings},
                        {"capacity", places},
                        {"utilisation", places > 0 ? json(rounded(static_cast<double>(bookings) / places, 4)) : json(nullptr)},
                        {"no_shows", row.value("no_shows", int64_t{0})},
                        {"completed", row.value("completed", int64_t{0})},
                        {"ratings", ratings},
                        {"rating_avg", ratings > 0 ? json(rounded(row["rating_avg"].get<double>(), 2)) : json(nullptr)}});
    }
    res.json(200, {{"months", list}});
}

}  // namespace convenience
