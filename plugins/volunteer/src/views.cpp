// SPDX-License-Identifier: MIT
#include "views.hpp"

#include <cmath>

#include <yz/calendar.hpp>
#include <yz/time_format.hpp>

namespace volunteer {

namespace {
json time_or_null(const json& ms) { return ms.is_null() ? json(nullptr) : json(yz::iso8601_beijing(ms.get<int64_t>())); }
}  // namespace

std::optional<int64_t> withdraw_deadline(const json& starts_at, int64_t cutoff_minutes) {
    if (starts_at.is_null()) return std::nullopt;
    return starts_at.get<int64_t>() - cutoff_minutes * yz::kMinuteMs;
}

double hours_of(int64_t minutes) { return std::round(static_cast<double>(minutes) / 60.0 * 100.0) / 100.0; }

std::string local_span(int64_t start, int64_t end) {
    yz::Date day = yz::beijing_date(start);
    std::string from = day.str() + " " + yz::format_hhmm(yz::beijing_minute_of_day(start));
    if (yz::beijing_date(end) != day) return from + " 至 " + yz::beijing_date(end).str() + " " + yz::format_hhmm(yz::beijing_minute_of_day(end));
    return from + "-" + yz::format_hhmm(yz::beijing_minute_of_day(end));
}

std::string person_name(const json& row) {
    if (row.contains("real_name") && row["real_name"].is_string()) return row["real_name"];
    if (row.contains("display_name") && row["display_name"].is_string()) return row["display_name"];
    return "";
}

json claim_json(const json& row, int64_t now, bool staff_view) {
    std::string state = row.at("state");
    auto deadline = withdraw_deadline(row.at("starts_at"), row.at("withdraw_cutoff_minutes").get<int64_t>());
    bool withdrawable = (state == "pending" || state == "approved") && (!deadline || now <= *deadline);
    json j = {{"id", row.at("id")},
              {"state", state},
              {"reason", row.at("reason")},
              {"post", {{"id", row.at("post_id")}, {"role", row.at("role")}, {"location", row.at("location")},
                        {"time_type", row.at("time_type")}, {"starts_at", time_or_null(row.at("starts_at"))},
                        {"ends_at", time_or_null(row.at("ends_at"))}}},
              {"project", {{"id", row.at("project_id")}, {"title", row.at("project_title")}, {"year", row.at("year")}}},
              {"withdrawable", withdrawable},
              {"withdraw_deadline", deadline ? json(yz::iso8601_beijing(*deadline)) : json(nullptr)},
              {"created_at", yz::iso8601_beijing(row.at("created_at").get<int64_t>())},
              {"updated_at", yz::iso8601_beijing(row.at("updated_at").get<int64_t>())}};
    if (staff_view) j["volunteer"] = {{"user_id", row.at("user_id")}, {"name", person_name(row)}};
    return j;
}

json record_json(const json& row, bool staff_view) {
    int64_t minutes = row.at("minutes"), logged = row.at("logged_minutes");
    json j = {{"id", row.at("record_id")},
              {"status", row.at("status")},
              {"project", {{"id", row.at("project_id")}, {"title", row.at("project_title")}, {"year", row.at("year")}}},
              {"post", row.at("post_id").is_null() ? json(nullptr) : json{{"id", row.at("post_id")}, {"role", row.at("role")}}},
              {"service_date", row.at("service_date")},
              {"started_at", time_or_null(row.at("started_at"))},
              {"ended_at", time_or_null(row.at("ended_at"))},
              {"logged_minutes", logged},
              {"minutes", minutes},
              {"hours", hours_of(minutes)},
              {"source", row.at("source")},
              {"flagged", row.at("flagged") == 1},
              {"note", row.at("note")},
              {"decision", row.at("head_kind") == "logged" ? json(nullptr)
                                                          : json{{"kind", row.at("head_kind")},
                                                                 {"reason", row.at("decision_reason")},
                                                                 {"by", row.value("decided_by_name", json())},
                                                                 {"at", yz::iso8601_beijing(row.at("decided_at").get<int64_t>())}}},
              {"logged_at", yz::iso8601_beijing(row.at("logged_at").get<int64_t>())}};
    if (staff_view) j["volunteer"] = {{"user_id", row.at("user_id")}, {"name", person_name(row)}};
    return j;
}

json attendance_json(const json& row) {
    return {{"id", row.at("id")},
            {"claim_id", row.at("claim_id")},
            {"post_id", row.at("post_id")},
            {"user_id", row.at("user_id")},
            {"place", row.at("place")},
            {"checked_in_at", yz::iso8601_beijing(row.at("checked_in_at").get<int64_t>())},
            {"in_method", row.at("in_method")},
            {"checked_out_at", time_or_null(row.at("checked_out_at"))},
            {"out_method", row.at("out_method")},
            {"flagged", row.at("flagged") == 1},
            {"hours_record_id", row.at("hours_record_id")}};
}

json claim_notice(const json& row) {
    json data = {{"claim_id", row.at("id")}, {"project", row.at("project_title")}, {"post", row.at("role")},
                 {"location", row.at("location")}, {"state", row.at("state")}};
    if (!row.at("starts_at").is_null() && !row.at("ends_at").is_null())
        data["time"] = local_span(row.at("starts_at").get<int64_t>(), row.at("ends_at").get<int64_t>());
    return data;
}

}  // namespace volunteer
