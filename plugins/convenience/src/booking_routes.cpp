// SPDX-License-Identifier: MIT
// Chapter 4: a resident books a place — for themselves, or (代约) a grid member or confirmed family
// member books it for them (proxy.cpp).
//
// What needs no lock is checked first: the time is a slot the service opens that day (holidays
// and 调休 included), it lies inside the booking window, who it is for, and the form answers are
// valid; a slot the ledger already shows full is refused on that read. Then one transaction does
// the rest, so it all commits or none of it does: replay a retried request, refuse to jump the slot's waitlist, check the resident may book (one place a
// slot, not suspended, quotas — eligibility.cpp), take a place in the capacity ledger, write the
// booking, queue the notices, schedule the reminders, audit. Because the ledger's conditional
// update runs inside that transaction, however many residents race for the last place, exactly
// one gets it and the others hear 409 slot_full.
#include <yz/calendar.hpp>
#include <yz/time_format.hpp>

#include "booking_code.hpp"
#include "booking_rules.hpp"
#include "booking_view.hpp"
#include "booking_workflow.hpp"
#include "station.hpp"

namespace convenience {

namespace {
yz::ApiError slot_full(int64_t start) {
    return yz::ApiError(409, "slot_full", "该时段已约满，可加入候补", {{"start", yz::iso8601_beijing(start)}, {"waitlist", true}});
}
}  // namespace

void Convenience::book(yz::Request& req, yz::Response& res) {
    const yz::Auth& who = req.auth();
    std::string idem_key = req.header("Idempotency-Key").value_or("");
    if (idem_key.empty())
        throw yz::ApiError(400, "idempotency_key_required", "预约请求须带 Idempotency-Key，重试时沿用同一个值");
    json body = req.body();
    // The checks before the transaction read the service as cached (see station.hpp): most
    // refusals, a full slot above all, end here without a write and without parsing it again.
    std::shared_ptr<const Service> seen = cached_service(req.id_param("id"));
    BookingAsk ask = checked_ask(*seen, who, body, idem_key);
    // A slot the ledger shows full is refused on this read, without queueing for the database's
    // writer — unless this is the retry of a booking that got in. The transaction decides for
    // real: a place may have freed since. (Answered, not thrown: under a rush this is most answers.)
    if (refused_as_full(*seen, ask)) return res.error(slot_full(ask.slot.start));

    json booking;
    host().tx([&] {
        // What is decided here is the service as it now is: the cached reading while its
        // updated_at still holds, else read afresh (staff changed it a moment ago, in another
        // process say) and the request checked again.
        std::optional<Service> changed;
        auto now_row = host().query_one("SELECT active, updated_at FROM convenience_services WHERE id = ?1", {seen->id});
        if (!now_row || (*now_row)["active"] != 1) throw yz::ApiError(404, "service_not_found", "服务不存在或已停办");
        if ((*now_row)["updated_at"] != seen->updated_at) {
            changed = load_service(seen->id, false);
            ask = checked_ask(*changed, who, body, idem_key);
        }
        const Service& s = changed ? *changed : *seen;
        const OnBehalf& whom = ask.whom;
        if (auto earlier = find_booking("b.user_id = ?1 AND b.idem_key = ?2", {whom.resident_id, ask.stored_key})) {
            // A retry whose first answer never arrived: the same booking again, never a second one.
            if ((*earlier)["service_id"] != s.id || (*earlier)["slot_start"] != ask.slot.start)
                throw yz::ApiError(422, "idempotency_key_reused", "该请求标识已用于另一个预约");
            booking = std::move(*earlier);
            return;
        }
        refuse_queue_jump(s, ask.slot.start);
        check_can_book(s, ask.slot.start, whom.resident_id);
        int64_t hold_id = take_place(s, ask.slot.start, whom.resident_id, "booking:" + std::to_string(whom.resident_id) + ":" + ask.stored_key);
        int64_t id = insert_booking(s, ask.slot, whom, ask.stored_key, ask.answers, hold_id);
        booking = *find_booking("b.id = ?1", {id});
        announce_booking(booking);
        host().audit(who, whom.proxy_id ? "booking.create_for" : "booking.create", "booking", std::to_string(id),
                     {{"service_id", s.id}, {"start", yz::iso8601_beijing(ask.slot.start)}, {"state", booking["state"]},
                      {"resident_id", whom.resident_id}, {"relation", whom.relation}});
    });
    res.json(201, booking_json(booking, host().now_ms(), ask.whom.proxy_id != 0));
}

Convenience::BookingAsk Convenience::checked_ask(const Service& s, const yz::Auth& who, const json& body, const std::string& idem_key) {
    BookingAsk ask;
    ask.slot = requested_slot(s, body);
    if (auto refusal = booking_window_refusal(s.rules, ask.slot.start, host().now_ms())) throw *refusal;
    ask.whom = on_behalf(s, who, body);
    ask.answers = host().validate_form(s.form, body.value("form", json::object()));
    // A proxy's key lives in the proxy's own namespace, never colliding with the resident's keys.
    ask.stored_key = ask.whom.proxy_id ? "proxy:" + std::to_string(ask.whom.proxy_id) + ":" + idem_key : idem_key;
    return ask;
}

Slot Convenience::requested_slot(const Service& s, const json& body) {
    std::optional<int64_t> start;
    if (body.contains("start") && body["start"].is_string()) start = yz::parse_iso8601(body["start"].get<std::string>());
    if (!start)
        throw yz::ApiError(400, "invalid_field", "start 须为带时区的时间，如 2026-02-14T09:00:00+08:00", {{"field", "start"}});
    // The holiday calendar as cached: a booking may lag a change made in another process by a second.
    std::optional<Slot> slot = slot_at(s, *cached_calendar(), *start);
    if (!slot) throw yz::ApiError(422, "slot_unavailable", "该时间没有可预约的时段", {{"start", yz::iso8601_beijing(*start)}});
    return *slot;
}

void Convenience::announce_booking(const json& booking) {
    host().notify(booking["user_id"], "convenience.booked", notice_data(booking));
    if (booking["booked_by_user_id"].is_number_integer())
        host().notify(booking["booked_by_user_id"], "convenience.proxy_booked", notice_data_for_proxy(booking));
}

// One place in the slot's ledger resource. The resource is defined with the service's capacity
// as the place is taken — lazily, on the slot's first booking, and on later ones too, so a
// capacity staff changed reaches slots already in the ledger (a lower one never cancels places).
// The ledger key is the caller's (it carries the resident's Idempotency-Key for a booking): a
// retry can never take a second place.
std::optional<int64_t> Convenience::reserve_place(const Service& s, int64_t start, int64_t user_id, const std::string& key,
                                                  int64_t hold_seconds) {
    std::string resource = slot_resource(s.id, start);
    host().capacity("define", {{"resource", resource}, {"capacity", s.capacity}});
    try {
        json place = host().capacity("reserve", {{"resource", resource},
                                                 {"holder", "user:" + std::to_string(user_id)},
                                                 {"key", key},
                                                 {"hold_seconds", hold_seconds}});
        return place["hold_id"].get<int64_t>();
    } catch (const yz::HostError& e) {
        if (e.status() == YZ_FULL) return std::nullopt;
        if (e.status() == YZ_CONFLICT) throw yz::ApiError(422, "idempotency_key_reused", "该请求标识已用于另一个预约");
        throw;
    }
}

int64_t Convenience::take_place(const Service& s, int64_t start, int64_t user_id, const std::string& key) {
    if (auto hold = reserve_place(s, start, user_id, key)) return *hold;
    throw slot_full(start);
}

// The reading is cached like the slot listing (yz::ReadCache's rule): until the station's next
// write, and for a second at most — a hold that lapsed, or a booking made by another process, is
// seen within that second. The retry of a booking that got in finds its key among the slot's
// bookings: the write that made it finished before the retry could start (the core lets one
// request per key run at a time), so every reading from before it is stale by then. Only a retry
// sent to another worker process, within that second, of a booking that took a place freed in
// it, could be refused on an older reading.
bool Convenience::refused_as_full(const Service& s, const BookingAsk& ask) {
    uint64_t version = writes_finished();  // before reading (see read_cache.hpp)
    int64_t now = host().now_ms();
    std::string resource = slot_resource(s.id, ask.slot.start);
    std::shared_ptr<const SlotReading> seen;
    if (auto aged = slot_readings_.get_aged(resource, now)) {
        if (aged->version == version) {
            seen = aged->body;
        } else if (!aged->body->bookings_read &&
                   aged->body->taken + static_cast<int64_t>(version - aged->version) < s.capacity) {
            // Places were free when read, and fewer writes have finished since than there were
            // free places (a write takes one place in a slot). Under a rush the slot is read once
            // in many bookings, not once per booking. Trusting free places for longer can only
            // send a request on to the transaction, which decides for real.
            return false;
        }
    }
    if (!seen) {
        SlotReading reading;
        try {
            reading.taken = host().capacity("status", {{"resource", resource}})["taken"].get<int64_t>();
        } catch (const yz::HostError&) {
            reading.taken = 0;  // not in the ledger yet: nobody has booked it
        }
        // Read after the ledger: a booking counted there is already among these.
        if (reading.taken >= s.capacity) {
            for (const json& row : host().query("SELECT user_id, idem_key FROM convenience_bookings WHERE service_id = ?1 AND slot_start = ?2",
                                                {s.id, ask.slot.start}))
                reading.bookings.emplace_back(row["user_id"].get<int64_t>(), row["idem_key"].get<std::string>());
            reading.bookings_read = true;
        }
        seen = slot_readings_.put(resource, version, now, std::move(reading));
    }
    // The service's capacity: staff may have just raised it. A slot that was not full when read
    // (its bookings unread) is left to the transaction.
    if (s.capacity - seen->taken > 0 || !seen->bookings_read) return false;
    for (const auto& [resident, key] : seen->bookings)
        if (resident == ask.whom.resident_id && key == ask.stored_key) return false;
    return true;
}

int64_t Convenience::insert_booking(const Service& s, const Slot& slot, const OnBehalf& whom, const std::string& idem_key,
                                    const json& answers, int64_t hold_id) {
    int64_t now = host().now_ms();
    const char* state = s.rules.approval_required ? "pending" : "confirmed";
    json proxy = whom.proxy_id ? json(whom.proxy_id) : json(nullptr);
    schedule_slot_reminders(s.id, slot.start);
    for (int attempt = 1;; ++attempt) {
        try {
            return host()
                .exec("INSERT INTO convenience_bookings(service_id, user_id, slot_start, slot_end, state, code, form, idem_key, "
                      "hold_id, booked_by_user_id, relation, created_at, updated_at, slot_since) "
                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12, ?12)",
                      {s.id, whom.resident_id, slot.start, slot.end, state, new_booking_code(), answers.dump(), idem_key, hold_id,
                       proxy, whom.relation, now})
                .last_insert_id;
        } catch (const yz::HostError& e) {
            // The code was taken (about one chance in 10^12 per booking): draw another.
            if (e.status() != YZ_CONFLICT || attempt == 5) throw;
        }
    }
}

}  // namespace convenience
