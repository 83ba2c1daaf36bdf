// SPDX-License-Identifier: MIT
// The station's settings, read once from its config in init and immutable after (handlers read
// them from several threads). Every key is optional:
//
//     {"points": {"per_unit": 10, "unit_minutes": 60},   // 10 points per full hour approved
//      "claim_deadline": "03-31",                         // 双报到: remind who has not claimed by then
//      "issuer": "幸福里社区党委",                          // printed on certificates
//      "checkin_early_minutes": 30,                       // a shift's check-in opens this early
//      "auto_close_grace_minutes": 30,                    // open check-ins closed this long after the window
//      "shift_reminder_minutes": 1440}                    // remind approved volunteers this long before a shift
#pragma once

#include <cstdint>
#include <string>

#include <yz/plugin.hpp>

namespace volunteer {

// How approved minutes become points: per_unit points for every full unit_minutes.
struct PointsRule {
    int64_t per_unit = 10;
    int64_t unit_minutes = 60;
    int64_t points_for(int64_t minutes) const { return minutes / unit_minutes * per_unit; }
};

struct Settings {
    PointsRule points;
    int claim_deadline_month = 3;  // Beijing month and day of each year
    int claim_deadline_day = 31;
    std::string issuer = "社区志愿者工作站";
    int64_t checkin_early_minutes = 30;
    int64_t auto_close_grace_minutes = 30;
    int64_t shift_reminder_minutes = 24 * 60;
};

// Throws std::runtime_error naming the key when a value is present but wrong: a station with a
// broken config should refuse to load, not run on a guess.
Settings settings_from_config(const yz::json& config);

}  // namespace volunteer
