// SPDX-License-Identifier: MIT
// 便民服务站 (convenience): residents book a place in a service's time slot — 社保认证, 老年证办理,
// 法律咨询, 理发, 家电维修 — and staff run the day. Services, opening hours, rules and intake forms
// are data staff edit (no rebuild); the core lends the capacity ledger, forms, workflow,
// notifications, durable jobs and audit.
//
// The story, a file per chapter:
//   services_routes.cpp     staff define services; everyone lists them
//   calendar_routes.cpp     staff load the holiday calendar (holidays and 调休 working days)
//   slots_routes.cpp        anyone sees a service's slots and the places left
//   booking_routes.cpp      a resident books a place: rules, form, ledger, notice, reminders
//   eligibility.cpp         the rules every new place passes: one per slot, suspension, quotas
//   proxy.cpp               代约: a grid member or confirmed family member books for a resident
//   family_routes.cpp       residents register family members; the elder confirms
//   household_routes.cpp    staff register households, which share a household quota
//   my_bookings_routes.cpp  residents see and cancel their own bookings
//   reschedule_routes.cpp   a booking moves to another slot: the new place first, then the old freed
//   waitlist.cpp            a freed place is offered to the next waiting resident, with a deadline
//   waitlist_routes.cpp     residents join the waitlist, confirm an offer or leave
//   desk_routes.cpp         staff: day sheet, approve/reject, check-in by code, completed, no-show
//   booking_list_routes.cpp staff: bookings across services (the approvals queue)
//   suspensions.cpp         too many no-shows suspend booking for a while; staff may lift it
//   rating_routes.cpp       after completion the resident rates the service; comments screened
//   export_routes.cpp       staff export bookings and ratings as CSV for Excel
//   stats_routes.cpp        staff: month by month bookings, capacity, no-shows, ratings
//   reminders.cpp           reminders 24 h and 1 h before, as durable jobs
// Threads: handlers run concurrently; the station keeps no state of its own after init (the
// policy is read once there), so every decision is made from the database inside a transaction.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <yz/holidays.hpp>
#include <yz/plugin.hpp>
#include <yz/read_cache.hpp>

#include "service_spec.hpp"
#include "slots.hpp"
#include "station_policy.hpp"

namespace convenience {

using yz::json;

// Whom a booking is for, and who made it when that is someone else (代约).
struct OnBehalf {
    int64_t resident_id = 0;
    int64_t proxy_id = 0;  // 0: the resident booked themselves
    std::string relation;  // "子女", "网格员"... when proxy_id is set
};

class Convenience : public yz::Station {
public:
    void init(yz::Host& host, const json& config) override;

private:
    // services_routes.cpp
    void list_services(yz::Request& req, yz::Response& res);
    void show_service(yz::Request& req, yz::Response& res);
    void create_service(yz::Request& req, yz::Response& res);
    void update_service(yz::Request& req, yz::Response& res);
    void retire_service(yz::Request& req, yz::Response& res);
    // calendar_routes.cpp
    void show_calendar(yz::Request& req, yz::Response& res);
    void replace_calendar(yz::Request& req, yz::Response& res);
    void seed_calendar(const json& config);
    // demo_seed.cpp: three bookable services for tools/run, into an empty station only.
    void seed_demo();
    // slots_routes.cpp
    void list_slots(yz::Request& req, yz::Response& res);
    // booking_routes.cpp
    void book(yz::Request& req, yz::Response& res);
    // What a booking request asks for, checked against one reading of its service: the slot, the
    // booking window, who it is for, the form answers. Throws the refusal.
    struct BookingAsk {
        Slot slot;
        OnBehalf whom;
        json answers;
        std::string stored_key;  // the Idempotency-Key, in the proxy's namespace for 代约
    };
    BookingAsk checked_ask(const Service& s, const yz::Auth& who, const json& body, const std::string& idem_key);
    Slot requested_slot(const Service& service, const json& body);  // or 400 / 422 slot_unavailable
    // A place in the slot's ledger resource under `key`: confirmed (hold_seconds 0) or held.
    // nullopt when the slot is full. Inside host().tx.
    std::optional<int64_t> reserve_place(const Service& service, int64_t start, int64_t user_id, const std::string& key,
                                         int64_t hold_seconds = 0);
    int64_t take_place(const Service& service, int64_t start, int64_t user_id, const std::string& key);  // or 409 slot_full
    // The slot is full and this request has no booking in it (is not the retry of one that got
    // in): a refusal decided on a cached reading, outside any transaction. False is only a hint.
    bool refused_as_full(const Service& service, const BookingAsk& ask);
    // Writes the booking, come to its slot now, and sees the slot's reminders scheduled.
    int64_t insert_booking(const Service& service, const Slot& slot, const OnBehalf& whom, const std::string& idem_key,
                           const json& answers, int64_t hold_id);
    // Queues "booked" for the resident (and "proxy_booked" for whoever booked for them).
    void announce_booking(const json& booking);
    // eligibility.cpp — each inside host().tx; `moving` is a booking being rescheduled (0: none).
    void check_can_book(const Service& service, int64_t start, int64_t user_id, int64_t moving = 0);
    void refuse_second_booking(const Service& service, int64_t start, int64_t user_id, int64_t moving);
    void enforce_quota(const Service& service, const Quota& quota, int64_t start, int64_t user_id, const char* scope,
                       int64_t moving);
    void refuse_queue_jump(const Service& service, int64_t start);  // 409 slot_full while residents wait
    // proxy.cpp
    OnBehalf on_behalf(const Service& service, const yz::Auth& who, const json& body) const;
    // family_routes.cpp
    void request_family_link(yz::Request& req, yz::Response& res);
    void my_family_links(yz::Request& req, yz::Response& res);
    void confirm_family_link(yz::Request& req, yz::Response& res);
    void revoke_family_link(yz::Request& req, yz::Response& res);
    // household_routes.cpp
    void create_household(yz::Request& req, yz::Response& res);
    void update_household(yz::Request& req, yz::Response& res);
    void show_household(yz::Request& req, yz::Response& res);
    void save_household_members(int64_t household_id, const json& members);
    json household_json(int64_t household_id) const;
    // my_bookings_routes.cpp
    void my_bookings(yz::Request& req, yz::Response& res);
    void my_proxy_bookings(yz::Request& req, yz::Response& res);
    void show_booking(yz::Request& req, yz::Response& res);
    void cancel_booking(yz::Request& req, yz::Response& res);
    // reschedule_routes.cpp
    void reschedule(yz::Request& req, yz::Response& res);
    // waitlist.cpp — inside host().tx
    void offer_free_places(int64_t service_id, int64_t start);  // to the waiting residents, in order
    void expire_offer(const json& entry);                        // gives the place to the next one
    void lapse_offer(const json& payload);                       // the offer's job, at its deadline
    json waitlist_entry(const yz::Request& req, int64_t id) const;  // the caller's own, else 404
    json waitlist_json(const json& entry) const;
    // waitlist_routes.cpp
    void join_waitlist(yz::Request& req, yz::Response& res);
    void my_waitlist(yz::Request& req, yz::Response& res);
    void confirm_offer(yz::Request& req, yz::Response& res);
    void leave_waitlist(yz::Request& req, yz::Response& res);
    // desk_routes.cpp
    void day_sheet(yz::Request& req, yz::Response& res);
    void approve(yz::Request& req, yz::Response& res);
    void reject(yz::Request& req, yz::Response& res);
    void check_in(yz::Request& req, yz::Response& res);
    void complete(yz::Request& req, yz::Response& res);
    void no_show(yz::Request& req, yz::Response& res);
    // booking_list_routes.cpp
    void list_bookings(yz::Request& req, yz::Response& res);
    // suspensions.cpp
    void refuse_if_suspended(int64_t user_id) const;                   // 422 suspended, with until when
    void apply_no_show_policy(const yz::Auth& who, int64_t user_id);  // after a no-show; inside host().tx
    void list_suspensions(yz::Request& req, yz::Response& res);
    void lift_suspension(yz::Request& req, yz::Response& res);
    // rating_routes.cpp
    void rate(yz::Request& req, yz::Response& res);
    void service_ratings(yz::Request& req, yz::Response& res);
    void ratings_for_review(yz::Request& req, yz::Response& res);
    void release_rating(yz::Request& req, yz::Response& res);
    // export_routes.cpp
    void export_bookings(yz::Request& req, yz::Response& res);
    void export_ratings(yz::Request& req, yz::Response& res);
    // stats_routes.cpp
    void monthly_stats(yz::Request& req, yz::Response& res);
    // Places the services' opening hours offered per Beijing month in [first, end), "YYYY-MM" -> places.
    std::map<std::string, int64_t> monthly_capacity(yz::Date first, yz::Date end) const;
    // privacy.cpp: the station's part of a resident's export and erasure
    json export_user(int64_t user_id);
    void erase_user(int64_t user_id);
    // reminders.cpp. Call schedule_slot_reminders where a booking comes to a slot (and set its
    // slot_since); cancel_reminders where one leaves it (only bookings from before have jobs).
    void schedule_slot_reminders(int64_t service_id, int64_t start);
    void send_slot_reminders(const json& payload);
    void remind(const json& booking, const std::string& lead);
    void cancel_reminders(const json& booking);
    void send_reminder(const json& payload);

    // station.cpp: what every chapter looks up.
    Service load_service(int64_t id, bool include_retired) const;  // or 404 service_not_found
    yz::HolidayCalendar calendar() const;
    // The same, parsed once per change of the services or the calendar made here, and for a second
    // at most (yz::ReadCache's rule; a change made by another process): for checks that may refuse
    // on a read. What a transaction decides on is read afresh. Bookings, far more frequent than
    // such changes, leave the readings be.
    std::shared_ptr<const Service> cached_service(int64_t id);
    std::shared_ptr<const yz::HolidayCalendar> cached_calendar();
    // Counts a committed change of a service or of the calendar: call it after the transaction.
    void definitions_changed() { definitions_changed_.fetch_add(1, std::memory_order_release); }
    std::optional<json> find_booking(std::string_view where, const json& params) const;
    json visible_booking(const yz::Request& req, int64_t id) const;  // owner, its proxy or staff, else 404
    json own_booking(const yz::Request& req, int64_t id) const;      // the resident's own, else 404
    // Moves a booking along the workflow (the core checks and audits), records the new state and
    // returns the booking as it now is. Must run inside host().tx.
    json transition(const yz::Auth& actor, const json& booking, std::string_view action, const std::string& reason);
    // Gives the booking's place back to the ledger, drops its reminders and offers the place to
    // the slot's waitlist. Inside host().tx.
    void free_place(const json& booking);
    // Tells the booking's resident and its proxy (if any) — except `actor`, who already knows.
    void notify_parties(const json& booking, int64_t actor, std::string_view template_key, const json& data);

    StationPolicy policy_;
    // Slot listings by (service, from, to): the page every resident opens, read far more than booked.
    yz::ReadCache slots_cache_;
    std::atomic<uint64_t> definitions_changed_{0};  // what services_cache_ and calendar_cache_ are versioned by
    yz::BasicReadCache<Service> services_cache_;
    yz::BasicReadCache<yz::HolidayCalendar> calendar_cache_{1};
    // One reading of a slot: the places its ledger counts and whose keys booked it. A full slot
    // refuses a burst of residents from here; two weeks of a busy service's slots fit.
    struct SlotReading {
        int64_t taken = 0;
        std::vector<std::pair<int64_t, std::string>> bookings;  // (resident, stored Idempotency-Key)
        bool bookings_read = false;                              // only for a slot full when read
    };
    yz::BasicReadCache<SlotReading> slot_readings_{4096};
};

}  // namespace convenience
