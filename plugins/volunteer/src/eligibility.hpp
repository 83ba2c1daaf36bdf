// SPDX-License-Identifier: MIT
// Whether a volunteer may claim a post, as one decision the claim route asks before taking a
// place: members only (the core's member role), a named training completed (recorded by staff),
// and an age range on the day the post starts (today for an ongoing post). A pure function of
// its inputs, so the rule that refused is always the one named in the answer.
#pragma once

#include <cstdint>
#include <optional>

#include <yz/calendar.hpp>
#include <yz/plugin.hpp>

#include "project_spec.hpp"

namespace volunteer {

// 422 not_eligible whose details.rule is "members_only", "training" or "age" (with what the rule
// asks for), or nullopt. `registration` is the volunteer's volunteer_volunteers row.
std::optional<yz::ApiError> eligibility_refusal(const Post& post, const yz::Auth& who, const json& registration, bool trained,
                                                yz::Date on_day);

// Whole years between a birth date and a day.
int64_t age_on(yz::Date birth, yz::Date day);

}  // namespace volunteer
