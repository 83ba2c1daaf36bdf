// SPDX-License-Identifier: MIT
// Chapter 4½: the waitlist, as residents use it. When a slot is full a resident joins its queue
// (with the same rules and form as a booking); when a place frees they are offered it
// (waitlist.cpp) and confirm it before the deadline — it becomes their booking — or decline it by
// leaving. Leaving an offer passes the place straight on to the next resident.
#include <yz/calendar.hpp>
#include <yz/time_format.hpp>

#include "booking_code.hpp"
#include "booking_rules.hpp"
#include "booking_view.hpp"
#include "station.hpp"

namespace convenience {

namespace {
// Places a resident could book right now: the ledger's free places (lapsed holds count as free).
int64_t free_places(const yz::Host& host, int64_t service_id, int64_t start) {
    try {
        return host.capacity("status", {{"resource", slot_resource(service_id, start)}})["remaining"].get<int64_t>();
    } catch (const yz::HostError& e) {
        if (e.status() == YZ_NOT_FOUND) return 1;  // nobody has booked the slot yet
        throw;
    }
}
}  // namespace

void Convenience::join_waitlist(yz::Request& req, yz::Response& res) {
    const yz::Auth& who = req.auth();
    std::string idem_key = req.header("Idempotency-Key").value_or("");
    if (idem_key.empty())
        throw yz::ApiError(400, "idempotency_key_required", "候补请求须带 Idempotency-Key，重试时沿用同一个值");
    Service s = load_service(req.id_param("id"), false);
    json body = req.body();
    Slot slot = requested_slot(s, body);
    if (auto refusal = booking_window_refusal(s.rules, slot.start, host().now_ms())) throw *refusal;
    json answers = host().validate_form(s.form, body.value("form", json::object()));

    json entry;
    host().tx([&] {
        auto earlier = host().query_one("SELECT id, service_id, slot_start FROM convenience_waitlist WHERE user_id = ?1 AND idem_key = ?2",
                                        {who.user_id, idem_key});
        if (earlier) {
            if ((*earlier)["service_id"] != s.id || (*earlier)["slot_start"] != slot.start)
                throw yz::ApiError(422, "idempotency_key_reused", "该请求标识已用于另一个候补");
            entry = waitlist_entry(req, (*earlier)["id"]);
            return;
        }
        if (auto mine = host().query_one("SELECT id FROM convenience_waitlist WHERE user_id = ?1 AND service_id = ?2 AND slot_start = ?3 "
                                         "AND state IN ('waiting', 'offered')",
                                         {who.user_id, s.id, slot.start}))
            throw yz::ApiError(409, "already_waiting", "您已在这个时段的候补名单中", {{"entry_id", (*mine)["id"]}});
        check_can_book(s, slot.start, who.user_id);
        bool queue = host().query_one("SELECT 1 AS q FROM convenience_waitlist WHERE service_id = ?1 AND slot_start = ?2 "
                                      "AND state = 'waiting' LIMIT 1",
                                      {s.id, slot.start})
                         .has_value();
        if (!queue && free_places(host(), s.id, slot.start) > 0)
            throw yz::ApiError(409, "slot_available", "该时段还有名额，请直接预约", {{"start", yz::iso8601_beijing(slot.start)}});
        int64_t now = host().now_ms();
        int64_t id = host().exec("INSERT INTO convenience_waitlist(service_id, user_id, slot_start, slot_end, state, form, idem_key, "
                                 "created_at, updated_at) VALUES (?1, ?2, ?3, ?4, 'waiting', ?5, ?6, ?7, ?7)",
                                 {s.id, who.user_id, slot.start, slot.end, answers.dump(), idem_key, now})
                         .last_insert_id;
        host().audit(who, "waitlist.join", "waitlist", std::to_string(id), {{"service_id", s.id}, {"start", yz::iso8601_beijing(slot.start)}});
        entry = waitlist_entry(req, id);
    });
    res.json(201, waitlist_json(entry));
}

void Convenience::my_waitlist(yz::Request& req, yz::Response& res) {
    json items = json::array();
    for (const auto& row : host().query("SELECT id FROM convenience_waitlist WHERE user_id = ?1 ORDER BY id DESC LIMIT 50",
                                        {req.auth().user_id}))
        items.push_back(waitlist_json(waitlist_entry(req, row["id"])));
    res.json(200, {{"items", items}});
}

// The held place becomes a booking, under the booking rules as they stand now. An offer past its
// deadline is lapsed here and then (its place goes to the next resident) and refused.
void Convenience::confirm_offer(yz::Request& req, yz::Response& res) {
    int64_t id = req.id_param("id");
    const yz::Auth& who = req.auth();
    int64_t now = host().now_ms();
    json booking;
    bool lapsed = false;
    int64_t status = 201;
    host().tx([&] {
        json entry = waitlist_entry(req, id);
        if (entry["state"] == "booked") {  // a retry of a confirm that went through
            booking = *find_booking("b.id = ?1", json::array({entry["booking_id"]}));
            status = 200;
            return;
        }
        if (entry["state"] != "offered")
            throw yz::ApiError(409, "no_offer", "这条候补目前没有可确认的名额", {{"state", waitlist_json(entry)["state"]}});
        if (entry["offer_expires_at"].get<int64_t>() <= now) {
            expire_offer(entry);
            lapsed = true;
            return;
        }
        Service s = load_service(entry["service_id"], true);
        int64_t start = entry["slot_start"];
        check_can_book(s, start, who.user_id);
        host().capacity("confirm", {{"hold_id", entry["hold_id"]}});
        std::string key = "waitlist:" + std::to_string(id);
        int64_t booking_id = insert_booking(s, Slot{start, entry["slot_end"].get<int64_t>()}, OnBehalf{who.user_id, 0, ""}, key,
                                            json::parse(entry["form"].get<std::string>()), entry["hold_id"].get<int64_t>());
        host().cancel_job(entry["offer_job"]);
        host().exec("UPDATE convenience_waitlist SET state = 'booked', booking_id = ?2, updated_at = ?3 WHERE id = ?1",
                    {id, booking_id, now});
        booking = *find_booking("b.id = ?1", {booking_id});
        announce_booking(booking);
        host().audit(who, "booking.create", "booking", std::to_string(booking_id),
                     {{"service_id", s.id}, {"start", yz::iso8601_beijing(start)}, {"state", booking["state"]}, {"waitlist_entry", id}});
    });
    if (lapsed)
        throw yz::ApiError(409, "offer_expired", "确认时间已过，名额已让给下一位候补居民");
    res.json(status, booking_json(booking, now, false));
}

// Leaving a queue, or declining an offer — whose place then goes on to the next resident.
void Convenience::leave_waitlist(yz::Request& req, yz::Response& res) {
    int64_t id = req.id_param("id");
    json entry;
    host().tx([&] {
        json current = waitlist_entry(req, id);
        std::string state = current["state"];
        if (state != "waiting" && state != "offered")
            throw yz::ApiError(409, "invalid_transition", "这条候补已结束", {{"state", state}});
        host().exec("UPDATE convenience_waitlist SET state = 'left', updated_at = ?2 WHERE id = ?1", {id, host().now_ms()});
        if (state == "offered") {
            host().cancel_job(current["offer_job"]);
            host().capacity("release", {{"hold_id", current["hold_id"]}});
            offer_free_places(current["service_id"], current["slot_start"]);
        }
        host().audit(req.auth(), "waitlist.leave", "waitlist", std::to_string(id), {{"was", state}});
        entry = waitlist_entry(req, id);
    });
    res.json(200, waitlist_json(entry));
}

}  // namespace convenience
