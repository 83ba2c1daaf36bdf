// SPDX-License-Identifier: MIT
#include "hours_ledger.hpp"

#include <yz/time_format.hpp>

#include "views.hpp"

namespace volunteer {

namespace {
json nullable(const std::optional<int64_t>& v) { return v ? json(*v) : json(); }
}  // namespace

int64_t log_hours(const yz::Host& host, const LoggedHours& h) {
    return host
        .exec("INSERT INTO volunteer_hours(kind, user_id, project_id, post_id, attendance_id, service_date, started_at, ended_at, "
              "minutes, source, flagged, reason, actor_user_id, created_at) "
              "VALUES ('logged', ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
              {h.user_id, h.project_id, nullable(h.post_id), nullable(h.attendance_id), h.service_date.str(), nullable(h.started_at),
               nullable(h.ended_at), h.minutes, h.source, h.flagged ? 1 : 0, h.note, h.actor_user_id, host.now_ms()})
        .last_insert_id;
}

std::optional<json> find_record(const yz::Host& host, int64_t record_id) {
    return host.query_one(std::string(kRecordSelect) + "WHERE r.record_id = ?1", {record_id});
}

int64_t append_decision(const yz::Host& host, const json& record, const std::string& kind, int64_t minutes,
                        const std::string& reason, int64_t actor_user_id) {
    try {
        return host
            .exec("INSERT INTO volunteer_hours(root_id, refers_to, kind, user_id, project_id, post_id, attendance_id, service_date, "
                  "started_at, ended_at, minutes, source, flagged, reason, actor_user_id, created_at) "
                  "SELECT ?1, ?2, ?3, user_id, project_id, post_id, attendance_id, service_date, started_at, ended_at, ?4, 'decision', "
                  "flagged, ?5, ?6, ?7 FROM volunteer_hours WHERE id = ?1",
                  {record.at("record_id"), record.at("head_id"), kind, minutes, reason, actor_user_id, host.now_ms()})
            .last_insert_id;
    } catch (const yz::HostError& e) {
        if (e.status() == YZ_CONFLICT) throw yz::ApiError(409, "hours_changed", "这条时长记录刚被他人处理过，请刷新后再看");
        throw;
    }
}

json record_entries(const yz::Host& host, int64_t record_id) {
    json entries = json::array();
    for (const auto& row : host.query("SELECT h.id, h.kind, h.refers_to, h.minutes, h.reason, h.actor_user_id, h.created_at, "
                                      "u.display_name AS actor_name FROM volunteer_hours h LEFT JOIN pub_users u ON u.id = h.actor_user_id "
                                      "WHERE h.id = ?1 OR h.root_id = ?1 ORDER BY h.id",
                                      {record_id}))
        entries.push_back({{"id", row["id"]},
                           {"kind", row["kind"]},
                           {"refers_to", row["refers_to"]},
                           {"minutes", row["minutes"]},
                           {"hours", hours_of(row["minutes"].get<int64_t>())},
                           {"reason", row["reason"]},
                           {"by", row["actor_user_id"] == 0 ? json("系统") : row["actor_name"]},
                           {"at", yz::iso8601_beijing(row["created_at"].get<int64_t>())}});
    return entries;
}

}  // namespace volunteer
