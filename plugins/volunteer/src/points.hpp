// SPDX-License-Identifier: MIT
// The points ledger, append-only like the hours ledger. Approved hours earn points by the
// station's rule (settings.hpp); when a record is adjusted or declined later, the entry added is
// the difference between what the record should now have earned and what it has, so a record's
// points always sum to the rule applied to its latest approved length.
#pragma once

#include <cstdint>
#include <string>

#include <yz/plugin.hpp>

#include "settings.hpp"

namespace volunteer {

// Brings the points a record has earned in line with `approved_minutes` (0 when declined); the
// added entry, if any, names the hours entry that caused it. Returns the delta. Inside host().tx.
int64_t settle_points(const yz::Host& host, const PointsRule& rule, const yz::json& record, int64_t approved_minutes,
                      int64_t hours_entry_id, int64_t actor_user_id);

int64_t points_balance(const yz::Host& host, int64_t user_id);

}  // namespace volunteer
