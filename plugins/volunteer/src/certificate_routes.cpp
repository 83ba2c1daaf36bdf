// SPDX-License-Identifier: MIT
// Chapter 11: what a volunteer takes away. Their service record — approved hours in total and per
// project — and 志愿服务记录证明 certificates: a snapshot of name, hours, period and issuer, with a
// verification code. The certificate page prints the code and the public URL where anyone (a
// school, an employer) checks it; that URL shows only the name, hours, period and issuer — no
// phone, no projects, no user id.
#include <yz/calendar.hpp>
#include <yz/random_code.hpp>
#include <yz/time_format.hpp>

#include "body_reader.hpp"
#include "station.hpp"
#include "views.hpp"

namespace volunteer {

namespace {
constexpr size_t kCodeLength = 12;  // ~59 bits: not worth guessing through a rate-limited route

std::string verify_path(const std::string& code) { return "/api/v1/stations/volunteer/certificates/" + code; }

// What a person typed from the paper: upper-cased, spaces and dashes dropped.
std::string normalize_code(const std::string& typed) {
    std::string code;
    for (char c : typed) {
        if (c == ' ' || c == '-') continue;
        code.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
    }
    return code;
}

std::string html_escape(const std::string& s) {
    std::string out;
    for (char c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out.push_back(c);
        }
    }
    return out;
}

json certificate_json(const json& row) {
    int64_t minutes = row.at("minutes");
    return {{"id", row.at("id")},
            {"code", row.at("code")},
            {"name", row.at("holder_name")},
            {"minutes", minutes},
            {"hours", hours_of(minutes)},
            {"period", {{"from", row.at("period_from")}, {"to", row.at("period_to")}}},
            {"issuer", row.at("issuer")},
            {"projects", json::parse(row.at("projects").get<std::string>())},
            {"issued_at", yz::iso8601_beijing(row.at("issued_at").get<int64_t>())},
            {"verify_url", verify_path(row.at("code"))}};
}
}  // namespace

json Volunteer::service_record(int64_t user_id) const {
    auto reg = registration(user_id);
    json projects = json::array();
    int64_t total = 0;
    for (const auto& row : host().query("SELECT r.project_id, j.title, j.year, count(*) AS records, sum(r.minutes) AS minutes, "
                                        "min(r.service_date) AS first_date, max(r.service_date) AS last_date FROM volunteer_hour_records r "
                                        "JOIN volunteer_projects j ON j.id = r.project_id WHERE r.user_id = ?1 AND r.status = 'approved' "
                                        "GROUP BY r.project_id ORDER BY j.year, r.project_id",
                                        {user_id})) {
        int64_t minutes = row["minutes"];
        total += minutes;
        projects.push_back({{"project_id", row["project_id"]}, {"title", row["title"]}, {"year", row["year"]}, {"records", row["records"]},
                            {"minutes", minutes}, {"hours", hours_of(minutes)}, {"first_date", row["first_date"]},
                            {"last_date", row["last_date"]}});
    }
    auto pending = host().query_one("SELECT coalesce(sum(minutes), 0) AS n FROM volunteer_hour_records WHERE user_id = ?1 AND status = 'pending'",
                                    {user_id});
    return {{"volunteer", {{"user_id", user_id}, {"name", reg ? (*reg)["real_name"] : json(nullptr)}}},
            {"total_minutes", total},
            {"total_hours", hours_of(total)},
            {"pending_minutes", (*pending)["n"]},
            {"projects", projects}};
}

void Volunteer::my_record(yz::Request& req, yz::Response& res) { res.json(200, service_record(req.auth().user_id)); }

void Volunteer::volunteer_record(yz::Request& req, yz::Response& res) { res.json(200, service_record(req.id_param("user"))); }

// The period defaults to everything served; a certificate for a period with no approved hours
// would certify nothing, so it is refused.
void Volunteer::issue_certificate(yz::Request& req, yz::Response& res) {
    BodyReader in(req.body());
    auto from = in.date("from", false), to = in.date("to", false);
    if (from && to && *to < *from) in.problem("to", "不能早于开始日期");
    in.done();
    int64_t uid = req.auth().user_id;
    json cert;
    host().tx([&] {
        auto reg = registration(uid);
        if (!reg) throw yz::ApiError(422, "not_registered", "请先登记为志愿者");
        std::string lo = from ? from->str() : "", hi = to ? to->str() : "";
        json projects = host().query(
            "SELECT j.title, sum(r.minutes) AS minutes, min(r.service_date) AS first_date, max(r.service_date) AS last_date "
            "FROM volunteer_hour_records r JOIN volunteer_projects j ON j.id = r.project_id WHERE r.user_id = ?1 AND r.status = 'approved' "
            "AND (?2 = '' OR r.service_date >= ?2) AND (?3 = '' OR r.service_date <= ?3) GROUP BY r.project_id ORDER BY r.project_id",
            {uid, lo, hi});
        int64_t minutes = 0;
        std::string first, last;
        json listed = json::array();
        for (const auto& p : projects) {
            minutes += p["minutes"].get<int64_t>();
            if (first.empty() || p["first_date"].get<std::string>() < first) first = p["first_date"];
            if (last.empty() || p["last_date"].get<std::string>() > last) last = p["last_date"];
            listed.push_back({{"title", p["title"]}, {"hours", hours_of(p["minutes"])}});
        }
        if (minutes == 0) throw yz::ApiError(422, "no_service", "该时段没有已审核的服务时长");
        int64_t id = 0;
        for (int attempt = 1; id == 0; ++attempt) {
            try {
                id = host().exec("INSERT INTO volunteer_certificates(code, user_id, holder_name, minutes, period_from, period_to, issuer, "
                                 "projects, issued_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                                 {yz::random_code(kCodeLength), uid, (*reg)["real_name"], minutes, from ? lo : first, to ? hi : last,
                                  settings_.issuer, listed.dump(), host().now_ms()})
                         .last_insert_id;
            } catch (const yz::HostError& e) {
                // The code was taken (one chance in 10^17 or so): draw another.
                if (e.status() != YZ_CONFLICT || attempt == 3) throw;
            }
        }
        host().audit(req.auth(), "certificate.issue", "certificate", std::to_string(id), {{"minutes", minutes}});
        cert = *host().query_one("SELECT * FROM volunteer_certificates WHERE id = ?1", {id});
    });
    res.json(201, certificate_json(cert));
}

void Volunteer::print_certificate(yz::Request& req, yz::Response& res) {
    auto row = host().query_one("SELECT * FROM volunteer_certificates WHERE id = ?1", {req.id_param("id")});
    if (!row || ((*row)["user_id"] != req.auth().user_id && !req.auth().staff_here))
        throw yz::ApiError(404, "certificate_not_found", "证明不存在");
    json c = certificate_json(*row);
    std::string items;
    for (const auto& p : c["projects"])
        items += "<li>" + html_escape(p["title"]) + "：" + html_escape(p["hours"].dump()) + " 小时</li>";
    std::string html =
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>志愿服务记录证明</title>"
        "<style>body{font-family:serif;max-width:40em;margin:3em auto;line-height:1.8}h1{text-align:center}"
        ".code{font-family:monospace;font-size:1.2em}</style></head><body><h1>志愿服务记录证明</h1>"
        "<p>兹证明 <strong>" + html_escape(c["name"]) + "</strong> 于 " + html_escape(c["period"]["from"]) + " 至 " +
        html_escape(c["period"]["to"]) + " 期间参加志愿服务，经审核累计服务时长 <strong>" + html_escape(c["hours"].dump()) +
        "</strong> 小时。</p><ul>" + items + "</ul><p>出具单位：" + html_escape(c["issuer"]) + "</p><p>出具时间：" +
        html_escape(c["issued_at"]) + "</p><p>验证码：<span class=\"code\">" + html_escape(c["code"]) + "</span><br>验证地址：" +
        html_escape(c["verify_url"]) + "</p></body></html>";
    res.text(200, "text/html; charset=utf-8", html);
}

void Volunteer::verify_certificate(yz::Request& req, yz::Response& res) {
    std::string code = normalize_code(req.param("code"));
    auto row = code.size() == kCodeLength
                   ? host().query_one("SELECT holder_name, minutes, period_from, period_to, issuer FROM volunteer_certificates WHERE code = ?1", {code})
                   : std::nullopt;
    if (!row) throw yz::ApiError(404, "certificate_not_found", "没有这份证明，请核对验证码");
    res.json(200, {{"name", (*row)["holder_name"]},
                   {"hours", hours_of((*row)["minutes"])},
                   {"period", {{"from", (*row)["period_from"]}, {"to", (*row)["period_to"]}}},
                   {"issuer", (*row)["issuer"]}});
}

}  // namespace volunteer
