// SPDX-License-Identifier: MIT
// The no-show policy. A place booked and not used is a place another resident could have had, so
// when staff mark a resident's Nth no-show within M days (station config, station_policy.hpp) the
// resident may not book, join a waitlist or reschedule for K days: 422 suspended, saying until
// when. The no-shows that caused a suspension are marked with it and never count again; bookings
// already made stay. The resident is told; staff see who is suspended and may lift a suspension
// early (a no-show marked by mistake), with a reason for the audit.
#include <yz/calendar.hpp>
#include <yz/time_format.hpp>

#include "booking_view.hpp"
#include "request_fields.hpp"
#include "station.hpp"

namespace convenience {

void Convenience::refuse_if_suspended(int64_t user_id) const {
    auto active = host().query_one("SELECT id, until FROM convenience_suspensions WHERE user_id = ?1 AND lifted_at IS NULL "
                                   "AND until > ?2 ORDER BY until DESC LIMIT 1",
                                   {user_id, host().now_ms()});
    if (!active) return;
    int64_t until = (*active)["until"];
    throw yz::ApiError(422, "suspended", "因多次预约后未到，暂停预约至 " + local_minute(until),
                       {{"until", yz::iso8601_beijing(until)}, {"suspension_id", (*active)["id"]}});
}

void Convenience::apply_no_show_policy(const yz::Auth& who, int64_t user_id) {
    const NoShowPolicy& p = policy_.no_show;
    if (p.count == 0) return;
    int64_t now = host().now_ms();
    int64_t since = now - p.within_days * yz::kDayMs;
    const char* uncounted = "FROM convenience_bookings WHERE user_id = ?1 AND state = 'no_show' AND suspension_id IS NULL "
                            "AND slot_start >= ?2";
    int64_t n = (*host().query_one(std::string("SELECT count(*) AS n ") + uncounted, {user_id, since}))["n"];
    if (n < p.count) return;
    int64_t until = now + p.suspend_days * yz::kDayMs;
    int64_t id = host().exec("INSERT INTO convenience_suspensions(user_id, starts_at, until, no_shows, created_at) "
                             "VALUES (?1, ?2, ?3, ?4, ?2)",
                             {user_id, now, until, n})
                     .last_insert_id;
    host().exec(std::string("UPDATE convenience_bookings SET suspension_id = ?3 WHERE id IN (SELECT id ") + uncounted + ")",
                {user_id, since, id});
    host().notify(user_id, "convenience.suspended",
                  {{"suspension_id", id}, {"no_shows", n}, {"within_days", p.within_days}, {"until", yz::iso8601_beijing(until)},
                   {"until_time", local_minute(until)}});
    host().audit(who, "suspension.start", "suspension", std::to_string(id),
                 {{"user_id", user_id}, {"no_shows", n}, {"until", yz::iso8601_beijing(until)}});
}

void Convenience::list_suspensions(yz::Request&, yz::Response& res) {
    json items = json::array();
    for (const auto& row : host().query("SELECT x.id, x.user_id, u.display_name, x.starts_at, x.until, x.no_shows "
                                        "FROM convenience_suspensions x LEFT JOIN pub_users u ON u.id = x.user_id "
                                        "WHERE x.lifted_at IS NULL AND x.until > ?1 ORDER BY x.until",
                                        {host().now_ms()}))
        items.push_back({{"id", row["id"]},
                         {"resident", {{"user_id", row["user_id"]}, {"display_name", row["display_name"]}}},
                         {"starts_at", yz::iso8601_beijing(row["starts_at"].get<int64_t>())},
                         {"until", yz::iso8601_beijing(row["until"].get<int64_t>())},
                         {"no_shows", row["no_shows"]}});
    res.json(200, {{"items", items}});
}

void Convenience::lift_suspension(yz::Request& req, yz::Response& res) {
    int64_t id = req.id_param("id");
    std::string reason = optional_text(req.body(), "reason", 600);
    if (reason.empty()) throw yz::ApiError(422, "reason_required", "请填写解除原因");
    int64_t now = host().now_ms();
    host().tx([&] {
        auto changed = host().exec("UPDATE convenience_suspensions SET lifted_at = ?2, lifted_by = ?3, lift_reason = ?4 "
                                   "WHERE id = ?1 AND lifted_at IS NULL AND until > ?2",
                                   {id, now, req.auth().user_id, reason});
        if (changed.changes == 0) throw yz::ApiError(404, "suspension_not_found", "没有这条生效中的暂停");
        host().audit(req.auth(), "suspension.lift", "suspension", std::to_string(id), {{"reason", reason}});
    });
    res.json(200, {{"id", id}, {"lifted", true}, {"lifted_at", yz::iso8601_beijing(now)}});
}

}  // namespace convenience
