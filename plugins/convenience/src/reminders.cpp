// SPDX-License-Identifier: MIT
// Chapter 7: reminders 24 hours and 1 hour before the slot, as durable jobs the host runs even
// across a restart. There is one job per slot and lead, not one per booking: the slot's first
// booking schedules them (the job's dedupe key names the slot, so later bookings find them
// scheduled and write nothing), and a cancelled or moved booking needs no job cancelled. When one
// comes due it reminds each booking of the slot that is confirmed then and came to the slot —
// was booked, moved there, or confirmed from the waitlist (slot_since) — while that lead was
// still ahead: a booking made 3 hours before its slot hears only the 1-hour reminder. Each is
// reminded of each lead once (convenience_reminders_sent), however often the host runs the
// job — the scheduler promises at least once, not exactly once — and a booking moved away and
// back is reminded again (a move clears what it was sent).
//
// Bookings from before slot reminders (slot_since NULL) keep their own jobs, listed in
// reminder_jobs: those still run (send_reminder) and are cancelled with their booking.
#include <yz/calendar.hpp>

#include "booking_view.hpp"
#include "station.hpp"

namespace convenience {

namespace {
struct Lead {
    const char* name;
    int64_t before_ms;
};
constexpr Lead kLeads[] = {{"24h", 24 * yz::kHourMs}, {"1h", yz::kHourMs}};

const Lead* lead_named(const std::string& name) {
    for (const auto& lead : kLeads)
        if (name == lead.name) return &lead;
    return nullptr;
}
}  // namespace

void Convenience::schedule_slot_reminders(int64_t service_id, int64_t start) {
    int64_t now = host().now_ms();
    std::string key = "slot-reminder:" + std::to_string(service_id) + ":" + std::to_string(start) + ":";
    for (const auto& lead : kLeads) {
        int64_t due = start - lead.before_ms;
        if (due <= now) continue;
        host().schedule("slot_reminder", due, {{"service_id", service_id}, {"start", start}, {"lead", lead.name}}, key + lead.name);
    }
}

void Convenience::send_slot_reminders(const json& payload) {
    int64_t service_id = payload.at("service_id").get<int64_t>(), start = payload.at("start").get<int64_t>();
    const Lead* lead = lead_named(payload.at("lead").get<std::string>());
    if (!lead) return;  // a lead this version no longer sends
    host().tx([&] {
        if (start <= host().now_ms()) return;  // begun already: the host was away when it came due
        for (const json& booking : host().query(std::string(kBookingSelect) +
                                                    "WHERE b.service_id = ?1 AND b.slot_start = ?2 AND b.state = 'confirmed' "
                                                    "AND b.slot_since < ?3",
                                                {service_id, start, start - lead->before_ms}))
            remind(booking, lead->name);
    });
}

void Convenience::remind(const json& booking, const std::string& lead) {
    if (host().exec("INSERT OR IGNORE INTO convenience_reminders_sent(booking_id, lead, sent_at) VALUES (?1, ?2, ?3)",
                    {booking["id"], lead, host().now_ms()})
            .changes == 0)
        return;
    json data = notice_data(booking);
    data["lead"] = lead;
    notify_parties(booking, 0, "convenience.reminder", data);
}

void Convenience::cancel_reminders(const json& booking) {
    for (const auto& job : json::parse(booking["reminder_jobs"].get<std::string>())) host().cancel_job(job.get<int64_t>());
}

// A job of a booking from before slot reminders.
void Convenience::send_reminder(const json& payload) {
    int64_t id = payload.at("booking_id").get<int64_t>();
    host().tx([&] {
        auto booking = find_booking("b.id = ?1", {id});
        if (!booking || (*booking)["state"] != "confirmed" || (*booking)["slot_start"].get<int64_t>() <= host().now_ms()) return;
        if (payload.contains("start") && payload["start"] != (*booking)["slot_start"]) return;  // made for a time since moved
        remind(*booking, payload.at("lead").get<std::string>());
    });
}

}  // namespace convenience
