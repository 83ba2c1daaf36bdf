// SPDX-License-Identifier: MIT
// Chapter 9: staff take the station's records to Excel — the month's bookings for the report to
// the street office, the ratings for the service review. CSV with a byte-order mark so Excel opens
// the Chinese correctly, quoted and formula-defused by yz/csv.hpp; one row per record, times in
// Beijing time, states in words.
// ?from=&to= (YYYY-MM-DD, Beijing days, at most a year; default this month) and ?service_id=.
#include <yz/calendar.hpp>
#include <yz/csv.hpp>
#include <yz/time_format.hpp>

#include "booking_view.hpp"
#include "request_fields.hpp"
#include "station.hpp"

namespace convenience {

namespace {
constexpr int64_t kMaxExportDays = 366;

struct ExportRange {
    yz::Date from, to;
    int64_t service_id = 0;  // 0: every service
};

ExportRange export_range(const yz::Request& req, int64_t now) {
    yz::Date today = yz::beijing_date(now);
    ExportRange r{date_query(req, "from", yz::month_start(today)), date_query(req, "to", yz::next_month_start(today).plus_days(-1))};
    if (r.to < r.from || r.to - r.from >= kMaxExportDays)
        throw yz::ApiError(400, "invalid_range", "导出范围须在一年以内，且结束不早于开始", {{"from", r.from.str()}, {"to", r.to.str()}});
    r.service_id = cursor_query(req, "service_id");
    return r;
}

const char* state_label(const std::string& state) {
    if (state == "pending") return "待审核";
    if (state == "confirmed") return "已确认";
    if (state == "rejected") return "已拒绝";
    if (state == "cancelled") return "已取消";
    if (state == "checked_in") return "已签到";
    if (state == "completed") return "已完成";
    if (state == "no_show") return "未到";
    return "未知";
}

// A cell's text: strings as they are, numbers in decimal, null as empty.
std::string text_of(const json& v) {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
    return std::string();
}

void send_csv(yz::Response& res, const std::string& name, const ExportRange& r, const yz::csv::Writer& csv) {
    res.header("Content-Disposition", "attachment; filename=\"convenience-" + name + "-" + r.from.str() + "-" + r.to.str() + ".csv\"");
    res.text(200, yz::csv::kContentType, csv.text());
}
}  // namespace

void Convenience::export_bookings(yz::Request& req, yz::Response& res) {
    ExportRange r = export_range(req, host().now_ms());
    json rows = host().query(std::string(kBookingSelect) +
                                 "WHERE b.slot_start >= ?1 AND b.slot_start < ?2 AND (?3 = 0 OR b.service_id = ?3) "
                                 "ORDER BY b.slot_start, b.service_id, b.id",
                             {yz::beijing_instant(r.from, 0), yz::beijing_instant(r.to.plus_days(1), 0), r.service_id});
    yz::csv::Writer csv;
    csv.row({"预约编号", "预约码", "服务", "地点", "时段", "状态", "居民编号", "居民", "代约人", "代约关系", "表单", "原因", "预约时间"});
    for (const auto& b : rows) {
        std::string form = text_of(b["form"]);
        csv.row({text_of(b["id"]), text_of(b["code"]), text_of(b["service_name"]), text_of(b["location"]),
                 local_span(b["slot_start"], b["slot_end"]), state_label(text_of(b["state"])), text_of(b["user_id"]),
                 text_of(b["resident"]), text_of(b["booked_by_name"]), text_of(b["relation"]), form == "{}" ? "" : form,
                 text_of(b["reason"]), local_minute(b["created_at"])});
    }
    send_csv(res, "bookings", r, csv);
}

void Convenience::export_ratings(yz::Request& req, yz::Response& res) {
    ExportRange r = export_range(req, host().now_ms());
    json rows = host().query(
        "SELECT r.id, r.booking_id, r.stars, r.comment, r.visible, r.created_at, s.name AS service_name, b.slot_start, b.slot_end, "
        "r.user_id, u.display_name AS resident FROM convenience_ratings r JOIN convenience_bookings b ON b.id = r.booking_id "
        "JOIN convenience_services s ON s.id = r.service_id LEFT JOIN pub_users u ON u.id = r.user_id "
        "WHERE r.created_at >= ?1 AND r.created_at < ?2 AND (?3 = 0 OR r.service_id = ?3) ORDER BY r.id",
        {yz::beijing_instant(r.from, 0), yz::beijing_instant(r.to.plus_days(1), 0), r.service_id});
    yz::csv::Writer csv;
    csv.row({"评价编号", "预约编号", "服务", "时段", "居民编号", "居民", "星级", "评语", "评语状态", "评价时间"});
    for (const auto& x : rows) {
        std::string comment = text_of(x["comment"]);
        csv.row({text_of(x["id"]), text_of(x["booking_id"]), text_of(x["service_name"]), local_span(x["slot_start"], x["slot_end"]),
                 text_of(x["user_id"]), text_of(x["resident"]), text_of(x["stars"]), comment,
                 comment.empty() ? "" : x["visible"] == 1 ? "已公开" : "待审核", local_minute(x["created_at"])});
    }
    send_csv(res, "ratings", r, csv);
}

}  // namespace convenience
