// SPDX-License-Identifier: MIT
// Chapter 10: the year's reports. 双报到 compliance per member and per unit (compliance.hpp),
// filterable and downloadable as CSV, and the export of approved service records with the columns
// a national volunteer-system import asks for: volunteer, project, date, start, end, hours,
// approver. CSV files carry a UTF-8 byte-order mark so spreadsheets read the Chinese right.
#include <yz/calendar.hpp>
#include <yz/csv.hpp>
#include <yz/time_format.hpp>

#include "body_reader.hpp"
#include "compliance.hpp"
#include "station.hpp"
#include "views.hpp"

namespace volunteer {

namespace {
// ?compliant=1 / 0 keeps only rows that do / do not comply; absent keeps all.
json filtered(const json& rows, const std::optional<std::string>& compliant) {
    if (!compliant || compliant->empty()) return rows;
    if (*compliant != "0" && *compliant != "1") throw yz::ApiError(400, "invalid_field", "compliant 须为 0 或 1", {{"field", "compliant"}});
    json kept = json::array();
    for (const auto& row : rows)
        if (row["compliant"].get<bool>() == (*compliant == "1")) kept.push_back(row);
    return kept;
}

bool wants_csv(const yz::Request& req) { return req.query("format").value_or("") == "csv"; }

void send_csv(yz::Response& res, const std::string& filename, const yz::csv::Writer& w) {
    res.header("Content-Disposition", "attachment; filename=\"" + filename + "\"");
    res.text(200, yz::csv::kContentType, w.text());
}

const char* yes_no(bool v) { return v ? "是" : "否"; }
std::string hours_text(int64_t minutes) {
    std::string s = std::to_string((minutes * 100 + 30) / 60);  // hundredths of an hour, rounded
    while (s.size() < 3) s.insert(0, "0");
    return s.substr(0, s.size() - 2) + "." + s.substr(s.size() - 2);
}
}  // namespace

void Volunteer::member_compliance(yz::Request& req, yz::Response& res) {
    int64_t this_year = yz::beijing_date(host().now_ms()).year();
    int64_t year = int_query(req, "year", this_year);
    int64_t unit = int_query(req, "unit_id", 0);
    // Members who never declared belong to no unit, and are known only for this year (see compliance.hpp).
    json rows = filtered(member_compliance_rows(host(), year, unit, year == this_year && unit == 0), req.query("compliant"));
    if (auto in_service = req.query("in_service"); in_service && !in_service->empty()) {
        json kept = json::array();
        for (const auto& row : rows)
            if (row["in_service"].is_boolean() && row["in_service"].get<bool>() == (*in_service == "1")) kept.push_back(row);
        rows = std::move(kept);
    }
    if (wants_csv(req)) {
        yz::csv::Writer w;
        w.row({"姓名", "是否报到", "报到单位", "是否在职", "认领岗位数", "是否已认领", "是否已服务", "服务时长(小时)", "公益组织", "是否达标"});
        for (const auto& r : rows)
            w.row({r["name"].is_string() ? r["name"].get<std::string>() : "", yes_no(r["declared"]),
                   r["unit_name"].is_string() ? r["unit_name"].get<std::string>() : "",
                   r["in_service"].is_boolean() ? yes_no(r["in_service"]) : "", std::to_string(r["claims"].get<int64_t>()), yes_no(r["claimed"]), yes_no(r["served"]),
                   hours_text(r["minutes"]), r["public_org"], yes_no(r["compliant"])});
        send_csv(res, "compliance-members-" + std::to_string(year) + ".csv", w);
        return;
    }
    int64_t declared = 0, claimed = 0, served = 0, compliant = 0, minutes = 0;
    for (auto& r : rows) {
        declared += r["declared"].get<bool>();
        claimed += r["claimed"].get<bool>();
        served += r["served"].get<bool>();
        compliant += r["compliant"].get<bool>();
        minutes += r["minutes"].get<int64_t>();
        r["hours"] = hours_of(r["minutes"]);
    }
    res.json(200, {{"year", year},
                   {"summary", {{"members", rows.size()}, {"declared", declared}, {"claimed", claimed}, {"served", served}, {"compliant", compliant},
                                {"minutes", minutes}, {"hours", hours_of(minutes)}}},
                   {"items", rows}});
}

void Volunteer::unit_compliance(yz::Request& req, yz::Response& res) {
    int64_t year = int_query(req, "year", yz::beijing_date(host().now_ms()).year());
    json rows = filtered(unit_compliance_rows(host(), year), req.query("compliant"));
    if (wants_csv(req)) {
        yz::csv::Writer w;
        w.row({"单位", "联系人", "认领项目数", "完成项目数", "报到党员数", "达标党员数", "是否达标"});
        for (const auto& r : rows)
            w.row({r["unit_name"], r["contact_name"].is_string() ? r["contact_name"].get<std::string>() : "",
                   std::to_string(r["claimed_projects"].get<int64_t>()), std::to_string(r["completed_projects"].get<int64_t>()),
                   std::to_string(r["members_declared"].get<int64_t>()), std::to_string(r["members_compliant"].get<int64_t>()),
                   yes_no(r["compliant"])});
        send_csv(res, "compliance-units-" + std::to_string(year) + ".csv", w);
        return;
    }
    int64_t claimed = 0, compliant = 0;
    for (const auto& r : rows) {
        claimed += r["claimed"].get<bool>();
        compliant += r["compliant"].get<bool>();
    }
    res.json(200, {{"year", year}, {"summary", {{"units", rows.size()}, {"claimed", claimed}, {"compliant", compliant}}}, {"items", rows}});
}

// Approved records only, oldest service first. ?year= picks the projects' year; ?from=&to= (Beijing
// days, inclusive) pick service dates instead.
void Volunteer::export_service_records(yz::Request& req, yz::Response& res) {
    int64_t year = int_query(req, "year", 0);
    auto from = date_query(req, "from"), to = date_query(req, "to");
    if (!year && !from && !to) year = yz::beijing_date(host().now_ms()).year();
    json rows = host().query(std::string(kRecordSelect) +
                                 "WHERE r.status = 'approved' AND (?1 = 0 OR j.year = ?1) AND (?2 = '' OR r.service_date >= ?2) "
                                 "AND (?3 = '' OR r.service_date <= ?3) ORDER BY r.service_date, r.started_at, r.record_id",
                             {year, from ? from->str() : "", to ? to->str() : ""});
    yz::csv::Writer w;
    w.row({"志愿者姓名", "服务项目", "服务日期", "开始时间", "结束时间", "服务时长(小时)", "审核人"});
    auto hhmm = [](const json& ms) { return ms.is_null() ? std::string() : yz::format_hhmm(yz::beijing_minute_of_day(ms.get<int64_t>())); };
    for (const auto& r : rows)
        w.row({person_name(r), r["project_title"], r["service_date"], hhmm(r["started_at"]), hhmm(r["ended_at"]), hours_text(r["minutes"]),
               r["decided_by_name"].is_string() ? r["decided_by_name"].get<std::string>() : ""});
    std::string name = year ? std::to_string(year) : (from ? from->str() : "") + "_" + (to ? to->str() : "");
    send_csv(res, "service-records-" + name + ".csv", w);
}

}  // namespace volunteer
