// SPDX-License-Identifier: MIT
// The rules every new place passes — a booking, a reschedule's new slot, a waitlist entry and the
// offer it turns into — read from the database inside the caller's transaction, so two requests
// of one resident cannot both slip under a quota:
//   one place per resident per slot (409 already_booked);
//   not suspended for no-shows (422 suspended, suspensions.cpp);
//   the service's quota per resident, then per household (422 quota_exceeded, details.scope);
//   nobody jumps a slot's waitlist (409 slot_full while residents wait for it).
// `moving` is the booking being rescheduled: it neither blocks its own new slot nor counts twice.
#include <yz/time_format.hpp>

#include "booking_rules.hpp"
#include "booking_workflow.hpp"
#include "station.hpp"

namespace convenience {

void Convenience::check_can_book(const Service& s, int64_t start, int64_t user_id, int64_t moving) {
    refuse_second_booking(s, start, user_id, moving);
    refuse_if_suspended(user_id);
    enforce_quota(s, s.rules.quota, start, user_id, "resident", moving);
    enforce_quota(s, s.rules.household_quota, start, user_id, "household", moving);
}

// Both look a resident's bookings up by the resident (+service_id keeps SQLite from choosing the
// slot index instead, which walks every booking of the slot or of the quota's whole period — a
// thousand rows for a lecture hall's slot, the service's month for a monthly quota).
void Convenience::refuse_second_booking(const Service& s, int64_t start, int64_t user_id, int64_t moving) {
    auto same = host().query_one(std::string("SELECT id FROM convenience_bookings WHERE +service_id = ?1 AND user_id = ?2 "
                                             "AND slot_start = ?3 AND id <> ?4 AND state IN ") +
                                     kHoldingStatesSql,
                                 {s.id, user_id, start, moving});
    if (same) throw yz::ApiError(409, "already_booked", "您已预约了这个时段", {{"booking_id", (*same)["id"]}});
}

// A household is the station's own grouping (household_routes.cpp); a resident in none is a
// household of one, so the household quota still limits them.
void Convenience::enforce_quota(const Service& s, const Quota& quota, int64_t start, int64_t user_id, const char* scope,
                                int64_t moving) {
    if (!quota.limits()) return;
    bool household = std::string_view(scope) == "household";
    std::string whose = household ? "(user_id = ?2 OR user_id IN (SELECT m.user_id FROM convenience_household_members m "
                                    "JOIN convenience_household_members me ON me.household_id = m.household_id "
                                    "WHERE me.user_id = ?2))"
                                  : "user_id = ?2";
    Span span = quota_span(quota, start);
    auto used = host().query_one("SELECT count(*) AS n FROM convenience_bookings WHERE +service_id = ?1 AND " + whose +
                                     " AND slot_start >= ?3 AND slot_start < ?4 AND id <> ?5 AND state IN " + kHoldingStatesSql,
                                 {s.id, user_id, span.from, span.to, moving});
    if ((*used)["n"].get<int64_t>() < quota.count) return;
    std::string period = quota.per == "day" ? "每天" : quota.per == "week" ? "每周" : "每月";
    std::string who = household ? "每户" : "每人";
    throw yz::ApiError(422, "quota_exceeded", "该服务" + who + period + "最多预约 " + std::to_string(quota.count) + " 次",
                       {{"scope", scope}, {"count", quota.count}, {"per", quota.per},
                        {"from", yz::iso8601_beijing(span.from)}, {"to", yz::iso8601_beijing(span.to)}});
}

// A place freed in a slot residents wait for is offered to them in order (waitlist.cpp); until
// the queue is empty, nobody books that slot directly — not even in the moment a lapsed offer's
// place is free and its job has not yet run.
void Convenience::refuse_queue_jump(const Service& s, int64_t start) {
    auto waiting = host().query_one(
        "SELECT count(*) AS n FROM convenience_waitlist WHERE service_id = ?1 AND slot_start = ?2 AND state = 'waiting'",
        {s.id, start});
    int64_t n = (*waiting)["n"].get<int64_t>();
    if (n > 0)
        throw yz::ApiError(409, "slot_full", "该时段已约满，可加入候补",
                           {{"start", yz::iso8601_beijing(start)}, {"waitlist", true}, {"waiting", n}});
}

}  // namespace convenience
