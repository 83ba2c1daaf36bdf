// SPDX-License-Identifier: MIT
// Chapter 5: residents see their own bookings and cancel them before the service's cut-off; a
// cancelled booking gives its place back to the ledger at once, and to the slot's waitlist if
// anyone waits. Whoever booked for a resident (代约) sees and may cancel that booking too. Staff
// may cancel any booking at any time, with a reason the resident is told ("changed by staff").
// Nobody sees, or can tell the existence of, another resident's booking.
#include <yz/calendar.hpp>
#include <yz/time_format.hpp>

#include "booking_rules.hpp"
#include "booking_view.hpp"
#include "request_fields.hpp"
#include "station.hpp"

namespace convenience {

namespace {
constexpr int kPageSize = 20;
}

namespace {
json page_of(const json& rows, int64_t now, bool show_resident) {
    json items = json::array();
    for (const auto& row : rows) items.push_back(booking_json(row, now, show_resident));
    json next = rows.size() == static_cast<size_t>(kPageSize) ? rows.back()["id"] : json(nullptr);
    return {{"items", items}, {"next_before", next}};
}
}  // namespace

void Convenience::my_bookings(yz::Request& req, yz::Response& res) {
    int64_t before = cursor_query(req, "before");
    json rows = host().query(std::string(kBookingSelect) + "WHERE b.user_id = ?1 AND (?2 = 0 OR b.id < ?2) ORDER BY b.id DESC LIMIT ?3",
                             {req.auth().user_id, before, kPageSize});
    res.json(200, page_of(rows, host().now_ms(), false));
}

void Convenience::my_proxy_bookings(yz::Request& req, yz::Response& res) {
    int64_t before = cursor_query(req, "before");
    json rows = host().query(std::string(kBookingSelect) +
                                 "WHERE b.booked_by_user_id = ?1 AND (?2 = 0 OR b.id < ?2) ORDER BY b.id DESC LIMIT ?3",
                             {req.auth().user_id, before, kPageSize});
    res.json(200, page_of(rows, host().now_ms(), true));
}

void Convenience::show_booking(yz::Request& req, yz::Response& res) {
    json booking = visible_booking(req, req.id_param("id"));
    res.json(200, booking_json(booking, host().now_ms(), booking["user_id"] != req.auth().user_id));
}

// Three kinds of cancel, one place freed: the resident's own and their proxy's before the
// cut-off, and staff's at any time with a reason, which the resident (and proxy) are told.
void Convenience::cancel_booking(yz::Request& req, yz::Response& res) {
    int64_t id = req.id_param("id");
    std::string reason = optional_text(req.body(), "reason", 600);
    const yz::Auth& who = req.auth();
    int64_t now = host().now_ms();
    json booking;
    host().tx([&] {
        json current = visible_booking(req, id);
        bool own = current["user_id"] == who.user_id;
        bool by_staff = who.staff_here && !own;
        if (by_staff && reason.empty())
            throw yz::ApiError(422, "reason_required", "工作人员取消预约须填写原因，居民会收到通知");
        std::string state = current["state"];
        int64_t start = current["slot_start"];
        Rules rules = load_service(current["service_id"], true).rules;
        if (!who.staff_here && (state == "pending" || state == "confirmed") && !before_cancel_cutoff(rules, start, now))
            throw yz::ApiError(422, "cancel_too_late", "已过取消截止时间，请联系服务站",
                               {{"cancel_cutoff_minutes", rules.cancel_cutoff_minutes},
                                {"deadline", yz::iso8601_beijing(start - rules.cancel_cutoff_minutes * yz::kMinuteMs)}});
        booking = transition(who, current, own || by_staff ? "cancel" : "cancel_for", reason);
        free_place(booking);
        json data = notice_data(booking);
        data["reason"] = reason;
        if (by_staff) {
            data["change"] = "cancelled";
            notify_parties(booking, who.user_id, "convenience.changed_by_staff", data);
        } else {
            data["cancelled_by"] = who.display_name;
            notify_parties(booking, who.user_id, "convenience.cancelled", data);
        }
    });
    res.json(200, booking_json(booking, now, booking["user_id"] != who.user_id));
}

}  // namespace convenience
