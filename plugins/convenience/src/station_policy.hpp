// SPDX-License-Identifier: MIT
// Station-wide settings an operator writes in the station's config (plugins.stations[].config),
// read once at start; every key is optional and the defaults are what a community centre would
// pick on day one:
//
//     "no_show_policy": {"count": 3, "within_days": 30, "suspend_days": 14},
//     "waitlist": {"hold_minutes": 30}
//
// no_show_policy: `count` no-shows whose slots lie within the last `within_days` days suspend
// the resident's booking for `suspend_days` days (count 0 turns suspensions off).
// waitlist.hold_minutes: how long a waiting resident has to confirm a place offered to them.
#pragma once

#include <yz/plugin.hpp>

namespace convenience {

struct NoShowPolicy {
    int count = 3;
    int within_days = 30;
    int suspend_days = 14;
};

struct StationPolicy {
    NoShowPolicy no_show;
    int waitlist_hold_minutes = 30;
};

// Throws std::runtime_error naming the key when a value is out of range, so a typo refuses the
// station at start rather than running with a policy nobody chose.
StationPolicy policy_from_config(const yz::json& config);

}  // namespace convenience
