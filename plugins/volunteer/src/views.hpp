// SPDX-License-Identifier: MIT
// How records are read and shown. Storage keeps UTC ms and whole minutes; the API speaks ISO 8601
// in Beijing time and shows hours beside minutes; notifications carry a local "2026-03-07
// 09:00-11:00" a person can read.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <yz/plugin.hpp>

namespace volunteer {

using yz::json;

// A claim joined with its post, project and volunteer; append "WHERE …".
constexpr const char* kClaimSelect =
    "SELECT c.id, c.post_id, c.user_id, c.state, c.hold_id, c.reason, c.reminder_job, c.created_at, c.updated_at, "
    "p.role, p.location, p.time_type, p.starts_at, p.ends_at, p.withdraw_cutoff_minutes, p.project_id, "
    "j.title AS project_title, j.year, v.real_name, u.display_name FROM volunteer_claims c "
    "JOIN volunteer_posts p ON p.id = c.post_id JOIN volunteer_projects j ON j.id = p.project_id "
    "LEFT JOIN volunteer_volunteers v ON v.user_id = c.user_id LEFT JOIN pub_users u ON u.id = c.user_id ";

// An hours record (volunteer_hour_records) joined with its project, post, volunteer and the
// people who logged and last decided it; append "WHERE …".
constexpr const char* kRecordSelect =
    "SELECT r.*, j.title AS project_title, j.year, p.role, v.real_name, u.display_name, "
    "lb.display_name AS logged_by_name, db.display_name AS decided_by_name FROM volunteer_hour_records r "
    "JOIN volunteer_projects j ON j.id = r.project_id LEFT JOIN volunteer_posts p ON p.id = r.post_id "
    "LEFT JOIN volunteer_volunteers v ON v.user_id = r.user_id LEFT JOIN pub_users u ON u.id = r.user_id "
    "LEFT JOIN pub_users lb ON lb.id = r.logged_by LEFT JOIN pub_users db ON db.id = r.decided_by ";

// The last moment a volunteer may withdraw a claim on a post starting at `starts_at`; nullopt
// for a post without times (withdraw any time).
std::optional<int64_t> withdraw_deadline(const json& starts_at, int64_t cutoff_minutes);

json claim_json(const json& row, int64_t now, bool staff_view);
json record_json(const json& row, bool staff_view);
json attendance_json(const json& row);

// The data every notification about a claim carries (the template picks what it shows).
json claim_notice(const json& row);

// 150 → 2.5; shown beside minutes so nobody divides by hand.
double hours_of(int64_t minutes);
// "2026-03-07 09:00-11:00" (Beijing), or just the day when the end is another day.
std::string local_span(int64_t start, int64_t end);
// A volunteer's name as records show it: the registered real name, else the WeChat name.
std::string person_name(const json& row);

}  // namespace volunteer
