// SPDX-License-Identifier: MIT
// Chapter 1: staff define services as data — a new service is a row, not a build — and everyone
// lists them. A retired service takes no new bookings; the ones it has stay.
#include "station.hpp"

namespace convenience {

void Convenience::list_services(yz::Request& req, yz::Response& res) {
    bool all = req.auth().staff_here && req.query("all").value_or("") == "1";
    std::string category = req.query("category").value_or("");
    json rows = host().query(
        "SELECT * FROM convenience_services WHERE (?1 = 1 OR active = 1) AND (?2 = '' OR category = ?2) "
        "ORDER BY active DESC, category, id",
        {all ? 1 : 0, category});
    json items = json::array();
    for (const auto& row : rows) items.push_back(service_summary(service_from_row(row)));
    res.json(200, {{"items", items}});
}

void Convenience::show_service(yz::Request& req, yz::Response& res) {
    res.json(200, service_detail(load_service(req.id_param("id"), req.auth().staff_here)));
}

void Convenience::create_service(yz::Request& req, yz::Response& res) {
    Service s = service_from_request(req.body(), host());
    int64_t now = host().now_ms();
    host().tx([&] {
        s.id = host().exec("INSERT INTO convenience_services(name, description, category, location, slot_minutes, capacity, "
                           "hours, rules, form, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)",
                           {s.name, s.description, s.category, s.location, s.slot_minutes, s.capacity, s.hours.to_json().dump(),
                            s.rules.to_json().dump(), s.form.dump(), now})
                   .last_insert_id;
        host().audit(req.auth(), "service.create", "service", std::to_string(s.id), {{"name", s.name}});
    });
    definitions_changed();
    res.json(201, service_detail(s));
}

// A changed capacity reaches the ledger with the slot's next booking (take_place redefines the
// resource each time); a lower one never cancels places already taken. A higher one gives the
// new places to the residents already waiting for a slot, in the same transaction.
// updated_at only ever grows, even for two changes within a millisecond: a booking checked
// against a cached reading of the service trusts that reading while updated_at is unchanged.
void Convenience::update_service(yz::Request& req, yz::Response& res) {
    int64_t id = req.id_param("id");
    Service s = service_from_request(req.body(), host());
    s.id = id;
    host().tx([&] {
        auto changed = host().exec(
            "UPDATE convenience_services SET name = ?2, description = ?3, category = ?4, location = ?5, slot_minutes = ?6, "
            "capacity = ?7, hours = ?8, rules = ?9, form = ?10, updated_at = max(?11, updated_at + 1) WHERE id = ?1",
            {id, s.name, s.description, s.category, s.location, s.slot_minutes, s.capacity, s.hours.to_json().dump(),
             s.rules.to_json().dump(), s.form.dump(), host().now_ms()});
        if (changed.changes == 0) throw yz::ApiError(404, "service_not_found", "服务不存在或已停办");
        s.active = (*host().query_one("SELECT active FROM convenience_services WHERE id = ?1", {id}))["active"] == 1;
        host().audit(req.auth(), "service.update", "service", std::to_string(id), {{"name", s.name}});
        for (const auto& row : host().query("SELECT DISTINCT slot_start FROM convenience_waitlist WHERE service_id = ?1 "
                                            "AND state = 'waiting' AND slot_start > ?2",
                                            {id, host().now_ms()}))
            offer_free_places(id, row["slot_start"]);
    });
    definitions_changed();
    res.json(200, service_detail(s));
}

void Convenience::retire_service(yz::Request& req, yz::Response& res) {
    int64_t id = req.id_param("id");
    host().tx([&] {
        auto changed = host().exec("UPDATE convenience_services SET active = 0, updated_at = max(?2, updated_at + 1) WHERE id = ?1 AND active = 1",
                                   {id, host().now_ms()});
        if (changed.changes == 0) throw yz::ApiError(404, "service_not_found", "服务不存在或已停办");
        host().audit(req.auth(), "service.retire", "service", std::to_string(id));
    });
    definitions_changed();
    res.json(200, {{"id", id}, {"active", false}});
}

}  // namespace convenience
