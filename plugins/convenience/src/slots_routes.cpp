// SPDX-License-Identifier: MIT
// Chapter 3: a service's slots, day by day, with the places left. Places are counted from the
// station's own tables: every booking that holds a place, and every live waitlist offer, holds
// exactly one in the slot's ledger resource, taken and given back in the same transaction, so the
// two always agree — and one query here beats a ledger call per slot. A slot residents wait for
// is not bookable even when a place is free: that place is on its way to the first of them.
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
    Service s = load_service(req.id_param("id"), false);
    int64_t now = host().now_ms();
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
            bool open = !booking_window_refusal(s.rules, slot.start, now);
            slots.push_back({{"start", yz::iso8601_beijing(slot.start)},
                             {"end", yz::iso8601_beijing(slot.end)},
                             {"capacity", s.capacity},
                             {"remaining", remaining},
                             {"waiting", waiting[slot.start]},
                             {"bookable", open && remaining > 0 && waiting[slot.start] == 0},
                             {"waitlist_open", open && (remaining == 0 || waiting[slot.start] > 0)}});
        }
        json j = day_json(day);
        j["slots"] = std::move(slots);
        days.push_back(std::move(j));
    }
    res.json(200, {{"service", service_summary(s)}, {"days", days}});
}

}  // namespace convenience
