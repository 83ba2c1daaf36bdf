// SPDX-License-Identifier: MIT
#include "project_spec.hpp"

#include <yz/calendar.hpp>
#include <yz/time_format.hpp>

#include "body_reader.hpp"

namespace volunteer {

namespace {
json optional_int(const std::optional<int64_t>& v) { return v ? json(*v) : json(nullptr); }
json optional_time(const std::optional<int64_t>& v) { return v ? json(yz::iso8601_beijing(*v)) : json(nullptr); }
std::optional<int64_t> int_or_null(const json& row, const char* key) {
    return row.at(key).is_null() ? std::nullopt : std::optional<int64_t>(row.at(key).get<int64_t>());
}
}  // namespace

std::string post_resource(int64_t post_id) { return "post:" + std::to_string(post_id); }

Project project_from_request(const json& body) {
    BodyReader in(body);
    Project p;
    p.year = in.integer("year", 2000, 2100, true).value_or(0);
    p.title = in.text("title", 60, true);
    p.description = in.text("description", 2000, false);
    if (in.has("owner_station")) p.owner_station = in.text("owner_station", 32, true);
    p.unit_claimable = in.flag("unit_claimable", false);
    in.done("invalid_project", "项目信息有误");
    return p;
}

Post post_from_request(const json& body) {
    BodyReader in(body);
    Post p;
    p.role = in.text("role", 40, true);
    p.description = in.text("description", 2000, false);
    p.location = in.text("location", 100, false);
    p.time_type = in.text("time_type", 10, true);
    if (!p.time_type.empty() && p.time_type != "shift" && p.time_type != "window" && p.time_type != "ongoing")
        in.problem("time_type", "须为 shift（固定班次）、window（时段内任意时间）或 ongoing（长期）");
    if (p.time_type == "shift" || p.time_type == "window") {
        p.starts_at = in.instant("starts_at", true);
        p.ends_at = in.instant("ends_at", true);
        if (p.timed() && *p.ends_at <= *p.starts_at) in.problem("ends_at", "须晚于开始时间");
        if (p.timed() && p.time_type == "shift" && *p.ends_at - *p.starts_at > yz::kDayMs)
            in.problem("ends_at", "一个班次不能超过 24 小时");
    } else if (in.has("starts_at") || in.has("ends_at")) {
        in.problem("time_type", "长期岗位不设起止时间");
    }
    p.spots = in.integer("spots", 1, 10000, true).value_or(1);
    if (body.contains("eligibility") && !body["eligibility"].is_null()) {
        if (!body["eligibility"].is_object()) {
            in.problem("eligibility", "须为对象");
        } else {
            BodyReader rules(body["eligibility"]);
            p.eligibility.members_only = rules.flag("members_only", false);
            p.eligibility.training = rules.text("training", 40, false);
            p.eligibility.min_age = rules.integer("min_age", 0, 120, false);
            p.eligibility.max_age = rules.integer("max_age", 0, 120, false);
            if (p.eligibility.min_age && p.eligibility.max_age && *p.eligibility.min_age > *p.eligibility.max_age)
                rules.problem("max_age", "不能小于最低年龄");
            in.absorb(rules, "eligibility");
        }
    }
    p.approval_required = in.flag("approval_required", false);
    p.withdraw_cutoff_minutes = in.integer("withdraw_cutoff_minutes", 0, 30 * 24 * 60, false).value_or(p.withdraw_cutoff_minutes);
    in.done("invalid_post", "岗位信息有误");
    return p;
}

Project project_from_row(const json& row) {
    Project p;
    p.id = row.at("id");
    p.year = row.at("year");
    p.title = row.at("title");
    p.description = row.at("description");
    p.owner_station = row.at("owner_station");
    p.unit_claimable = row.at("unit_claimable") == 1;
    p.state = row.at("state");
    return p;
}

Post post_from_row(const json& row) {
    Post p;
    p.id = row.at("id");
    p.project_id = row.at("project_id");
    p.role = row.at("role");
    p.description = row.at("description");
    p.location = row.at("location");
    p.time_type = row.at("time_type");
    p.starts_at = int_or_null(row, "starts_at");
    p.ends_at = int_or_null(row, "ends_at");
    p.spots = row.at("spots");
    p.eligibility.members_only = row.at("members_only") == 1;
    p.eligibility.training = row.at("training");
    p.eligibility.min_age = int_or_null(row, "min_age");
    p.eligibility.max_age = int_or_null(row, "max_age");
    p.approval_required = row.at("approval_required") == 1;
    p.withdraw_cutoff_minutes = row.at("withdraw_cutoff_minutes");
    p.state = row.at("state");
    return p;
}

json project_json(const Project& p) {
    return {{"id", p.id},
            {"year", p.year},
            {"title", p.title},
            {"description", p.description},
            {"owner_station", p.owner_station},
            {"unit_claimable", p.unit_claimable},
            {"state", p.state}};
}

json post_json(const Post& p, const json& places) {
    return {{"id", p.id},
            {"project_id", p.project_id},
            {"role", p.role},
            {"description", p.description},
            {"location", p.location},
            {"time_type", p.time_type},
            {"starts_at", optional_time(p.starts_at)},
            {"ends_at", optional_time(p.ends_at)},
            {"spots", p.spots},
            {"taken", places.value("taken", 0)},
            {"remaining", places.value("remaining", p.spots)},
            {"eligibility",
             {{"members_only", p.eligibility.members_only},
              {"training", p.eligibility.training.empty() ? json(nullptr) : json(p.eligibility.training)},
              {"min_age", optional_int(p.eligibility.min_age)},
              {"max_age", optional_int(p.eligibility.max_age)}}},
            {"approval_required", p.approval_required},
            {"withdraw_cutoff_minutes", p.withdraw_cutoff_minutes},
            {"state", p.state}};
}

}  // namespace volunteer
