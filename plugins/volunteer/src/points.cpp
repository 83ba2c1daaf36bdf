// SPDX-License-Identifier: MIT
#include "points.hpp"

namespace volunteer {

int64_t settle_points(const yz::Host& host, const PointsRule& rule, const yz::json& record, int64_t approved_minutes,
                      int64_t hours_entry_id, int64_t actor_user_id) {
    auto earned = host.query_one("SELECT coalesce(sum(delta), 0) AS n FROM volunteer_points WHERE hours_record_id = ?1 AND kind = 'earned'",
                                 yz::json::array({record.at("record_id")}));
    int64_t delta = rule.points_for(approved_minutes) - (*earned)["n"].get<int64_t>();
    if (delta == 0) return 0;
    host.exec("INSERT INTO volunteer_points(user_id, delta, kind, hours_record_id, hours_entry_id, note, actor_user_id, created_at) "
              "VALUES (?1, ?2, 'earned', ?3, ?4, ?5, ?6, ?7)",
              {record.at("user_id"), delta, record.at("record_id"), hours_entry_id, record.at("project_title"), actor_user_id, host.now_ms()});
    return delta;
}

int64_t points_balance(const yz::Host& host, int64_t user_id) {
    auto row = host.query_one("SELECT coalesce(sum(delta), 0) AS n FROM volunteer_points WHERE user_id = ?1", {user_id});
    return (*row)["n"].get<int64_t>();
}

}  // namespace volunteer
