// SPDX-License-Identifier: MIT
// Chapter 5½: a booking moves to another slot of its service. The move is atomic: in one
// transaction the new place is taken first — under the same rules as a new booking, with this
// booking neither blocking its new slot nor counting twice against a quota — and only then is the
// old place released (and offered to the old slot's waitlist). If the new slot is full or a rule
// refuses, nothing changes and the resident keeps the place they had.
//
// The booking keeps its id, code, form answers and state (an approval is for the resident's
// request, not the hour); its reminders move with it. Residents (and their proxy) move it before
// the cancel/reschedule cut-off; staff at any time, with a reason the resident is told.
#include <yz/calendar.hpp>
#include <yz/time_format.hpp>

#include "booking_rules.hpp"
#include "booking_view.hpp"
#include "request_fields.hpp"
#include "station.hpp"

namespace convenience {

void Convenience::reschedule(yz::Request& req, yz::Response& res) {
    int64_t id = req.id_param("id");
    const yz::Auth& who = req.auth();
    json body = req.body();
    std::string reason = optional_text(body, "reason", 600);
    json before = visible_booking(req, id);
    Service s = load_service(before["service_id"], false);
    Slot slot = requested_slot(s, body);
    bool by_staff = who.staff_here && before["user_id"] != who.user_id;
    if (by_staff && reason.empty())
        throw yz::ApiError(422, "reason_required", "工作人员改约须填写原因，居民会收到通知");
    int64_t now = host().now_ms();

    json booking;
    host().tx([&] {
        json current = visible_booking(req, id);  // afresh, under the write lock
        std::string state = current["state"];
        if (state != "pending" && state != "confirmed")
            throw yz::ApiError(409, "invalid_transition", "预约当前的状态不能改约", {{"state", state}, {"action", "reschedule"}});
        int64_t old_start = current["slot_start"];
        if (old_start == slot.start) {  // already there (a retry of a move that went through)
            booking = std::move(current);
            return;
        }
        if (!who.staff_here && !before_cancel_cutoff(s.rules, old_start, now))
            throw yz::ApiError(422, "reschedule_too_late", "已过改约截止时间，请联系服务站",
                               {{"cancel_cutoff_minutes", s.rules.cancel_cutoff_minutes},
                                {"deadline", yz::iso8601_beijing(old_start - s.rules.cancel_cutoff_minutes * yz::kMinuteMs)}});
        if (auto refusal = booking_window_refusal(s.rules, slot.start, now)) throw *refusal;
        int64_t resident = current["user_id"];
        refuse_queue_jump(s, slot.start);
        check_can_book(s, slot.start, resident, id);
        int64_t moves = current["moves"].get<int64_t>() + 1;
        int64_t hold_id = take_place(s, slot.start, resident, "move:" + std::to_string(id) + ":" + std::to_string(moves));

        cancel_reminders(current);
        host().exec("DELETE FROM convenience_reminders_sent WHERE booking_id = ?1", {id});
        host().exec("UPDATE convenience_bookings SET slot_start = ?2, slot_end = ?3, hold_id = ?4, moves = ?5, reminder_jobs = '[]', "
                    "slot_since = ?6, updated_at = ?6 WHERE id = ?1",
                    {id, slot.start, slot.end, hold_id, moves, now});
        schedule_slot_reminders(s.id, slot.start);
        host().capacity("release", {{"hold_id", current["hold_id"]}});
        offer_free_places(s.id, old_start);

        booking = *find_booking("b.id = ?1", {id});
        json data = notice_data(booking);
        data["old_time"] = local_span(old_start, current["slot_end"].get<int64_t>());
        data["old_start"] = yz::iso8601_beijing(old_start);
        if (by_staff) {
            data["change"] = "rescheduled";
            data["reason"] = reason;
            notify_parties(booking, who.user_id, "convenience.changed_by_staff", data);
        } else {
            notify_parties(booking, 0, "convenience.rescheduled", data);
        }
        host().audit(who, "booking.reschedule", "booking", std::to_string(id),
                     {{"from", yz::iso8601_beijing(old_start)}, {"to", yz::iso8601_beijing(slot.start)}, {"reason", reason}});
    });
    res.json(200, booking_json(booking, now, booking["user_id"] != who.user_id));
}

}  // namespace convenience
