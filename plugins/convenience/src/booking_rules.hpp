// SPDX-License-Identifier: MIT
// The service's booking rules as decisions: may a slot be booked now, may it still be cancelled,
// and which stretch of the calendar a quota counts over. Pure functions of the rules
// and the clock, so the slot list and the booking route always agree.
#pragma once

#include <cstdint>
#include <optional>

#include <yz/plugin.hpp>

#include "service_spec.hpp"

namespace convenience {

// Why a slot starting at `start` may not be booked at `now` — 422 too_late (inside the minimum
// notice, or already begun) or 422 too_far_ahead (past max_days_ahead Beijing days) — or nullopt.
std::optional<yz::ApiError> booking_window_refusal(const Rules& rules, int64_t start, int64_t now);

// Whether a resident may still cancel a booking starting at `start` (staff always may).
bool before_cancel_cutoff(const Rules& rules, int64_t start, int64_t now);

// The Beijing day, week (Monday to Sunday) or month holding `start`, as UTC ms [from, to).
struct Span {
    int64_t from = 0;
    int64_t to = 0;
};
Span quota_span(const Quota& quota, int64_t start);

}  // namespace convenience
