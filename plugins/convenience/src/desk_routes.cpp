// SPDX-License-Identifier: MIT
// Chapter 6: the station's desk. Staff see the day's sheet per service, approve or reject
// bookings that wait for approval (a rejection gives the place back — to the waitlist first — and
// says why), check residents in by the code they show, and close each booking as completed or a
// no-show (which may suspend the resident, suspensions.cpp). Every move goes through the booking
// workflow, which checks it and writes the audit line.
#include <map>

#include <yz/calendar.hpp>
#include <yz/time_format.hpp>

#include "booking_code.hpp"
#include "booking_view.hpp"
#include "request_fields.hpp"
#include "station.hpp"

namespace convenience {

namespace {
bool holds_place(const std::string& state) { return state != "cancelled" && state != "rejected"; }
}  // namespace

void Convenience::day_sheet(yz::Request& req, yz::Response& res) {
    Service s = load_service(req.id_param("id"), true);
    int64_t now = host().now_ms();
    yz::Date date = date_query(req, "date", yz::beijing_date(now));
    yz::OpenDay day = s.hours.day(date, calendar());

    // The day's slots by start time, plus any slot that holds bookings but left the plan since
    // (staff changed the hours after residents booked).
    std::map<int64_t, json> slots;
    for (const auto& slot : day_slots(s, day))
        slots[slot.start] = {{"start", yz::iso8601_beijing(slot.start)}, {"end", yz::iso8601_beijing(slot.end)},
                             {"capacity", s.capacity}, {"taken", 0}, {"waiting", 0}, {"bookings", json::array()}};
    json counts = json::object();
    for (const auto& row : host().query(std::string(kBookingSelect) +
                                            "WHERE b.service_id = ?1 AND b.slot_start >= ?2 AND b.slot_start < ?3 ORDER BY b.slot_start, b.id",
                                        {s.id, yz::beijing_instant(date, 0), yz::beijing_instant(date.plus_days(1), 0)})) {
        int64_t start = row["slot_start"];
        json& slot = slots[start];
        if (slot.is_null())
            slot = {{"start", yz::iso8601_beijing(start)}, {"end", yz::iso8601_beijing(row["slot_end"].get<int64_t>())},
                    {"capacity", s.capacity}, {"taken", 0}, {"waiting", 0}, {"bookings", json::array()}, {"off_plan", true}};
        std::string state = row["state"];
        if (holds_place(state)) slot["taken"] = slot["taken"].get<int64_t>() + 1;
        counts[state] = counts.value(state, 0) + 1;
        slot["bookings"].push_back(booking_json(row, now, true));
    }
    for (const auto& row : host().query("SELECT slot_start, count(*) AS n FROM convenience_waitlist WHERE service_id = ?1 "
                                        "AND slot_start >= ?2 AND slot_start < ?3 AND state = 'waiting' GROUP BY slot_start",
                                        {s.id, yz::beijing_instant(date, 0), yz::beijing_instant(date.plus_days(1), 0)}))
        if (auto it = slots.find(row["slot_start"].get<int64_t>()); it != slots.end()) it->second["waiting"] = row["n"];
    json list = json::array();
    for (auto& [start, slot] : slots) list.push_back(std::move(slot));
    res.json(200, {{"service", service_summary(s)}, {"day", day_json(day)}, {"slots", list}, {"counts", counts}});
}

void Convenience::approve(yz::Request& req, yz::Response& res) {
    int64_t id = req.id_param("id");
    json booking;
    host().tx([&] {
        booking = transition(req.auth(), visible_booking(req, id), "approve", "");
        host().notify(booking["user_id"], "convenience.approved", notice_data(booking));
    });
    res.json(200, booking_json(booking, host().now_ms(), true));
}

void Convenience::reject(yz::Request& req, yz::Response& res) {
    int64_t id = req.id_param("id");
    std::string reason = optional_text(req.body(), "reason", 600);
    json booking;
    host().tx([&] {
        booking = transition(req.auth(), visible_booking(req, id), "reject", reason);
        free_place(booking);
        json data = notice_data(booking);
        data["reason"] = reason;
        host().notify(booking["user_id"], "convenience.rejected", data);
    });
    res.json(200, booking_json(booking, host().now_ms(), true));
}

// Only on the booking's own day: a code shown a day early or late is a mistake to catch at the desk.
void Convenience::check_in(yz::Request& req, yz::Response& res) {
    auto code = normalize_booking_code(optional_text(req.body(), "code", 32));
    if (!code) throw yz::ApiError(404, "booking_not_found", "没有这个预约码");
    int64_t now = host().now_ms();
    json booking;
    host().tx([&] {
        auto current = find_booking("b.code = ?1", {*code});
        if (!current) throw yz::ApiError(404, "booking_not_found", "没有这个预约码");
        yz::Date day = yz::beijing_date((*current)["slot_start"].get<int64_t>());
        if (day != yz::beijing_date(now))
            throw yz::ApiError(422, "not_today", "只能在预约当天签到", {{"date", day.str()}, {"booking_id", (*current)["id"]}});
        booking = transition(req.auth(), *current, "check_in", "");
    });
    res.json(200, booking_json(booking, now, true));
}

void Convenience::complete(yz::Request& req, yz::Response& res) {
    int64_t id = req.id_param("id");
    json booking;
    host().tx([&] { booking = transition(req.auth(), visible_booking(req, id), "complete", ""); });
    res.json(200, booking_json(booking, host().now_ms(), true));
}

// The place is not given back: the slot has begun, nobody else can use it now.
void Convenience::no_show(yz::Request& req, yz::Response& res) {
    int64_t id = req.id_param("id");
    int64_t now = host().now_ms();
    json booking;
    host().tx([&] {
        json current = visible_booking(req, id);
        if (now < current["slot_start"].get<int64_t>())
            throw yz::ApiError(422, "too_early", "时段开始后才能标记未到", {{"start", yz::iso8601_beijing(current["slot_start"].get<int64_t>())}});
        booking = transition(req.auth(), current, "no_show", "");
        apply_no_show_policy(req.auth(), booking["user_id"]);
    });
    res.json(200, booking_json(booking, now, true));
}

}  // namespace convenience
