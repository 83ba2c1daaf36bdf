// SPDX-License-Identifier: MIT
// Chapter 6b: the desk's cross-service view. The day sheet shows one service on one day; staff
// also need "everything waiting for me" — pending bookings of every service in the weeks ahead —
// without opening each service in turn. ?state= (one booking state), ?from=&to= (Beijing days of
// the slot, at most a year; default today and the year ahead), ?service_id=.
#include <yz/calendar.hpp>

#include "booking_view.hpp"
#include "request_fields.hpp"
#include "station.hpp"

namespace convenience {

namespace {
constexpr int64_t kMaxListDays = 366;
// A desk list, not an archive: the CSV export is for more.
constexpr int64_t kMaxListRows = 500;

bool known_state(const std::string& s) {
    for (const char* k : {"pending", "confirmed", "rejected", "cancelled", "checked_in", "completed", "no_show"})
        if (s == k) return true;
    return false;
}
}  // namespace

void Convenience::list_bookings(yz::Request& req, yz::Response& res) {
    int64_t now = host().now_ms();
    std::string state = req.query("state").value_or("");
    if (!state.empty() && !known_state(state)) throw yz::ApiError(400, "invalid_field", "没有这种预约状态", {{"field", "state"}});
    yz::Date from = date_query(req, "from", yz::beijing_date(now));
    yz::Date to = date_query(req, "to", from.plus_days(kMaxListDays - 1));
    if (to < from || to - from >= kMaxListDays)
        throw yz::ApiError(400, "invalid_range", "查询范围须在一年以内，且结束不早于开始", {{"from", from.str()}, {"to", to.str()}});
    int64_t service_id = cursor_query(req, "service_id");
    json rows = host().query(std::string(kBookingSelect) +
                                 "WHERE b.slot_start >= ?1 AND b.slot_start < ?2 AND (?3 = '' OR b.state = ?3) "
                                 "AND (?4 = 0 OR b.service_id = ?4) ORDER BY b.slot_start, b.id LIMIT ?5",
                             {yz::beijing_instant(from, 0), yz::beijing_instant(to.plus_days(1), 0), state, service_id,
                              kMaxListRows + 1});
    bool truncated = static_cast<int64_t>(rows.size()) > kMaxListRows;
    json items = json::array();
    for (size_t i = 0; i < rows.size() && static_cast<int64_t>(i) < kMaxListRows; ++i) items.push_back(booking_json(rows[i], now, true));
    res.json(200, {{"from", from.str()}, {"to", to.str()}, {"items", items}, {"truncated", truncated}});
}

}  // namespace convenience
