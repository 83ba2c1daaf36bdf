// SPDX-License-Identifier: MIT
// A service's slots: its opening hours for a Beijing day (holidays and 调休 included) cut into
// slot_minutes pieces, as UTC instants. Each slot is one resource in the core's capacity ledger.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <yz/holidays.hpp>
#include <yz/opening_hours.hpp>

#include "service_spec.hpp"

namespace convenience {

struct Slot {
    int64_t start = 0;  // UTC ms
    int64_t end = 0;
};

// The capacity-ledger resource of a slot: "svc:<service id>:<start, UTC ms>".
std::string slot_resource(int64_t service_id, int64_t start);

// The slots of one day, in order.
std::vector<Slot> day_slots(const Service& service, const yz::OpenDay& day);

// The slot that starts exactly at `start`, if the service opens one then.
std::optional<Slot> slot_at(const Service& service, const yz::HolidayCalendar& calendar, int64_t start);

// A day's header for the API: {date, weekday, open, basis, note, hours}.
json day_json(const yz::OpenDay& day);

}  // namespace convenience
