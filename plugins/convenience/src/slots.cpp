// SPDX-License-Identifier: MIT
#include "slots.hpp"

#include <yz/calendar.hpp>

namespace convenience {

std::string slot_resource(int64_t service_id, int64_t start) {
    return "svc:" + std::to_string(service_id) + ":" + std::to_string(start);
}

std::vector<Slot> day_slots(const Service& service, const yz::OpenDay& day) {
    std::vector<Slot> out;
    for (const auto& p : yz::slots_of(day, service.slot_minutes))
        out.push_back(Slot{yz::beijing_instant(day.date, p.start), yz::beijing_instant(day.date, p.end)});
    return out;
}

std::optional<Slot> slot_at(const Service& service, const yz::HolidayCalendar& calendar, int64_t start) {
    for (const auto& slot : day_slots(service, service.hours.day(yz::beijing_date(start), calendar)))
        if (slot.start == start) return slot;
    return std::nullopt;
}

json day_json(const yz::OpenDay& day) {
    return {{"date", day.date.str()},
            {"weekday", day.date.weekday()},
            {"open", day.open()},
            {"basis", yz::basis_name(day.basis)},
            {"note", day.note},
            {"hours", yz::OpeningHours::periods_json(day.periods)}};
}

}  // namespace convenience
