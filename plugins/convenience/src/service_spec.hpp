// SPDX-License-Identifier: MIT
// A service as staff define it: what it is, where, how long a slot lasts and how many people one
// slot takes, when it opens (yz/opening_hours.hpp), the booking rules, and the intake form.
// It is data — a row staff edit in the console — read here once per request.
//
//     {"name": "社保认证", "description": "...", "category": "社保", "location": "一楼 3 号窗口",
//      "slot_minutes": 20, "capacity": 2,
//      "hours": {"weekly": {"mon": ["08:30-11:30", "13:30-17:00"], ...}},
//      "rules": {"min_notice_minutes": 60, "max_days_ahead": 14, "cancel_cutoff_minutes": 120,
//                "quota": {"count": 2, "per": "week"}, "household_quota": {"count": 3, "per": "week"},
//                "approval_required": false, "proxy_booking_allowed": true},
//      "form": [{"name": "phone", "label": "联系电话", "type": "phone", "required": true}]}
#pragma once

#include <cstdint>
#include <string>

#include <yz/opening_hours.hpp>
#include <yz/plugin.hpp>

namespace convenience {

using yz::json;

// At most `count` bookings per Beijing day, week or month; count 0 = no limit.
struct Quota {
    int count = 0;
    std::string per = "week";  // day | week | month

    bool limits() const { return count > 0; }
    json to_json() const;  // null when it does not limit
};

// When and how often a resident may book, and until when they may cancel or reschedule.
struct Rules {
    int min_notice_minutes = 60;     // a slot must start at least this long after booking
    int max_days_ahead = 14;         // Beijing days from today to the slot's day
    int cancel_cutoff_minutes = 60;  // residents cancel or reschedule up to this long before the start
    Quota quota;                     // per resident
    Quota household_quota;           // per household (households.cpp); a resident in none counts alone
    bool approval_required = false;  // bookings wait for staff to approve
    bool proxy_booking_allowed = false;  // a grid member or confirmed family member may book for a resident

    json to_json() const;
};

struct Service {
    int64_t id = 0;
    std::string name, description, category, location;
    int slot_minutes = 30;
    int capacity = 1;
    yz::OpeningHours hours;
    Rules rules;
    json form = json::array();
    bool active = true;
    int64_t updated_at = 0;  // when staff last changed it: tells a cached copy from the current one
};

// Reads a staff submission. Throws ApiError 422 invalid_service whose details.fields lists
// {field, code, message} for every problem, so the console can mark each one. The form is checked
// by the core's forms block (host), the same code that will validate residents' answers.
Service service_from_request(const json& body, const yz::Host& host);

// Reads a stored row (SELECT * FROM convenience_services). Rows were checked when saved, so a
// row that does not parse is a fault (std::runtime_error), not the caller's mistake.
Service service_from_row(const json& row);

// The API's views: a list entry, and the whole definition.
json service_summary(const Service& s);
json service_detail(const Service& s);

}  // namespace convenience
