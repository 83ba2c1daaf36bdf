// SPDX-License-Identifier: MIT
// How a booking is read and shown. Storage keeps UTC ms and JSON text; the API speaks ISO 8601
// in Beijing time, and notifications carry a local "2026-02-14 09:00-09:20" a person can read.
#pragma once

#include <cstdint>
#include <string>

#include <yz/plugin.hpp>

namespace convenience {

using yz::json;

// A booking joined with its service, the resident's display name and, for 代约, who booked it;
// append "WHERE …".
constexpr const char* kBookingSelect =
    "SELECT b.id, b.service_id, b.user_id, b.slot_start, b.slot_end, b.state, b.code, b.form, b.hold_id, "
    "b.reminder_jobs, b.reason, b.created_at, b.updated_at, b.booked_by_user_id, b.relation, b.moves, "
    "s.name AS service_name, s.location, s.category, s.rules, u.display_name AS resident, "
    "p.display_name AS booked_by_name FROM convenience_bookings b "
    "JOIN convenience_services s ON s.id = b.service_id LEFT JOIN pub_users u ON u.id = b.user_id "
    "LEFT JOIN pub_users p ON p.id = b.booked_by_user_id ";

// The API view of a row from kBookingSelect. `cancellable` says whether its resident may still
// cancel (or reschedule) at `now`. `show_resident` adds who the booking is for (staff, and the
// proxy who booked it, see that). The code is the QR content shown at the desk.
json booking_json(const json& row, int64_t now, bool show_resident);

// The data every notification about a booking carries (the template picks what it shows); a
// booking made by a proxy also names them and their relation.
json notice_data(const json& row);
// The same for the proxy who booked it, naming the resident it is for.
json notice_data_for_proxy(const json& row);

// "2026-02-14 09:00-09:20", Beijing time.
std::string local_span(int64_t start, int64_t end);
// "2026-02-14 09:00", Beijing time.
std::string local_minute(int64_t at);

}  // namespace convenience
