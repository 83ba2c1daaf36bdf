// SPDX-License-Identifier: MIT
// Chapter 7: reminders 24 hours and 1 hour before the slot, as durable jobs the host runs even
// across a restart. They are scheduled with the booking (a lead time already past is skipped)
// and cancelled with it; a reschedule cancels them and schedules new ones for the new time (the
// job's dedupe key carries the move's number, so moving back and forth never reuses an old job).
// When one comes due the booking is read afresh: only a booking still confirmed, still at the
// time the job was made for, and not yet begun is reminded, and only once
// (convenience_reminders_sent), however often the host runs the job — the scheduler promises at
// least once, not exactly once.
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
}  // namespace

json Convenience::schedule_reminders(int64_t booking_id, int64_t start, int64_t moves) {
    int64_t now = host().now_ms();
    std::string key = "reminder:" + std::to_string(booking_id) + ":" + (moves ? "m" + std::to_string(moves) + ":" : "");
    json jobs = json::array();
    for (const auto& lead : kLeads) {
        int64_t due = start - lead.before_ms;
        if (due <= now) continue;
        jobs.push_back(host().schedule("reminder", due, {{"booking_id", booking_id}, {"lead", lead.name}, {"start", start}},
                                       key + lead.name));
    }
    return jobs;
}

void Convenience::cancel_reminders(const json& booking) {
    for (const auto& job : json::parse(booking["reminder_jobs"].get<std::string>())) host().cancel_job(job.get<int64_t>());
}

void Convenience::send_reminder(const json& payload) {
    int64_t id = payload.at("booking_id").get<int64_t>();
    std::string lead = payload.at("lead").get<std::string>();
    host().tx([&] {
        auto booking = find_booking("b.id = ?1", {id});
        if (!booking || (*booking)["state"] != "confirmed" || (*booking)["slot_start"].get<int64_t>() <= host().now_ms()) return;
        if (payload.contains("start") && payload["start"] != (*booking)["slot_start"]) return;  // made for a time since moved
        if (host().exec("INSERT OR IGNORE INTO convenience_reminders_sent(booking_id, lead, sent_at) VALUES (?1, ?2, ?3)",
                        {id, lead, host().now_ms()})
                .changes == 0)
            return;
        json data = notice_data(*booking);
        data["lead"] = lead;
        notify_parties(*booking, 0, "convenience.reminder", data);
    });
}

}  // namespace convenience
