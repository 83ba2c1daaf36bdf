// SPDX-License-Identifier: MIT
// Chapter 6: serving. The station's screen (a staff session, or the staff console) shows the
// post's rotating code (qr_code.hpp); a volunteer with an approved claim scans it to check in, and
// again to check out. Check-out turns the time served — clipped to the post's window — into a
// pending hours record. If someone's phone is flat, staff check them in or out by hand with a
// reason, which is audited. A check-in left open is closed by the scheduler (auto_close.cpp).
//
// Refusals: 422 code_invalid / code_expired / code_wrong_post (the code), 422 not_claimed (no
// approved claim on this post), 422 outside_window (too early or over), 409 already_checked_in,
// 409 not_checked_in.
#include <yz/calendar.hpp>
#include <yz/time_format.hpp>

#include "body_reader.hpp"
#include "hours_ledger.hpp"
#include "qr_code.hpp"
#include "station.hpp"
#include "views.hpp"

namespace volunteer {

namespace {
constexpr const char* kAttendanceSelect =
    "SELECT a.*, v.real_name, u.display_name FROM volunteer_attendance a LEFT JOIN volunteer_volunteers v ON v.user_id = a.user_id "
    "LEFT JOIN pub_users u ON u.id = a.user_id ";

json approved_claim(const yz::Host& host, int64_t post_id, int64_t user_id) {
    auto claim = host.query_one("SELECT * FROM volunteer_claims WHERE post_id = ?1 AND user_id = ?2 AND state = 'approved'", {post_id, user_id});
    if (!claim) throw yz::ApiError(422, "not_claimed", "您没有这个岗位已通过的认领");
    return *claim;
}

std::optional<json> open_row(const yz::Host& host, int64_t post_id, int64_t user_id) {
    return host.query_one(std::string(kAttendanceSelect) + "WHERE a.post_id = ?1 AND a.user_id = ?2 AND a.checked_out_at IS NULL",
                          {post_id, user_id});
}

std::string code_of(const yz::Request& req) {
    BodyReader in(req.body());
    std::string code = in.text("code", 300, true);
    in.done();
    return code;
}
}  // namespace

void Volunteer::show_code(yz::Request& req, yz::Response& res) {
    Post post = load_post(req.id_param("id"));
    std::string place = req.query("place").value_or(post.location);
    if (yz::char_count(place) > 100) throw yz::ApiError(400, "invalid_field", "地点名称过长", {{"field", "place"}});
    IssuedCode issued = issue_code(host(), post.id, place, host().now_ms());
    res.json(200, {{"post_id", post.id},
                   {"place", place},
                   {"code", issued.code},
                   {"expires_at", yz::iso8601_beijing(issued.expires_at)},
                   {"refresh_at", yz::iso8601_beijing(issued.refresh_at)}});
}

// Opens a check-in for an approved claim, inside the post's window, and schedules its auto-close.
json Volunteer::open_attendance(const Post& post, const json& claim, const std::string& place, const char* method) {
    int64_t now = host().now_ms();
    if (post.timed()) {
        int64_t opens = *post.starts_at - (post.time_type == "shift" ? settings_.checkin_early_minutes * yz::kMinuteMs : 0);
        if (now < opens || now >= *post.ends_at)
            throw yz::ApiError(422, "outside_window", "不在该岗位的签到时间内",
                               {{"opens_at", yz::iso8601_beijing(opens)}, {"closes_at", yz::iso8601_beijing(*post.ends_at)}});
    }
    int64_t user_id = claim["user_id"];
    if (open_row(host(), post.id, user_id)) throw yz::ApiError(409, "already_checked_in", "您已签到，尚未签退");
    int64_t id = host().exec("INSERT INTO volunteer_attendance(claim_id, post_id, user_id, place, checked_in_at, in_method, created_at) "
                             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?5)",
                             {claim["id"], post.id, user_id, place, now, method})
                     .last_insert_id;
    int64_t due = close_by(post, now) + settings_.auto_close_grace_minutes * yz::kMinuteMs;
    int64_t job = host().schedule("auto_close", due, {{"attendance_id", id}}, "auto_close:" + std::to_string(id));
    host().exec("UPDATE volunteer_attendance SET close_job = ?2 WHERE id = ?1", {id, job});
    return *host().query_one(std::string(kAttendanceSelect) + "WHERE a.id = ?1", {id});
}

// Closes a check-in at `at` and logs the time served, clipped to the post's window, as pending
// hours. The scheduler's close ('auto') is flagged so staff look at it before approving.
json Volunteer::close_attendance(const json& attendance, int64_t at, const char* method, int64_t actor_user_id) {
    Post post = load_post(attendance["post_id"]);
    int64_t start = attendance["checked_in_at"], end = std::max(at, start);
    if (post.timed()) {
        start = std::max(start, *post.starts_at);
        end = std::max(start, std::min(end, *post.ends_at));
    }
    bool automatic = std::string(method) == "auto";
    LoggedHours h;
    h.user_id = attendance["user_id"];
    h.project_id = post.project_id;
    h.post_id = post.id;
    h.attendance_id = attendance["id"].get<int64_t>();
    h.service_date = yz::beijing_date(start);
    h.started_at = start;
    h.ended_at = end;
    h.minutes = (end - start) / yz::kMinuteMs;
    h.source = automatic ? "auto_closed" : "shift";
    h.flagged = automatic;
    h.note = automatic ? "未签退，系统在时段结束后自动签退" : "";
    h.actor_user_id = actor_user_id;
    int64_t record = log_hours(host(), h);
    host().exec("UPDATE volunteer_attendance SET checked_out_at = ?2, out_method = ?3, flagged = ?4, hours_record_id = ?5 WHERE id = ?1",
                {attendance["id"], at, method, automatic ? 1 : 0, record});
    if (!automatic && !attendance["close_job"].is_null()) host().cancel_job(attendance["close_job"].get<int64_t>());
    return *host().query_one(std::string(kAttendanceSelect) + "WHERE a.id = ?1", json::array({attendance["id"]}));
}

void Volunteer::check_in(yz::Request& req, yz::Response& res) {
    int64_t post_id = req.id_param("id");
    std::string code = code_of(req);
    json row;
    host().tx([&] {
        Post post = load_post(post_id);
        CheckedCode checked = check_code(host(), code, post.id, host().now_ms());
        refuse_unless_ok(checked);
        row = open_attendance(post, approved_claim(host(), post.id, req.auth().user_id), checked.place, "qr");
    });
    res.json(201, attendance_json(row));
}

void Volunteer::check_out(yz::Request& req, yz::Response& res) {
    int64_t post_id = req.id_param("id");
    std::string code = code_of(req);
    json row;
    host().tx([&] {
        Post post = load_post(post_id);
        refuse_unless_ok(check_code(host(), code, post.id, host().now_ms()));
        auto open = open_row(host(), post.id, req.auth().user_id);
        if (!open) throw yz::ApiError(409, "not_checked_in", "您还没有签到");
        row = close_attendance(*open, host().now_ms(), "qr", req.auth().user_id);
    });
    res.json(200, attendance_json(row));
}

void Volunteer::manual_check_in(yz::Request& req, yz::Response& res) {
    int64_t post_id = req.id_param("id");
    BodyReader in(req.body());
    auto user = in.integer("user_id", 1, INT64_MAX, true);
    std::string reason = in.text("reason", 300, true);
    in.done();
    json row;
    host().tx([&] {
        Post post = load_post(post_id);
        row = open_attendance(post, approved_claim(host(), post.id, *user), post.location, "manual");
        host().audit(req.auth(), "attendance.manual_check_in", "attendance", std::to_string(row["id"].get<int64_t>()),
                     {{"post_id", post.id}, {"user_id", *user}, {"reason", reason}});
    });
    res.json(201, attendance_json(row));
}

void Volunteer::manual_check_out(yz::Request& req, yz::Response& res) {
    int64_t id = req.id_param("id");
    BodyReader in(req.body());
    std::string reason = in.text("reason", 300, true);
    auto at = in.instant("at", false);
    in.done();
    json row;
    host().tx([&] {
        auto open = host().query_one(std::string(kAttendanceSelect) + "WHERE a.id = ?1", {id});
        if (!open) throw yz::ApiError(404, "attendance_not_found", "签到记录不存在");
        if (!(*open)["checked_out_at"].is_null()) throw yz::ApiError(409, "not_checked_in", "该记录已签退");
        int64_t when = at.value_or(host().now_ms());
        if (when > host().now_ms() || when < (*open)["checked_in_at"].get<int64_t>())
            throw yz::ApiError(422, "invalid_field", "签退时间须在签到之后、当前时间之前", {{"field", "at"}});
        row = close_attendance(*open, when, "manual", req.auth().user_id);
        host().audit(req.auth(), "attendance.manual_check_out", "attendance", std::to_string(id),
                     {{"user_id", row["user_id"]}, {"at", yz::iso8601_beijing(when)}, {"reason", reason}});
    });
    res.json(200, attendance_json(row));
}

void Volunteer::post_attendance(yz::Request& req, yz::Response& res) {
    Post post = load_post(req.id_param("id"));
    json items = json::array();
    for (const auto& row : host().query(std::string(kAttendanceSelect) + "WHERE a.post_id = ?1 ORDER BY a.id", {post.id})) {
        json a = attendance_json(row);
        a["volunteer"] = person_name(row);
        items.push_back(std::move(a));
    }
    res.json(200, {{"items", items}});
}

void Volunteer::my_attendance(yz::Request& req, yz::Response& res) {
    json items = json::array();
    for (const auto& row : host().query(std::string(kAttendanceSelect) + "WHERE a.user_id = ?1 ORDER BY a.id DESC LIMIT 100",
                                        {req.auth().user_id}))
        items.push_back(attendance_json(row));
    res.json(200, {{"items", items}});
}

}  // namespace volunteer
