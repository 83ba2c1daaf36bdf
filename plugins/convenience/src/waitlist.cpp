// SPDX-License-Identifier: MIT
// The waitlist's engine. Whenever a place in a slot comes free — a cancel, a rejection, a staff
// cancel, a reschedule away, an offer declined or lapsed — the transaction that freed it also
// offers it to the residents waiting for that slot, first come first served: the place is held for
// the next one in the capacity ledger (reserve with hold_seconds), so nobody else can take it,
// and they are told the deadline in Beijing time. A durable job at the deadline releases an
// unconfirmed hold and offers the place to the next (also after a restart). Because freeing and
// offering commit together under the write lock, a freed place goes to exactly one resident.
#include <algorithm>

#include <yz/calendar.hpp>
#include <yz/time_format.hpp>

#include "booking_view.hpp"
#include "station.hpp"

namespace convenience {

namespace {
// An offer shorter than this is no use to anyone: the slot is about to begin.
constexpr int64_t kShortestOfferSeconds = 60;

constexpr const char* kEntrySelect =
    "SELECT w.id, w.service_id, w.user_id, w.slot_start, w.slot_end, w.state, w.form, w.hold_id, w.offer_expires_at, "
    "w.offer_job, w.booking_id, w.created_at, s.name AS service_name, s.location, s.category, "
    "(SELECT count(*) FROM convenience_waitlist a WHERE a.service_id = w.service_id AND a.slot_start = w.slot_start "
    "AND a.state = 'waiting' AND a.id <= w.id) AS position FROM convenience_waitlist w "
    "JOIN convenience_services s ON s.id = w.service_id ";
}  // namespace

void Convenience::offer_free_places(int64_t service_id, int64_t start) {
    int64_t now = host().now_ms();
    int64_t deadline = std::min(now + policy_.waitlist_hold_minutes * yz::kMinuteMs, start);
    int64_t hold_seconds = (deadline - now) / 1000;
    if (hold_seconds < kShortestOfferSeconds) return;
    int64_t expires = now + hold_seconds * 1000;  // exactly what the ledger will hold it until
    std::optional<Service> s;
    while (auto next = host().query_one(std::string(kEntrySelect) + "WHERE w.service_id = ?1 AND w.slot_start = ?2 "
                                                                    "AND w.state = 'waiting' ORDER BY w.id LIMIT 1",
                                        {service_id, start})) {
        if (!s) s = load_service(service_id, true);
        int64_t id = (*next)["id"];
        int64_t user = (*next)["user_id"];
        auto hold = reserve_place(*s, start, user, "offer:" + std::to_string(id), hold_seconds);
        if (!hold) return;  // no free place (yet)
        int64_t job = host().schedule("offer_lapse", expires, {{"entry_id", id}}, "offer:" + std::to_string(id));
        host().exec("UPDATE convenience_waitlist SET state = 'offered', hold_id = ?2, offer_expires_at = ?3, offer_job = ?4, "
                    "updated_at = ?5 WHERE id = ?1",
                    {id, *hold, expires, job, now});
        host().notify(user, "convenience.waitlist_offer",
                      {{"entry_id", id},
                       {"service", (*next)["service_name"]},
                       {"location", (*next)["location"]},
                       {"time", local_span(start, (*next)["slot_end"].get<int64_t>())},
                       {"start", yz::iso8601_beijing(start)},
                       {"deadline", yz::iso8601_beijing(expires)},
                       {"deadline_time", local_minute(expires)}});
        host().audit(yz::Auth{}, "waitlist.offer", "waitlist", std::to_string(id), {{"deadline", yz::iso8601_beijing(expires)}});
    }
}

// The hold goes back to the ledger (a no-op if the core's sweep got there first) and on to the
// next resident waiting.
void Convenience::expire_offer(const json& entry) {
    int64_t id = entry["id"];
    host().capacity("release", {{"hold_id", entry["hold_id"]}});
    host().exec("UPDATE convenience_waitlist SET state = 'lapsed', updated_at = ?2 WHERE id = ?1", {id, host().now_ms()});
    host().notify(entry["user_id"], "convenience.waitlist_lapsed",
                  {{"entry_id", id},
                   {"service", entry["service_name"]},
                   {"time", local_span(entry["slot_start"].get<int64_t>(), entry["slot_end"].get<int64_t>())},
                   {"start", yz::iso8601_beijing(entry["slot_start"].get<int64_t>())}});
    host().audit(yz::Auth{}, "waitlist.lapse", "waitlist", std::to_string(id));
    offer_free_places(entry["service_id"], entry["slot_start"]);
}

// Idempotent: an offer already confirmed, declined or lapsed is left alone.
void Convenience::lapse_offer(const json& payload) {
    int64_t id = payload.at("entry_id").get<int64_t>();
    host().tx([&] {
        auto entry = host().query_one(std::string(kEntrySelect) + "WHERE w.id = ?1", {id});
        if (!entry || (*entry)["state"] != "offered" || (*entry)["offer_expires_at"].get<int64_t>() > host().now_ms()) return;
        expire_offer(*entry);
    });
}

json Convenience::waitlist_entry(const yz::Request& req, int64_t id) const {
    auto entry = host().query_one(std::string(kEntrySelect) + "WHERE w.id = ?1 AND w.user_id = ?2", {id, req.auth().user_id});
    if (!entry) throw yz::ApiError(404, "waitlist_entry_not_found", "候补记录不存在");
    return *entry;
}

json Convenience::waitlist_json(const json& entry) const {
    int64_t start = entry["slot_start"], end = entry["slot_end"];
    std::string state = entry["state"];
    if (state == "waiting" && start <= host().now_ms()) state = "expired";  // the slot began before a place came free
    return {{"id", entry["id"]},
            {"state", state},
            {"service", {{"id", entry["service_id"]}, {"name", entry["service_name"]}, {"location", entry["location"]},
                         {"category", entry["category"]}}},
            {"start", yz::iso8601_beijing(start)},
            {"end", yz::iso8601_beijing(end)},
            {"time", local_span(start, end)},
            {"position", state == "waiting" ? entry["position"] : json(nullptr)},
            {"offer_deadline", state == "offered" ? json(yz::iso8601_beijing(entry["offer_expires_at"].get<int64_t>())) : json(nullptr)},
            {"booking_id", entry["booking_id"]},
            {"created_at", yz::iso8601_beijing(entry["created_at"].get<int64_t>())}};
}

}  // namespace convenience
