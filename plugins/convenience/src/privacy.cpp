// SPDX-License-Identifier: MIT
// Chapter 14: a resident's data rights, the station's part of GET /me/export and DELETE /me.
//
// The export is everything kept about them here: bookings (their own, and those they made for
// someone as 代约, with the form answers), waitlist entries, ratings, family links, household and
// suspensions. Erasure runs inside the core's erasure transaction: bookings still ahead are
// cancelled and their places go back to the ledger (and on to whoever waits); waitlist entries
// are withdrawn; form answers and rating comments are wiped; family links are revoked; household
// membership and suspensions are removed. Past bookings and stars stay as counts: they name only
// a user id, which the core has just cut loose from the person.
#include <yz/rows.hpp>

#include "booking_view.hpp"
#include "station.hpp"

namespace convenience {

namespace {
// Instants as Beijing time and stored JSON text (form answers) as JSON, in every row.
json readable(json rows, std::initializer_list<const char*> times, std::initializer_list<const char*> texts) {
    rows = yz::beijing_times(std::move(rows), times);
    for (auto& row : rows)
        for (const char* t : texts)
            if (row[t].is_string()) row[t] = json::parse(row[t].get<std::string>(), nullptr, false);
    return rows;
}
}  // namespace

json Convenience::export_user(int64_t user_id) {
    json out = json::object();
    out["bookings"] = readable(
        host().query("SELECT b.id, s.name AS service, b.slot_start, b.slot_end, b.state, b.code, b.form, b.reason, "
                     "b.user_id, b.booked_by_user_id, b.relation, b.created_at FROM convenience_bookings b "
                     "JOIN convenience_services s ON s.id = b.service_id WHERE b.user_id = ?1 OR b.booked_by_user_id = ?1 ORDER BY b.id",
                     {user_id}),
        {"slot_start", "slot_end", "created_at"}, {"form"});
    out["waitlist"] = readable(host().query("SELECT w.id, s.name AS service, w.slot_start, w.state, w.form, w.created_at "
                                            "FROM convenience_waitlist w JOIN convenience_services s ON s.id = w.service_id "
                                            "WHERE w.user_id = ?1 ORDER BY w.id",
                                            {user_id}),
                               {"slot_start", "created_at"}, {"form"});
    out["ratings"] = readable(host().query("SELECT booking_id, stars, comment, visible, created_at FROM convenience_ratings "
                                           "WHERE user_id = ?1 ORDER BY id",
                                           {user_id}),
                              {"created_at"}, {});
    out["family_links"] = readable(host().query("SELECT member_user_id, elder_user_id, relation, state, created_at "
                                                "FROM convenience_family_links WHERE member_user_id = ?1 OR elder_user_id = ?1 ORDER BY id",
                                                {user_id}),
                                   {"created_at"}, {});
    out["household"] = host().query("SELECT h.name, m.added_at FROM convenience_household_members m "
                                    "JOIN convenience_households h ON h.id = m.household_id WHERE m.user_id = ?1",
                                    {user_id});
    out["suspensions"] = readable(host().query("SELECT starts_at, until, no_shows, lifted_at, lift_reason FROM convenience_suspensions "
                                               "WHERE user_id = ?1 ORDER BY id",
                                               {user_id}),
                                  {"starts_at", "until", "lifted_at"}, {});
    return out;
}

void Convenience::erase_user(int64_t user_id) {
    int64_t now = host().now_ms();
    host().tx([&] {
        for (const auto& booking : host().query(std::string(kBookingSelect) +
                                                    "WHERE b.user_id = ?1 AND b.state IN ('pending', 'confirmed') AND b.slot_start > ?2",
                                                {user_id, now})) {
            host().exec("UPDATE convenience_bookings SET state = 'cancelled', reason = '账户已注销', updated_at = ?2 WHERE id = ?1",
                        {booking["id"], now});
            free_place(booking);
            host().audit(yz::Auth{}, "booking.cancel_erased", "booking", std::to_string(booking["id"].get<int64_t>()));
        }
        for (const auto& entry : host().query("SELECT id, service_id, slot_start, state, hold_id, offer_job FROM convenience_waitlist "
                                              "WHERE user_id = ?1 AND state IN ('waiting', 'offered')",
                                              {user_id})) {
            host().exec("UPDATE convenience_waitlist SET state = 'left', updated_at = ?2 WHERE id = ?1", {entry["id"], now});
            if (entry["state"] != "offered") continue;
            host().capacity("release", {{"hold_id", entry["hold_id"]}});
            if (entry["offer_job"].is_number_integer()) host().cancel_job(entry["offer_job"].get<int64_t>());
            offer_free_places(entry["service_id"], entry["slot_start"]);
        }
        host().exec("UPDATE convenience_bookings SET form = '{}' WHERE user_id = ?1", {user_id});
        host().exec("UPDATE convenience_waitlist SET form = '{}' WHERE user_id = ?1", {user_id});
        host().exec("UPDATE convenience_ratings SET comment = '' WHERE user_id = ?1", {user_id});
        host().exec("UPDATE convenience_family_links SET state = 'revoked', updated_at = ?2 "
                    "WHERE (member_user_id = ?1 OR elder_user_id = ?1) AND state IN ('pending', 'confirmed')",
                    {user_id, now});
        host().exec("DELETE FROM convenience_household_members WHERE user_id = ?1", {user_id});
        host().exec("DELETE FROM convenience_suspensions WHERE user_id = ?1", {user_id});
    });
}

}  // namespace convenience
