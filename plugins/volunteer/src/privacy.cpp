// SPDX-License-Identifier: MIT
// Chapter 13: a volunteer's data rights, the station's part of GET /me/export and DELETE /me.
//
// The export is everything kept about them here: registration (real name, birth date, skills),
// trainings, 双报到 declarations, claims, attendance, hours records, points and orders, and
// certificates. Erasure runs inside the core's erasure transaction: the registration, trainings
// and declarations go; claims not yet served are withdrawn and their spots freed; a unit they
// spoke for loses its contact; certificates keep their figures but no longer name them (the
// public check shows 已注销). The hours and points ledgers stay as they are — append-only, they
// name only a user id, which the core has just cut loose from the person.
#include <yz/rows.hpp>

#include "station.hpp"

namespace volunteer {

json Volunteer::export_user(int64_t user_id) {
    json out = json::object();
    auto registration = host().query_one("SELECT real_name, birth_date, skills, registered_at FROM volunteer_volunteers WHERE user_id = ?1",
                                         {user_id});
    out["registration"] = registration ? yz::beijing_times(json::array({*registration}), {"registered_at"})[0] : json(nullptr);
    out["trainings"] = host().query("SELECT training FROM volunteer_trainings WHERE user_id = ?1", {user_id});
    out["declarations"] = yz::beijing_times(host().query("SELECT d.year, u.name AS unit, d.in_service, d.public_org, d.declared_at "
                                                "FROM volunteer_declarations d LEFT JOIN volunteer_units u ON u.id = d.unit_id "
                                                "WHERE d.user_id = ?1 ORDER BY d.year",
                                                {user_id}),
                                   {"declared_at"});
    out["claims"] = yz::beijing_times(host().query("SELECT c.id, j.title AS project, p.role AS post, c.state, c.reason, c.created_at "
                                          "FROM volunteer_claims c JOIN volunteer_posts p ON p.id = c.post_id "
                                          "JOIN volunteer_projects j ON j.id = p.project_id WHERE c.user_id = ?1 ORDER BY c.id",
                                          {user_id}),
                             {"created_at"});
    out["attendance"] = yz::beijing_times(host().query("SELECT post_id, place, checked_in_at, in_method, checked_out_at, out_method "
                                              "FROM volunteer_attendance WHERE user_id = ?1 ORDER BY id",
                                              {user_id}),
                                 {"checked_in_at", "checked_out_at"});
    out["hours"] = yz::beijing_times(host().query("SELECT record_id, project_id, service_date, minutes, status, source, logged_at "
                                         "FROM volunteer_hour_records WHERE user_id = ?1 ORDER BY record_id",
                                         {user_id}),
                            {"logged_at"});
    out["points"] = yz::beijing_times(host().query("SELECT delta, kind, note, created_at FROM volunteer_points WHERE user_id = ?1 ORDER BY id", {user_id}),
                             {"created_at"});
    out["orders"] = yz::beijing_times(host().query("SELECT o.id, i.name AS item, o.points, o.state, o.created_at FROM volunteer_orders o "
                                          "JOIN volunteer_shop_items i ON i.id = o.item_id WHERE o.user_id = ?1 ORDER BY o.id",
                                          {user_id}),
                             {"created_at"});
    out["certificates"] = yz::beijing_times(host().query("SELECT code, holder_name, minutes, period_from, period_to, issuer, issued_at "
                                                "FROM volunteer_certificates WHERE user_id = ?1 ORDER BY id",
                                                {user_id}),
                                   {"issued_at"});
    return out;
}

void Volunteer::erase_user(int64_t user_id) {
    int64_t now = host().now_ms();
    host().tx([&] {
        for (const auto& claim : host().query("SELECT c.id, c.hold_id, c.reminder_job FROM volunteer_claims c "
                                              "JOIN volunteer_posts p ON p.id = c.post_id WHERE c.user_id = ?1 "
                                              "AND c.state IN ('pending', 'approved') AND (p.ends_at IS NULL OR p.ends_at > ?2)",
                                              {user_id, now})) {
            host().exec("UPDATE volunteer_claims SET state = 'withdrawn', reason = '账户已注销', updated_at = ?2 WHERE id = ?1",
                        {claim["id"], now});
            host().capacity("release", {{"hold_id", claim["hold_id"]}});
            if (claim["reminder_job"].is_number_integer()) host().cancel_job(claim["reminder_job"].get<int64_t>());
        }
        host().exec("DELETE FROM volunteer_volunteers WHERE user_id = ?1", {user_id});
        host().exec("DELETE FROM volunteer_trainings WHERE user_id = ?1", {user_id});
        host().exec("DELETE FROM volunteer_declarations WHERE user_id = ?1", {user_id});
        host().exec("UPDATE volunteer_units SET contact_user_id = NULL WHERE contact_user_id = ?1", {user_id});
        host().exec("UPDATE volunteer_certificates SET holder_name = '已注销' WHERE user_id = ?1", {user_id});
    });
}

}  // namespace volunteer
