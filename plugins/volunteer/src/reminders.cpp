// SPDX-License-Identifier: MIT
// Chapter 12: reminders, as durable jobs the host runs even across a restart.
//
// Shift reminders: an approved claim on a post with a start time schedules one reminder
// shift_reminder_minutes before it (skipped when that moment has passed); withdrawing or losing
// the claim cancels it. When it comes due the claim is read afresh and only a claim still
// approved, on a post not yet begun, is reminded. Moving a post's time moves the reminders of its
// approved claims (a new job, keyed by the new start; the old one is cancelled) and tells everyone
// holding a live claim where and when the shift now is.
//
// The 双报到 claim deadline: once a year has projects, a job is due on the configured day (09:00
// Beijing). It reminds every member who declared for the year and has neither claimed a post nor
// joined a public-interest organisation; every holder of the member role who has not declared at
// all (the core's pub_user_roles) to declare and claim; and the contact of every unit that has
// claimed no project.
//
// The scheduler promises at least once, not exactly once: volunteer_reminders_sent makes each
// person hear each reminder once however often a job runs.
#include <yz/calendar.hpp>

#include "compliance.hpp"
#include "station.hpp"
#include "views.hpp"

namespace volunteer {

namespace {
// True the first time `key` is seen; inside the caller's transaction.
bool first_time(const yz::Host& host, const std::string& key) {
    return host.exec("INSERT OR IGNORE INTO volunteer_reminders_sent(key, sent_at) VALUES (?1, ?2)", {key, host.now_ms()}).changes == 1;
}
}  // namespace

std::optional<int64_t> Volunteer::schedule_shift_reminder(int64_t claim_id, const Post& post) {
    if (!post.starts_at) return std::nullopt;
    int64_t due = *post.starts_at - settings_.shift_reminder_minutes * yz::kMinuteMs;
    if (due <= host().now_ms()) return std::nullopt;
    return host().schedule("shift_reminder", due, {{"claim_id", claim_id}},
                           "shift_reminder:" + std::to_string(claim_id) + ":" + std::to_string(*post.starts_at));
}

void Volunteer::post_moved(const Post& post) {
    for (const auto& claim : host().query(std::string(kClaimSelect) + "WHERE c.post_id = ?1 AND c.state IN ('pending', 'approved')", {post.id})) {
        int64_t id = claim["id"].get<int64_t>();
        if (claim["state"] == "approved") {
            if (!claim["reminder_job"].is_null()) host().cancel_job(claim["reminder_job"].get<int64_t>());
            auto job = schedule_shift_reminder(id, post);
            host().exec("UPDATE volunteer_claims SET reminder_job = ?2 WHERE id = ?1", {id, job ? json(*job) : json(nullptr)});
        }
        host().notify(claim["user_id"].get<int64_t>(), "volunteer.shift_changed", claim_notice(claim));
    }
}

void Volunteer::send_shift_reminder(const json& payload) {
    int64_t id = payload.at("claim_id").get<int64_t>();
    host().tx([&] {
        auto claim = host().query_one(std::string(kClaimSelect) + "WHERE c.id = ?1", {id});
        if (!claim || (*claim)["state"] != "approved") return;
        if ((*claim)["starts_at"].is_null() || (*claim)["starts_at"].get<int64_t>() <= host().now_ms()) return;
        if (!first_time(host(), "shift:" + std::to_string(id) + ":" + (*claim)["starts_at"].dump())) return;
        host().notify((*claim)["user_id"].get<int64_t>(), "volunteer.shift_reminder", claim_notice(*claim));
    });
}

void Volunteer::schedule_claim_deadline(int64_t year) {
    auto day = yz::Date::from_ymd(year, static_cast<unsigned>(settings_.claim_deadline_month), static_cast<unsigned>(settings_.claim_deadline_day));
    if (!day) day = yz::Date::from_ymd(year, 2, 28);  // 02-29 in a common year
    int64_t due = yz::beijing_instant(*day, 9 * 60);
    if (due <= host().now_ms()) return;  // a past deadline reminds nobody after the fact
    host().schedule("claim_deadline", due, {{"year", year}, {"deadline", day->str()}}, "claim_deadline:" + std::to_string(year));
}

void Volunteer::send_claim_reminders(const json& payload) {
    int64_t year = payload.at("year").get<int64_t>();
    std::string deadline = payload.value("deadline", "");
    host().tx([&] {
        for (const auto& m : member_compliance_rows(host(), year, 0, true)) {
            bool declared = m["declared"].get<bool>();
            if (declared && (m["compliant"].get<bool>() || m["pending_claims"].get<int64_t>() > 0)) continue;
            int64_t uid = m["user_id"];
            if (!first_time(host(), "claim:" + std::to_string(year) + ":user:" + std::to_string(uid))) continue;
            host().notify(uid, declared ? "volunteer.claim_reminder" : "volunteer.declare_reminder", {{"year", year}, {"deadline", deadline}});
        }
        for (const auto& u : unit_compliance_rows(host(), year)) {
            if (u["claimed"].get<bool>() || u["contact_user_id"].is_null()) continue;
            if (!first_time(host(), "claim:" + std::to_string(year) + ":unit:" + std::to_string(u["unit_id"].get<int64_t>()))) continue;
            host().notify(u["contact_user_id"].get<int64_t>(), "volunteer.unit_claim_reminder",
                          {{"year", year}, {"deadline", deadline}, {"unit", u["unit_name"]}});
        }
    });
}

}  // namespace volunteer
