// SPDX-License-Identifier: MIT
// Chapter 3: a service's slots, day by day, with the places left. Places are counted from the
// station's own tables: every booking that holds a place, and every live waitlist offer, holds
// exactly one in the slot's ledger resource, taken and given back in the same transaction, so the
// two always agree — and one query here beats a ledger call per slot. A slot residents wait for
// is not bookable even when a place is free: that place is on its way to the first of them.
// Listings are cached (yz::ReadCache) until the station's next write, and for a second at most:
// "bookable" may lag the booking window by that second; booking itself checks the rules afresh.
#include <algorithm>
#include <map>

#include <yz/calendar.hpp>
#include <yz/time_format.hpp>

#include "booking_rules.hpp"
#include "booking_workflow.hpp"
#include "request_fields.hpp"
#include "slots.hpp"
#include "station.hpp"

namespace convenience {

namespace {
constexpr int64_t kMaxRangeDays = 31;
}  // namespace

void Convenience::list_slots(yz::Request& req, yz::Response& res) {
    uint64_t version = writes_finished();  // before reading anything (see read_cache.hpp)
    int64_t now = host().now_ms();
    std::string key = std::to_string(req.id_param("id")) + "|" + req.query("from").value_or("") + "|" + req.query("to").value_or("");
    if (auto body = slots_cache_.get(key, version, now)) return res.json_text(200, *body);

    Service s = load_service(req.id_param("id"), false);
    yz::Date today = yz::beijing_date(now);
    yz::Date from = date_query(req, "from", today);
    yz::Date horizon = std::clamp(today.plus_days(s.rules.max_days_ahead), from, from.plus_days(kMaxRangeDays - 1));
    yz::Date to = date_query(req, "to", horizon);
    if (to < from || to - from >= kMaxRangeDays)
        throw yz::ApiError(400, "invalid_range", "日期范围须在 31 天以内，且结束不早于开始", {{"from", from.str()}, {"to", to.str()}});

    std::map<int64_t, int64_t> taken, waiting;
    int64_t range_from = yz::beijing_instant(from, 0), range_to = yz::beijing_instant(to.plus_days(1), 0);
    for (const auto& row : host().query(std::string("SELECT slot_start, count(*) AS n FROM convenience_bookings "
                                                    "WHERE service_id = ?1 AND slot_start >= ?2 AND slot_start < ?3 AND state IN ") +
                                            kHoldingStatesSql + " GROUP BY slot_start",
                                        {s.id, range_from, range_to}))
        taken[row["slot_start"].get<int64_t>()] += row["n"].get<int64_t>();
    for (const auto& row : host().query("SELECT slot_start, sum(state = 'offered' AND offer_expires_at > ?4) AS offered, "
                                        "sum(state = 'waiting') AS waiting FROM convenience_waitlist WHERE service_id = ?1 "
                                        "AND slot_start >= ?2 AND slot_start < ?3 AND state IN ('waiting', 'offered') GROUP BY slot_start",
                                        {s.id, range_from, range_to, now})) {
        taken[row["slot_start"].get<int64_t>()] += row["offered"].get<int64_t>();
        waiting[row["slot_start"].get<int64_t>()] = row["waiting"].get<int64_t>();
    }

    yz::HolidayCalendar cal = calendar();
    json days = json::array();
    for (yz::Date d = from; d <= to; d = d.plus_days(1)) {
        yz::OpenDay day = s.hours.day(d, cal);
        json slots = json::array();
        for (const auto& slot : day_slots(s, day)) {
            int64_t remaining = std::max<int64_t>(0, s.capacity - taken[slot.start]);
            int64_t queue = waiting[slot.start];
            bool open = !booking_window_refusal(s.rules, slot.start, now);
            // Filled member by member: a braced list would copy every value once more.
            json& j = slots.emplace_back(json::object());
            j["start"] = yz::iso8601_beijing(slot.start);
            j["end"] = yz::iso8601_beijing(slot.end);
            j["capacity"] = s.capacity;
            j["remaining"] = remaining;
            j["waiting"] = queue;
            j["bookable"] = open && remaining > 0 && queue == 0;
            j["waitlist_open"] = open && (remaining == 0 || queue > 0);
        }
        json& j = days.emplace_back(day_json(day));
        j["slots"] = std::move(slots);
    }
    json out = json::object();
    out["service"] = service_summary(s);
    out["days"] = std::move(days);
    res.json_text(200, *slots_cache_.put(key, version, now, out.dump()));
}

}  // namespace convenience
