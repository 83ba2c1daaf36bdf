// SPDX-License-Identifier: MIT
// The station's set-up (tables, booking workflow, routes, reminder jobs) and the lookups every
// chapter shares. See station.hpp for the story.
#include "station.hpp"

#include "booking_view.hpp"
#include "booking_workflow.hpp"
#include "schema.hpp"

namespace convenience {

void Convenience::init(yz::Host& host, const json& config) {
    policy_ = policy_from_config(config);
    host.migrate(1, kSchemaV1);
    host.migrate(2, kSchemaV2);
    host.migrate(3, kSchemaV3);
    host.workflow("define", booking_workflow_definition());
    seed_calendar(config);
    if (config.value("seed_demo", false)) seed_demo();
    on_privacy(&Convenience::export_user, &Convenience::erase_user);

    route("GET", "/services", "public", "Services open for booking (staff: ?all=1 adds retired ones)", &Convenience::list_services);
    route("GET", "/services/{id}", "public", "One service: hours, rules and intake form", &Convenience::show_service);
    route("POST", "/services", "staff", "Define a service", &Convenience::create_service);
    route("PUT", "/services/{id}", "staff", "Change a service", &Convenience::update_service);
    route("DELETE", "/services/{id}", "staff", "Retire a service (its bookings stay)", &Convenience::retire_service);

    route("GET", "/calendar", "public", "The holiday calendar: holidays and 调休 working days", &Convenience::show_calendar);
    route("PUT", "/calendar", "staff", "Replace the holiday calendar", &Convenience::replace_calendar);

    route("GET", "/services/{id}/slots", "public", "Slots by day with places left (?from=&to= YYYY-MM-DD)", &Convenience::list_slots);
    route("POST", "/services/{id}/bookings", "resident", "Book a place, for oneself or (代约) for_user_id (Idempotency-Key required)",
          &Convenience::book);
    route("POST", "/services/{id}/waitlist", "resident", "Wait for a place in a full slot (Idempotency-Key required)",
          &Convenience::join_waitlist);

    route("GET", "/my/bookings", "resident", "My bookings, newest first", &Convenience::my_bookings);
    route("GET", "/my/proxy-bookings", "resident", "Bookings I made for others (代约), newest first", &Convenience::my_proxy_bookings);
    route("GET", "/my/waitlist", "resident", "My places in waitlists and the offers I may confirm", &Convenience::my_waitlist);
    route("GET", "/bookings/{id}", "resident", "One booking (its resident, its proxy or staff)", &Convenience::show_booking);
    route("POST", "/bookings/{id}/cancel", "resident", "Cancel a booking (before the cut-off; staff any time, with a reason)",
          &Convenience::cancel_booking);
    route("POST", "/bookings/{id}/reschedule", "resident", "Move a booking to another slot (the new place is taken first)",
          &Convenience::reschedule);
    route("POST", "/bookings/{id}/rating", "resident", "Rate a completed booking 1-5, with an optional comment", &Convenience::rate);
    route("POST", "/waitlist/{id}/confirm", "resident", "Take the place offered from the waitlist", &Convenience::confirm_offer);
    route("POST", "/waitlist/{id}/leave", "resident", "Leave the waitlist (or decline an offer)", &Convenience::leave_waitlist);

    route("GET", "/family", "resident", "My family links, as the family member and as the elder", &Convenience::my_family_links);
    route("POST", "/family", "resident", "Ask an elder to confirm me as family, so I may book for them", &Convenience::request_family_link);
    route("POST", "/family/{id}/confirm", "resident", "The elder confirms a family link", &Convenience::confirm_family_link);
    route("POST", "/family/{id}/revoke", "resident", "Either side ends a family link", &Convenience::revoke_family_link);

    route("GET", "/services/{id}/ratings", "public", "Visible ratings of a service and its average", &Convenience::service_ratings);

    route("GET", "/services/{id}/day-sheet", "staff", "The day's slots and bookings (?date=YYYY-MM-DD)", &Convenience::day_sheet);
    route("POST", "/bookings/{id}/approve", "staff", "Approve a pending booking", &Convenience::approve);
    route("POST", "/bookings/{id}/reject", "staff", "Reject a pending booking, with a reason", &Convenience::reject);
    route("POST", "/checkin", "staff", "Check a resident in by booking code", &Convenience::check_in);
    route("POST", "/bookings/{id}/complete", "staff", "Mark a checked-in booking completed", &Convenience::complete);
    route("POST", "/bookings/{id}/no-show", "staff", "Mark a booking a no-show after its start", &Convenience::no_show);
    route("GET", "/bookings", "staff", "Bookings across services (?state=pending, ?from=&to= YYYY-MM-DD, ?service_id=)",
          &Convenience::list_bookings);
    route("GET", "/suspensions", "staff", "Residents whose booking is suspended now", &Convenience::list_suspensions);
    route("POST", "/suspensions/{id}/lift", "staff", "End a suspension early, with a reason", &Convenience::lift_suspension);
    route("POST", "/households", "staff", "Register a household and its members", &Convenience::create_household);
    route("GET", "/households/{id}", "staff", "One household and its members", &Convenience::show_household);
    route("PUT", "/households/{id}", "staff", "Rename a household or replace its members", &Convenience::update_household);
    route("GET", "/ratings", "staff", "Ratings whose comments wait for release (?all=1: every rating)", &Convenience::ratings_for_review);
    route("POST", "/ratings/{id}/release", "staff", "Publish a rating's comment held for review", &Convenience::release_rating);
    route("GET", "/stats/monthly", "staff|admin", "Per Beijing month: bookings, capacity, utilisation, no-shows, ratings (?months=12)",
          &Convenience::monthly_stats);
    route("GET", "/exports/bookings", "staff|admin", "Bookings as CSV (?from=&to= YYYY-MM-DD, ?service_id=)", &Convenience::export_bookings);
    route("GET", "/exports/ratings", "staff|admin", "Ratings as CSV (?from=&to= YYYY-MM-DD, ?service_id=)", &Convenience::export_ratings);

    on_job("slot_reminder", &Convenience::send_slot_reminders);
    on_job("reminder", &Convenience::send_reminder);  // jobs of bookings made before version 3
    on_job("offer_lapse", &Convenience::lapse_offer);
}

Service Convenience::load_service(int64_t id, bool include_retired) const {
    auto row = host().query_one("SELECT * FROM convenience_services WHERE id = ?1", {id});
    if (!row || (!include_retired && (*row)["active"] != 1)) throw yz::ApiError(404, "service_not_found", "服务不存在或已停办");
    return service_from_row(*row);
}

std::shared_ptr<const Service> Convenience::cached_service(int64_t id) {
    uint64_t version = definitions_changed_.load(std::memory_order_acquire);  // before reading (see read_cache.hpp)
    int64_t now = host().now_ms();
    std::string key = std::to_string(id);
    auto s = services_cache_.get(key, version, now);
    if (!s) s = services_cache_.put(key, version, now, load_service(id, true));
    if (!s->active) throw yz::ApiError(404, "service_not_found", "服务不存在或已停办");
    return s;
}

std::shared_ptr<const yz::HolidayCalendar> Convenience::cached_calendar() {
    uint64_t version = definitions_changed_.load(std::memory_order_acquire);
    int64_t now = host().now_ms();
    if (auto cal = calendar_cache_.get("", version, now)) return cal;
    return calendar_cache_.put("", version, now, calendar());
}

std::optional<json> Convenience::find_booking(std::string_view where, const json& params) const {
    return host().query_one(std::string(kBookingSelect) + "WHERE " + std::string(where), params);
}

// Someone else's booking is "not found" rather than "forbidden": its existence is not theirs to know.
json Convenience::visible_booking(const yz::Request& req, int64_t id) const {
    auto row = find_booking("b.id = ?1", {id});
    const yz::Auth& who = req.auth();
    if (!row || ((*row)["user_id"] != who.user_id && (*row)["booked_by_user_id"] != who.user_id && !who.staff_here))
        throw yz::ApiError(404, "booking_not_found", "预约不存在");
    return *row;
}

json Convenience::own_booking(const yz::Request& req, int64_t id) const {
    auto row = find_booking("b.id = ?1", {id});
    if (!row || (*row)["user_id"] != req.auth().user_id) throw yz::ApiError(404, "booking_not_found", "预约不存在");
    return *row;
}

json Convenience::transition(const yz::Auth& actor, const json& booking, std::string_view action, const std::string& reason) {
    json verdict;
    try {
        verdict = host().workflow("transition", {{"workflow", kBookingWorkflow},
                                                 {"record_type", "booking"},
                                                 {"record_id", booking["id"]},
                                                 {"state", booking["state"]},
                                                 {"action", action},
                                                 {"actor", actor.actor()},
                                                 {"owner_user_id", booking["user_id"]},
                                                 {"reason", reason}});
    } catch (const yz::HostError& e) {
        json details = {{"state", booking["state"]}, {"action", action}};
        if (e.status() == YZ_CONFLICT) throw yz::ApiError(409, "invalid_transition", "预约当前的状态不能这样处理", details);
        if (e.status() == YZ_DENIED) throw yz::ApiError(403, "forbidden", "无权处理这条预约", details);
        if (e.status() == YZ_INVALID && reason.empty()) throw yz::ApiError(422, "reason_required", "请填写原因", details);
        throw;
    }
    host().exec("UPDATE convenience_bookings SET state = ?2, reason = CASE WHEN ?3 = '' THEN reason ELSE ?3 END, "
                "updated_at = ?4 WHERE id = ?1",
                {booking["id"], verdict["to"], reason, host().now_ms()});
    return *find_booking("b.id = ?1", json::array({booking["id"]}));
}

void Convenience::free_place(const json& booking) {
    host().capacity("release", {{"hold_id", booking["hold_id"]}});
    cancel_reminders(booking);
    offer_free_places(booking["service_id"], booking["slot_start"]);
}

void Convenience::notify_parties(const json& booking, int64_t actor, std::string_view template_key, const json& data) {
    for (const char* party : {"user_id", "booked_by_user_id"}) {
        const json& user = booking[party];
        if (user.is_number_integer() && user.get<int64_t>() != actor) host().notify(user.get<int64_t>(), template_key, data);
    }
}

}  // namespace convenience

YZ_STATION(convenience::Convenience, "convenience", "便民服务站", YZ_STATION_VERSION,
           "Residents book community services by time slot; staff run the day")
