// SPDX-License-Identifier: MIT
#include "service_spec.hpp"

#include <stdexcept>
#include <vector>

#include <yz/field_problems.hpp>
#include <yz/text.hpp>

namespace convenience {

namespace {

using Problems = yz::FieldProblems;

std::string text(const json& body, const char* key, size_t max_len, bool required, Problems& problems) {
    if (!body.contains(key) || body[key].is_null()) {
        if (required) problems.add(key, "必填");
        return {};
    }
    if (!body[key].is_string()) {
        problems.add(key, "须为文字");
        return {};
    }
    std::string v = body[key].get<std::string>();
    if (required && v.empty()) problems.add(key, "必填");
    if (yz::char_count(v) > max_len) problems.add(key, "不能超过 " + std::to_string(max_len) + " 个字");
    return v;
}

int whole(const json& obj, const char* key, int fallback, int lo, int hi, Problems& problems, const std::string& field) {
    if (!obj.contains(key)) return fallback;
    const json& v = obj[key];
    if (!v.is_number_integer() || v.get<int64_t>() < lo || v.get<int64_t>() > hi) {
        problems.add(field, "须为 " + std::to_string(lo) + " 到 " + std::to_string(hi) + " 之间的整数");
        return fallback;
    }
    return static_cast<int>(v.get<int64_t>());
}

bool flag(const json& j, const char* key, bool fallback, Problems& problems) {
    if (!j.contains(key)) return fallback;
    if (j[key].is_boolean()) return j[key].get<bool>();
    problems.add(std::string("rules.") + key, "须为 true 或 false");
    return fallback;
}

Quota quota_from(const json& j, const char* key, Problems& problems) {
    Quota q;
    if (!j.contains(key) || j[key].is_null()) return q;
    const json& v = j[key];
    std::string field = std::string("rules.") + key;
    if (!v.is_object() || !v.contains("count") || !v.contains("per")) {
        problems.add(field, "须为 {\"count\": 次数, \"per\": \"day\"|\"week\"|\"month\"}");
        return q;
    }
    q.count = whole(v, "count", 0, 1, 100, problems, field + ".count");
    std::string per = v["per"].is_string() ? v["per"].get<std::string>() : std::string();
    if (per != "day" && per != "week" && per != "month") problems.add(field + ".per", "只能是 day、week 或 month");
    else q.per = per;
    return q;
}

Rules rules_from(const json& j, Problems& problems) {
    Rules r;
    if (j.is_null()) return r;
    if (!j.is_object()) {
        problems.add("rules", "须为对象");
        return r;
    }
    static const char* const kKnown[] = {"min_notice_minutes", "max_days_ahead", "cancel_cutoff_minutes", "quota",
                                         "household_quota", "approval_required", "proxy_booking_allowed"};
    for (auto it = j.begin(); it != j.end(); ++it) {
        bool known = false;
        for (const char* k : kKnown) known = known || it.key() == k;
        if (!known) problems.add("rules." + it.key(), "未知规则");
    }
    r.min_notice_minutes = whole(j, "min_notice_minutes", r.min_notice_minutes, 0, 30 * 24 * 60, problems, "rules.min_notice_minutes");
    r.max_days_ahead = whole(j, "max_days_ahead", r.max_days_ahead, 0, 366, problems, "rules.max_days_ahead");
    r.cancel_cutoff_minutes =
        whole(j, "cancel_cutoff_minutes", r.cancel_cutoff_minutes, 0, 30 * 24 * 60, problems, "rules.cancel_cutoff_minutes");
    r.approval_required = flag(j, "approval_required", r.approval_required, problems);
    r.proxy_booking_allowed = flag(j, "proxy_booking_allowed", r.proxy_booking_allowed, problems);
    r.quota = quota_from(j, "quota", problems);
    r.household_quota = quota_from(j, "household_quota", problems);
    return r;
}

// The forms block refuses a broken field list with YZ_ERROR and the list's problems as JSON (the
// resident-facing YZ_INVALID means the definition itself is fine), so an empty submission tells
// us whether staff wrote a usable form.
void check_form(const json& form, const yz::Host& host, Problems& problems) {
    if (!form.is_array()) {
        problems.add("form", "须为字段列表");
        return;
    }
    try {
        host.validate_form(form, json::object());
    } catch (const yz::ApiError&) {
        // form_invalid for an empty submission: required fields, so the definition is usable
    } catch (const yz::HostError& e) {
        json errors = json::parse(e.what(), nullptr, false);
        if (!errors.is_array()) throw;
        for (const auto& err : errors)
            problems.add("form." + err.value("field", std::string()), err.value("message", std::string("字段定义有误")));
    }
}

}  // namespace

json Quota::to_json() const { return limits() ? json{{"count", count}, {"per", per}} : json(nullptr); }

json Rules::to_json() const {
    return {{"min_notice_minutes", min_notice_minutes},
            {"max_days_ahead", max_days_ahead},
            {"cancel_cutoff_minutes", cancel_cutoff_minutes},
            {"quota", quota.to_json()},
            {"household_quota", household_quota.to_json()},
            {"approval_required", approval_required},
            {"proxy_booking_allowed", proxy_booking_allowed}};
}

Service service_from_request(const json& body, const yz::Host& host) {
    Problems problems;
    Service s;
    for (auto it = body.begin(); it != body.end(); ++it) {
        static const char* const kKnown[] = {"name", "description", "category", "location", "slot_minutes",
                                             "capacity", "hours", "rules", "form"};
        bool known = false;
        for (const char* k : kKnown) known = known || it.key() == k;
        if (!known) problems.add(it.key(), "未知字段");
    }
    s.name = text(body, "name", 40, true, problems);
    s.description = text(body, "description", 1000, false, problems);
    s.category = text(body, "category", 20, false, problems);
    s.location = text(body, "location", 100, false, problems);
    if (!body.contains("slot_minutes")) problems.add("slot_minutes", "必填");
    s.slot_minutes = whole(body, "slot_minutes", 30, 5, 480, problems, "slot_minutes");
    if (!body.contains("capacity")) problems.add("capacity", "必填");
    s.capacity = whole(body, "capacity", 1, 1, 1000, problems, "capacity");
    if (!body.contains("hours")) {
        problems.add("hours", "必填");
    } else {
        std::string why;
        if (auto hours = yz::OpeningHours::parse(body["hours"], why)) s.hours = std::move(*hours);
        else problems.add("hours", why);
    }
    s.rules = rules_from(body.value("rules", json()), problems);
    s.form = body.value("form", json::array());
    check_form(s.form, host, problems);
    problems.throw_if_any("invalid_service", "服务设置有误");
    return s;
}

Service service_from_row(const json& row) {
    Service s;
    s.id = row.at("id").get<int64_t>();
    s.name = row.at("name").get<std::string>();
    s.description = row.at("description").get<std::string>();
    s.category = row.at("category").get<std::string>();
    s.location = row.at("location").get<std::string>();
    s.slot_minutes = static_cast<int>(row.at("slot_minutes").get<int64_t>());
    s.capacity = static_cast<int>(row.at("capacity").get<int64_t>());
    s.active = row.at("active").get<int64_t>() == 1;
    s.updated_at = row.at("updated_at").get<int64_t>();
    s.form = json::parse(row.at("form").get<std::string>());
    std::string why;
    auto hours = yz::OpeningHours::parse(json::parse(row.at("hours").get<std::string>()), why);
    if (!hours) throw std::runtime_error("stored hours of service " + std::to_string(s.id) + " do not parse: " + why);
    s.hours = std::move(*hours);
    Problems problems;
    s.rules = rules_from(json::parse(row.at("rules").get<std::string>()), problems);
    return s;
}

json service_summary(const Service& s) {
    return {{"id", s.id},
            {"name", s.name},
            {"description", s.description},
            {"category", s.category},
            {"location", s.location},
            {"slot_minutes", s.slot_minutes},
            {"capacity", s.capacity},
            {"approval_required", s.rules.approval_required},
            {"proxy_booking_allowed", s.rules.proxy_booking_allowed},
            {"active", s.active}};
}

json service_detail(const Service& s) {
    json j = service_summary(s);
    j["hours"] = s.hours.to_json();
    j["rules"] = s.rules.to_json();
    j["form"] = s.form;
    return j;
}

}  // namespace convenience
