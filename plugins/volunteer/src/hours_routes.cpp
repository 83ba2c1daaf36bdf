// SPDX-License-Identifier: MIT
// Chapter 8: hours. Every closed check-in and every walk-in becomes a pending hours record;
// staff approve it, approve it at a corrected length (adjust), or decline it — with a reason
// for the last two — and may correct an approved record later the same way. Each decision is a
// new ledger entry (hours_ledger.hpp); nothing is edited in place, and there is no route that
// could. A decision settles the record's points and tells the volunteer.
//
// Nobody decides their own hours: staff who also volunteer get 403 own_hours on their records.
// A volunteer sees only their own records; anyone else's is 404.
#include <yz/calendar.hpp>

#include "body_reader.hpp"
#include "hours_ledger.hpp"
#include "points.hpp"
#include "station.hpp"
#include "views.hpp"

namespace volunteer {

namespace {
constexpr int64_t kMaxMinutes = 24 * 60;

json visible_record(const yz::Host& host, const yz::Request& req, int64_t id) {
    auto row = find_record(host, id);
    if (!row || ((*row)["user_id"] != req.auth().user_id && !req.auth().staff_here))
        throw yz::ApiError(404, "hours_not_found", "时长记录不存在");
    return *row;
}

const char* notice_for(const std::string& kind) {
    return kind == "approved" ? "volunteer.hours_approved" : kind == "adjusted" ? "volunteer.hours_adjusted" : "volunteer.hours_declined";
}
}  // namespace

void Volunteer::my_hours(yz::Request& req, yz::Response& res) {
    int64_t uid = req.auth().user_id;
    json items = json::array();
    for (const auto& row : host().query(std::string(kRecordSelect) + "WHERE r.user_id = ?1 ORDER BY r.record_id DESC LIMIT 200", {uid}))
        items.push_back(record_json(row, false));
    auto totals = host().query_one("SELECT coalesce(sum(CASE WHEN status = 'approved' THEN minutes END), 0) AS approved, "
                                   "coalesce(sum(CASE WHEN status = 'pending' THEN minutes END), 0) AS pending "
                                   "FROM volunteer_hour_records WHERE user_id = ?1",
                                   {uid});
    int64_t approved = (*totals)["approved"], pending = (*totals)["pending"];
    res.json(200, {{"items", items},
                   {"approved_minutes", approved},
                   {"approved_hours", hours_of(approved)},
                   {"pending_minutes", pending},
                   {"pending_hours", hours_of(pending)}});
}

void Volunteer::show_hours(yz::Request& req, yz::Response& res) {
    int64_t id = req.id_param("id");
    json out = record_json(visible_record(host(), req, id), req.auth().staff_here);
    out["entries"] = record_entries(host(), id);
    res.json(200, out);
}

// Flagged records (closed by the scheduler) first: they need a person's judgement most.
void Volunteer::review_queue(yz::Request& req, yz::Response& res) {
    std::string status = req.query("status").value_or("pending");
    if (status != "pending" && status != "approved" && status != "declined")
        throw yz::ApiError(400, "invalid_field", "status 须为 pending、approved 或 declined", {{"field", "status"}});
    int64_t user = int_query(req, "user_id", 0);
    json items = json::array();
    for (const auto& row : host().query(std::string(kRecordSelect) +
                                            "WHERE r.status = ?1 AND (?2 = 0 OR r.user_id = ?2) ORDER BY r.flagged DESC, r.record_id LIMIT 500",
                                        {status, user}))
        items.push_back(record_json(row, true));
    res.json(200, {{"items", items}});
}

// Appends one decision, settles the record's points, audits and tells the volunteer; returns
// the record as it now is. Inside host().tx.
json Volunteer::decide_hours(const yz::Auth& who, int64_t record_id, const std::string& kind, int64_t minutes, const std::string& reason) {
    auto current = find_record(host(), record_id);
    if (!current) throw yz::ApiError(404, "hours_not_found", "时长记录不存在");
    if ((*current)["user_id"] == who.user_id) throw yz::ApiError(403, "own_hours", "不能审核自己的服务时长");
    std::string status = (*current)["status"];
    bool allowed = kind == "approved" ? status == "pending" : kind == "declined" ? status != "declined" : true;
    if (!allowed) throw yz::ApiError(409, "invalid_transition", "该时长记录当前的状态不能这样处理", {{"status", status}, {"action", kind}});
    if (kind == "approved") minutes = (*current)["logged_minutes"];
    int64_t entry = append_decision(host(), *current, kind, minutes, reason, who.user_id);
    settle_points(host(), settings_.points, *current, kind == "declined" ? 0 : minutes, entry, who.user_id);
    host().audit(who, "hours." + kind, "hours", std::to_string(record_id), {{"entry_id", entry}, {"minutes", minutes}, {"reason", reason}});
    json record = *find_record(host(), record_id);
    json data = {{"record_id", record_id}, {"project", record["project_title"]}, {"date", record["service_date"]},
                 {"minutes", minutes}, {"hours", hours_of(minutes)}, {"status", record["status"]}};
    if (!reason.empty()) data["reason"] = reason;
    host().notify(record["user_id"].get<int64_t>(), notice_for(kind), data);
    return record;
}

void Volunteer::approve_hours(yz::Request& req, yz::Response& res) {
    json record;
    host().tx([&] { record = decide_hours(req.auth(), req.id_param("id"), "approved", 0, ""); });
    res.json(200, record_json(record, true));
}

void Volunteer::adjust_hours(yz::Request& req, yz::Response& res) {
    BodyReader in(req.body());
    auto minutes = in.integer("minutes", 0, kMaxMinutes, true);
    std::string reason = in.text("reason", 300, true);
    in.done();
    json record;
    host().tx([&] { record = decide_hours(req.auth(), req.id_param("id"), "adjusted", *minutes, reason); });
    res.json(200, record_json(record, true));
}

void Volunteer::decline_hours(yz::Request& req, yz::Response& res) {
    BodyReader in(req.body());
    std::string reason = in.text("reason", 300, true);
    in.done();
    json record;
    host().tx([&] { record = decide_hours(req.auth(), req.id_param("id"), "declined", 0, reason); });
    res.json(200, record_json(record, true));
}

// Service given without a claim or a scan (a neighbour helped at the desk): staff log it, and
// their logging is the approval — unless they log their own, which waits for someone else.
void Volunteer::log_walk_in(yz::Request& req, yz::Response& res) {
    BodyReader in(req.body());
    auto user = in.integer("user_id", 1, INT64_MAX, true);
    auto project_id = in.integer("project_id", 1, INT64_MAX, true);
    auto started = in.instant("started_at", false);
    auto ended = in.instant("ended_at", false);
    auto date = in.date("date", !started);
    std::optional<int64_t> minutes;
    if (started && ended) {
        if (*ended <= *started || *ended - *started > kMaxMinutes * yz::kMinuteMs) in.problem("ended_at", "须晚于开始时间，且不超过 24 小时");
        else minutes = (*ended - *started) / yz::kMinuteMs;
    } else {
        if (started || ended) in.problem(started ? "ended_at" : "started_at", "开始和结束时间须同时填写");
        minutes = in.integer("minutes", 1, kMaxMinutes, true);
    }
    std::string note = in.text("note", 300, false);
    if (started && ended && host().now_ms() < *ended) in.problem("ended_at", "不能登记尚未结束的服务");
    in.done();

    json record;
    host().tx([&] {
        if (!registration(*user)) throw yz::ApiError(422, "not_registered", "该用户还没有登记为志愿者");
        Project project = load_project(*project_id);
        LoggedHours h;
        h.user_id = *user;
        h.project_id = project.id;
        h.service_date = started ? yz::beijing_date(*started) : *date;
        h.started_at = started;
        h.ended_at = ended;
        h.minutes = minutes.value_or(0);
        h.source = "walk_in";
        h.note = note;
        h.actor_user_id = req.auth().user_id;
        int64_t record_id = log_hours(host(), h);
        host().audit(req.auth(), "hours.walk_in", "hours", std::to_string(record_id), {{"user_id", *user}, {"minutes", h.minutes}});
        record = *user == req.auth().user_id ? *find_record(host(), record_id)
                                             : decide_hours(req.auth(), record_id, "approved", h.minutes, "");
    });
    res.json(201, record_json(record, true));
}

}  // namespace volunteer
