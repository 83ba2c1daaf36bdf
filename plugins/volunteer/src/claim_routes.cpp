// SPDX-License-Identifier: MIT
// Chapter 4: a volunteer claims a post.
//
// One transaction decides it all, so it commits whole or not at all: the project and post are
// still open and not over, the volunteer is registered, holds no live claim on the post already,
// and meets its rules; then a place is taken in the post's capacity-ledger resource and the claim
// written. The ledger's conditional update runs inside that transaction, so however many race for
// the last spot exactly one gets it and the others hear 409 post_full.
//
// Refusals, in the order they are checked:
//   409 closed          the project or post is closed, or the post is over (details.what says which)
//   422 not_registered  register as a volunteer first
//   409 already_claimed a pending or approved claim on this post exists (details.claim_id)
//   422 not_eligible    details.rule names the rule: members_only, training, age
//   409 post_full       no spot left
// `closed` is a 409 like post_full: it is the post's state, not anything wrong in the request.
//
// A post that needs approval gives a pending claim (it holds its place meanwhile); staff approve
// or decline it and the volunteer is told. Volunteers withdraw until the post's cut-off; staff may
// cancel with a reason. A claim that ends gives its place back at once.
#include <yz/calendar.hpp>
#include <yz/time_format.hpp>

#include "body_reader.hpp"
#include "eligibility.hpp"
#include "station.hpp"
#include "views.hpp"
#include "workflows.hpp"

namespace volunteer {

namespace {
constexpr int kPageSize = 50;

std::string reason_of(const yz::Request& req) {
    BodyReader in(req.body());
    std::string reason = in.text("reason", 300, false);
    in.done();
    return reason;
}
}  // namespace

void Volunteer::claim_post(yz::Request& req, yz::Response& res) {
    int64_t post_id = req.id_param("id");
    const yz::Auth& who = req.auth();
    int64_t now = host().now_ms();
    json claim;
    host().tx([&] {
        Post post = load_post(post_id);
        Project project = load_project(post.project_id);
        if (project.state != "open") throw yz::ApiError(409, "closed", "该项目已关闭", {{"what", "project"}});
        if (post.state != "open") throw yz::ApiError(409, "closed", "该岗位已关闭", {{"what", "post"}});
        if (post.ended(now)) throw yz::ApiError(409, "closed", "该岗位的服务时间已过", {{"what", "ended"}});
        auto volunteer = registration(who.user_id);
        if (!volunteer) throw yz::ApiError(422, "not_registered", "请先登记为志愿者");
        if (auto live = host().query_one(std::string("SELECT id FROM volunteer_claims WHERE post_id = ?1 AND user_id = ?2 AND state IN ") +
                                             kLiveClaimSql,
                                         {post.id, who.user_id}))
            throw yz::ApiError(409, "already_claimed", "您已认领了这个岗位", {{"claim_id", (*live)["id"]}});
        bool trained = post.eligibility.training.empty() ||
                       host().query_one("SELECT 1 AS yes FROM volunteer_trainings WHERE user_id = ?1 AND training = ?2",
                                        {who.user_id, post.eligibility.training});
        yz::Date on_day = yz::beijing_date(post.starts_at.value_or(now));
        if (auto refusal = eligibility_refusal(post, who, *volunteer, trained, on_day)) throw *refusal;

        int64_t hold_id = take_spot(post, who.user_id);
        const char* state = post.approval_required ? "pending" : "approved";
        int64_t id = host().exec("INSERT INTO volunteer_claims(post_id, user_id, state, hold_id, created_at, updated_at) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
                                 {post.id, who.user_id, state, hold_id, now})
                         .last_insert_id;
        if (!post.approval_required)
            if (auto job = schedule_shift_reminder(id, post))
                host().exec("UPDATE volunteer_claims SET reminder_job = ?2 WHERE id = ?1", {id, *job});
        host().audit(who, "claim.create", "claim", std::to_string(id), {{"post_id", post.id}, {"state", state}});
        claim = *host().query_one(std::string(kClaimSelect) + "WHERE c.id = ?1", {id});
    });
    res.json(201, claim_json(claim, now, false));
}

// One place in the post's ledger resource. The key is the volunteer's n-th claim on the post,
// so a claim withdrawn and made again takes a fresh place, and nothing can take two for one claim.
int64_t Volunteer::take_spot(const Post& post, int64_t user_id) {
    std::string resource = post_resource(post.id);
    host().capacity("define", {{"resource", resource}, {"capacity", post.spots}});
    auto earlier = host().query_one("SELECT count(*) AS n FROM volunteer_claims WHERE post_id = ?1 AND user_id = ?2", {post.id, user_id});
    std::string key = "claim:" + std::to_string(post.id) + ":" + std::to_string(user_id) + ":" + std::to_string((*earlier)["n"].get<int64_t>());
    try {
        json place = host().capacity("reserve", {{"resource", resource}, {"holder", "user:" + std::to_string(user_id)}, {"key", key}});
        return place.at("hold_id").get<int64_t>();
    } catch (const yz::HostError& e) {
        if (e.status() == YZ_FULL) throw yz::ApiError(409, "post_full", "该岗位已满员", {{"spots", post.spots}});
        throw;
    }
}

void Volunteer::my_claims(yz::Request& req, yz::Response& res) {
    int64_t now = host().now_ms();
    int64_t before = int_query(req, "before", 0);
    json rows = host().query(std::string(kClaimSelect) + "WHERE c.user_id = ?1 AND (?2 = 0 OR c.id < ?2) ORDER BY c.id DESC LIMIT ?3",
                             {req.auth().user_id, before, kPageSize});
    json items = json::array();
    for (const auto& row : rows) items.push_back(claim_json(row, now, false));
    res.json(200, {{"items", items}, {"next_before", rows.size() == static_cast<size_t>(kPageSize) ? rows.back()["id"] : json(nullptr)}});
}

namespace {
// Someone else's claim is "not found" rather than "forbidden": its existence is not theirs to know.
json visible_claim(const yz::Host& host, const yz::Request& req, int64_t id) {
    auto row = host.query_one(std::string(kClaimSelect) + "WHERE c.id = ?1", {id});
    if (!row || ((*row)["user_id"] != req.auth().user_id && !req.auth().staff_here))
        throw yz::ApiError(404, "claim_not_found", "认领记录不存在");
    return *row;
}
}  // namespace

void Volunteer::show_claim(yz::Request& req, yz::Response& res) {
    res.json(200, claim_json(visible_claim(host(), req, req.id_param("id")), host().now_ms(), req.auth().staff_here));
}

void Volunteer::withdraw_claim(yz::Request& req, yz::Response& res) {
    int64_t id = req.id_param("id");
    int64_t now = host().now_ms();
    json claim;
    host().tx([&] {
        claim = visible_claim(host(), req, id);
        if (claim["user_id"] != req.auth().user_id) throw yz::ApiError(404, "claim_not_found", "认领记录不存在");
        auto deadline = withdraw_deadline(claim["starts_at"], claim["withdraw_cutoff_minutes"].get<int64_t>());
        if (deadline && now > *deadline && (claim["state"] == "pending" || claim["state"] == "approved"))
            throw yz::ApiError(422, "withdraw_too_late", "已过退出截止时间，请联系工作站",
                               {{"deadline", yz::iso8601_beijing(*deadline)}});
        std::string to = move(kClaimWorkflow, "claim", req.auth(), claim, "withdraw", claim["user_id"], "");
        host().exec("UPDATE volunteer_claims SET state = ?2, updated_at = ?3 WHERE id = ?1", {id, to, now});
        host().capacity("release", {{"hold_id", claim["hold_id"]}});
        if (!claim["reminder_job"].is_null()) host().cancel_job(claim["reminder_job"].get<int64_t>());
        claim = *host().query_one(std::string(kClaimSelect) + "WHERE c.id = ?1", {id});
    });
    res.json(200, claim_json(claim, now, false));
}

void Volunteer::post_claims(yz::Request& req, yz::Response& res) {
    Post post = load_post(req.id_param("id"));
    int64_t now = host().now_ms();
    std::string state = req.query("state").value_or("");
    json items = json::array();
    for (const auto& row : host().query(std::string(kClaimSelect) + "WHERE c.post_id = ?1 AND (?2 = '' OR c.state = ?2) ORDER BY c.id",
                                        {post.id, state}))
        items.push_back(claim_json(row, now, true));
    res.json(200, {{"post", post_json(post, places(post))}, {"items", items}});
}

// The approval queue across posts: ?state= (default pending), oldest first so nobody waits
// longest; ?post_id= narrows it to one post. Capped, like the hours queue: it is a to-do list.
void Volunteer::list_claims(yz::Request& req, yz::Response& res) {
    std::string state = req.query("state").value_or("pending");
    if (state != "pending" && state != "approved" && state != "declined" && state != "withdrawn" && state != "cancelled")
        throw yz::ApiError(400, "invalid_field", "state 须为 pending、approved、declined、withdrawn 或 cancelled", {{"field", "state"}});
    int64_t post = int_query(req, "post_id", 0);
    int64_t now = host().now_ms();
    json items = json::array();
    for (const auto& row : host().query(std::string(kClaimSelect) + "WHERE c.state = ?1 AND (?2 = 0 OR c.post_id = ?2) ORDER BY c.id LIMIT 500",
                                        {state, post}))
        items.push_back(claim_json(row, now, true));
    res.json(200, {{"items", items}});
}

// Staff decisions on a claim: the workflow checks the move and audits it; a claim that no longer
// holds a place gives it back; the volunteer hears about it.
json Volunteer::decide_claim(yz::Request& req, const std::string& action, const char* notice) {
    int64_t id = req.id_param("id");
    std::string reason = reason_of(req);
    int64_t now = host().now_ms();
    json claim;
    host().tx([&] {
        json current = visible_claim(host(), req, id);
        std::string to = move(kClaimWorkflow, "claim", req.auth(), current, action, current["user_id"], reason);
        host().exec("UPDATE volunteer_claims SET state = ?2, reason = ?3, updated_at = ?4 WHERE id = ?1", {id, to, reason, now});
        if (to == "approved") {
            if (auto job = schedule_shift_reminder(id, load_post(current["post_id"])))
                host().exec("UPDATE volunteer_claims SET reminder_job = ?2 WHERE id = ?1", {id, *job});
        } else {
            host().capacity("release", {{"hold_id", current["hold_id"]}});
            if (!current["reminder_job"].is_null()) host().cancel_job(current["reminder_job"].get<int64_t>());
        }
        claim = *host().query_one(std::string(kClaimSelect) + "WHERE c.id = ?1", {id});
        json data = claim_notice(claim);
        if (!reason.empty()) data["reason"] = reason;
        host().notify(claim["user_id"].get<int64_t>(), notice, data);
    });
    return claim_json(claim, now, true);
}

void Volunteer::approve_claim(yz::Request& req, yz::Response& res) {
    res.json(200, decide_claim(req, "approve", "volunteer.claim_approved"));
}

void Volunteer::decline_claim(yz::Request& req, yz::Response& res) {
    res.json(200, decide_claim(req, "decline", "volunteer.claim_declined"));
}

void Volunteer::cancel_claim(yz::Request& req, yz::Response& res) {
    res.json(200, decide_claim(req, "cancel", "volunteer.claim_cancelled"));
}

}  // namespace volunteer
