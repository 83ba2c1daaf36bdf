// SPDX-License-Identifier: MIT
// Chapter 8: after a completed booking its resident rates the service, 1 to 5 stars and an
// optional comment — once per booking. Comments are public, so the host screens them first
// (WeChat's msg_sec_check, scene 2 "comment"): `risky` is refused (422 text_rejected, nothing
// stored), `review` is stored hidden until staff release it, `pass` is shown at once. The
// screening is a network call, so it runs before the transaction, never under the write lock.
// Everyone sees a service's visible ratings and their average, without names.
#include <cmath>

#include <yz/time_format.hpp>

#include "request_fields.hpp"
#include "station.hpp"

namespace convenience {

namespace {
constexpr int kPageSize = 20;

const json kRatingForm = json::parse(R"([
  {"name": "stars", "label": "评分", "type": "number", "integer": true, "min": 1, "max": 5, "required": true},
  {"name": "comment", "label": "评语", "type": "text", "max_length": 500, "multiline": true}
])");

json rating_json(const json& row, bool staff_view) {
    json j = {{"id", row["id"]},
              {"stars", row["stars"]},
              {"comment", row["comment"]},
              {"created_at", yz::iso8601_beijing(row["created_at"].get<int64_t>())}};
    if (staff_view) {
        j["booking_id"] = row["booking_id"];
        j["service_id"] = row["service_id"];
        j["visible"] = row["visible"] == 1;
        j["verdict"] = row["verdict"];
        j["resident"] = {{"user_id", row["user_id"]}, {"display_name", row["resident"]}};
    }
    return j;
}

constexpr const char* kRatingSelect =
    "SELECT r.id, r.booking_id, r.service_id, r.user_id, r.stars, r.comment, r.verdict, r.visible, r.created_at, "
    "u.display_name AS resident FROM convenience_ratings r LEFT JOIN pub_users u ON u.id = r.user_id ";
}  // namespace

void Convenience::rate(yz::Request& req, yz::Response& res) {
    int64_t id = req.id_param("id");
    const yz::Auth& who = req.auth();
    json booking = own_booking(req, id);
    if (booking["state"] != "completed")
        throw yz::ApiError(409, "not_completed", "服务完成后才能评价", {{"state", booking["state"]}});
    json form = host().validate_form(kRatingForm, req.body());
    std::string comment = form.value("comment", std::string());
    auto refuse_second = [&] {
        if (auto earlier = host().query_one("SELECT id FROM convenience_ratings WHERE booking_id = ?1", {id}))
            throw yz::ApiError(409, "already_rated", "这次预约已经评价过了", {{"rating_id", (*earlier)["id"]}});
    };
    refuse_second();  // before asking WeChat about a comment that would not be stored anyway
    std::string verdict;  // stays "" without a comment: stars alone need no screening
    if (!comment.empty()) {
        yz::TextVerdict v = host().screen_text(who.user_id, comment, yz::TextScene::comment);
        if (v == yz::TextVerdict::risky)
            throw yz::ApiError(422, "text_rejected", "评语含有不适宜公开的内容，请修改后再提交", {{"field", "comment"}});
        verdict = v == yz::TextVerdict::pass ? "pass" : "review";
    }
    bool visible = verdict != "review";
    json rating;
    host().tx([&] {
        refuse_second();  // a double tap raced past the first look
        int64_t rating_id = host().exec("INSERT INTO convenience_ratings(booking_id, service_id, user_id, stars, comment, verdict, "
                                        "visible, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                                        {id, booking["service_id"], who.user_id, form["stars"].get<int64_t>(), comment, verdict,
                                         visible ? 1 : 0, host().now_ms()})
                                .last_insert_id;
        host().audit(who, "rating.create", "rating", std::to_string(rating_id),
                     {{"booking_id", id}, {"stars", form["stars"]}, {"verdict", verdict}});
        rating = rating_json(*host().query_one(std::string(kRatingSelect) + "WHERE r.id = ?1", {rating_id}), false);
    });
    rating["visible"] = visible;
    rating["state"] = visible ? "published" : "in_review";
    res.json(201, rating);
}

void Convenience::service_ratings(yz::Request& req, yz::Response& res) {
    Service s = load_service(req.id_param("id"), true);
    int64_t before = cursor_query(req, "before");
    auto summary = host().query_one("SELECT count(*) AS n, avg(stars) AS average FROM convenience_ratings WHERE service_id = ?1 "
                                    "AND visible = 1",
                                    {s.id});
    json rows = host().query(std::string(kRatingSelect) + "WHERE r.service_id = ?1 AND r.visible = 1 AND (?2 = 0 OR r.id < ?2) "
                                                          "ORDER BY r.id DESC LIMIT ?3",
                             {s.id, before, kPageSize});
    json items = json::array();
    for (const auto& row : rows) items.push_back(rating_json(row, false));
    json average = (*summary)["average"].is_null() ? json(nullptr) : json(std::round((*summary)["average"].get<double>() * 10) / 10);
    res.json(200, {{"service_id", s.id},
                   {"count", (*summary)["n"]},
                   {"average", average},
                   {"items", items},
                   {"next_before", rows.size() == static_cast<size_t>(kPageSize) ? rows.back()["id"] : json(nullptr)}});
}

void Convenience::ratings_for_review(yz::Request& req, yz::Response& res) {
    bool all = req.query("all").value_or("") == "1";
    int64_t before = cursor_query(req, "before");
    json rows = host().query(std::string(kRatingSelect) + "WHERE (?1 = 1 OR r.visible = 0) AND (?2 = 0 OR r.id < ?2) "
                                                          "ORDER BY r.id DESC LIMIT ?3",
                             {all ? 1 : 0, before, kPageSize});
    json items = json::array();
    for (const auto& row : rows) items.push_back(rating_json(row, true));
    res.json(200, {{"items", items}, {"next_before", rows.size() == static_cast<size_t>(kPageSize) ? rows.back()["id"] : json(nullptr)}});
}

void Convenience::release_rating(yz::Request& req, yz::Response& res) {
    int64_t id = req.id_param("id");
    json rating;
    host().tx([&] {
        auto row = host().query_one(std::string(kRatingSelect) + "WHERE r.id = ?1", {id});
        if (!row) throw yz::ApiError(404, "rating_not_found", "评价不存在");
        if ((*row)["visible"] == 1) throw yz::ApiError(409, "invalid_transition", "这条评价已经公开");
        host().exec("UPDATE convenience_ratings SET visible = 1, released_by = ?2, released_at = ?3 WHERE id = ?1",
                    {id, req.auth().user_id, host().now_ms()});
        host().audit(req.auth(), "rating.release", "rating", std::to_string(id));
        rating = rating_json(*host().query_one(std::string(kRatingSelect) + "WHERE r.id = ?1", {id}), true);
    });
    res.json(200, rating);
}

}  // namespace convenience
