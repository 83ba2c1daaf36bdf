// SPDX-License-Identifier: MIT
#include "capacity.hpp"

#include <yz/plugin_abi.h>

namespace yz::capacity {
using nlohmann::json;

namespace {

// Releases this resource's lapsed holds so their places can be taken again.
int release_lapsed(Conn& c, const std::string& station, const std::string& resource, int64_t now) {
    auto up = c.prepare(
        "UPDATE core_capacity_holds SET state = 'released', released_at = ?3 "
        "WHERE station = ?1 AND resource = ?2 AND state = 'held' AND expires_at <= ?3");
    up->bind(1, station);
    up->bind(2, resource);
    up->bind(3, now);
    int n = up->exec();
    if (n > 0) {
        auto dec = c.prepare(
            "UPDATE core_capacity_resources SET taken = taken - ?3 WHERE station = ?1 AND resource = ?2");
        dec->bind(1, station);
        dec->bind(2, resource);
        dec->bind(3, n);
        dec->exec();
    }
    return n;
}

bool take_place(Conn& c, const std::string& station, const std::string& resource, int64_t now) {
    auto up = c.prepare(
        "UPDATE core_capacity_resources SET taken = taken + 1, updated_at = ?3 "
        "WHERE station = ?1 AND resource = ?2 AND taken < capacity");
    up->bind(1, station);
    up->bind(2, resource);
    up->bind(3, now);
    return up->exec() == 1;
}

int64_t remaining(Conn& c, const std::string& station, const std::string& resource) {
    auto q = c.prepare(
        "SELECT max(capacity - taken, 0) FROM core_capacity_resources WHERE station = ?1 AND resource = ?2");
    q->bind(1, station);
    q->bind(2, resource);
    return q->executeStep() ? q->getColumn(0).getInt64() : 0;
}

struct Hold {
    int64_t id;
    std::string resource, holder, state;
    int64_t expires_at;  // 0 = none
};

std::optional<Hold> load_hold(Conn& c, const char* where, const std::string& station, const json& key) {
    auto q = c.prepare(std::string("SELECT id, resource, holder, state, coalesce(expires_at, 0) FROM core_capacity_holds "
                                   "WHERE station = ?1 AND ") + where);
    q->bind(1, station);
    if (key.is_string()) q->bind(2, key.get<std::string>());
    else q->bind(2, key.get<int64_t>());
    if (!q->executeStep()) return std::nullopt;
    return Hold{q->getColumn(0).getInt64(), q->getColumn(1).getString(), q->getColumn(2).getString(),
                q->getColumn(3).getString(), q->getColumn(4).getInt64()};
}

std::string effective_state(const Hold& h, int64_t now) {
    return h.state == "held" && h.expires_at && h.expires_at <= now ? "released" : h.state;
}

}  // namespace

const char* outcome_name(Outcome o) {
    switch (o) {
        case Outcome::ok: return "ok";
        case Outcome::full: return "full";
        case Outcome::conflict: return "conflict";
        case Outcome::not_found: return "not_found";
        case Outcome::expired: return "expired";
    }
    return "ok";
}

void define(Conn& c, const std::string& station, const std::string& resource, int64_t capacity, int64_t now) {
    auto core = c.enter_core();
    c.write_tx([&] {
        auto up = c.prepare(
            "INSERT INTO core_capacity_resources(station, resource, capacity, taken, updated_at) VALUES (?1, ?2, ?3, 0, ?4) "
            "ON CONFLICT(station, resource) DO UPDATE SET capacity = excluded.capacity, updated_at = excluded.updated_at "
            "WHERE capacity != excluded.capacity");  // unchanged: no write
        up->bind(1, station);
        up->bind(2, resource);
        up->bind(3, capacity);
        up->bind(4, now);
        up->exec();
    });
}

Reservation reserve(Conn& c, const std::string& station, const std::string& resource, const std::string& holder,
                    const std::string& idem_key, int64_t hold_ms, int64_t now) {
    auto core = c.enter_core();
    return c.write_tx([&] {
        Reservation r;
        if (auto h = load_hold(c, "idem_key = ?2", station, idem_key)) {
            if (h->resource != resource || h->holder != holder) {
                r.outcome = Outcome::conflict;
                return r;
            }
            r.hold_id = h->id;
            r.state = effective_state(*h, now);
            r.replayed = true;
            r.remaining = remaining(c, station, resource);
            return r;
        }
        bool taken = take_place(c, station, resource, now);
        if (!taken && release_lapsed(c, station, resource, now) > 0) taken = take_place(c, station, resource, now);
        if (!taken) {
            auto q = c.prepare("SELECT 1 FROM core_capacity_resources WHERE station = ?1 AND resource = ?2");
            q->bind(1, station);
            q->bind(2, resource);
            r.outcome = q->executeStep() ? Outcome::full : Outcome::not_found;
            return r;
        }
        auto ins = c.prepare(
            "INSERT INTO core_capacity_holds(station, resource, holder, idem_key, state, expires_at, created_at) "
            "VALUES (?1, ?2, ?3, ?4, ?5, NULLIF(?6, 0), ?7)");
        ins->bind(1, station);
        ins->bind(2, resource);
        ins->bind(3, holder);
        ins->bind(4, idem_key);
        ins->bind(5, hold_ms > 0 ? "held" : "confirmed");
        ins->bind(6, hold_ms > 0 ? now + hold_ms : 0);
        ins->bind(7, now);
        ins->exec();
        r.hold_id = c.last_insert_id();
        r.state = hold_ms > 0 ? "held" : "confirmed";
        r.remaining = remaining(c, station, resource);
        return r;
    });
}

Reservation confirm(Conn& c, const std::string& station, int64_t hold_id, int64_t now) {
    auto core = c.enter_core();
    return c.write_tx([&] {
        Reservation r;
        r.hold_id = hold_id;
        auto h = load_hold(c, "id = ?2", station, hold_id);
        if (!h) {
            r.outcome = Outcome::not_found;
            return r;
        }
        std::string state = effective_state(*h, now);
        r.state = state;
        if (state == "confirmed") {
            r.replayed = true;
        } else if (state == "released") {
            // A hold whose time ran out (whether or not the sweep got to it yet) has expired.
            bool lapsed = h->expires_at != 0 && h->expires_at <= now;
            r.outcome = lapsed ? Outcome::expired : Outcome::conflict;
        } else {
            auto up = c.prepare("UPDATE core_capacity_holds SET state = 'confirmed', expires_at = NULL WHERE id = ?1");
            up->bind(1, hold_id);
            up->exec();
            r.state = "confirmed";
        }
        r.remaining = remaining(c, station, h->resource);
        return r;
    });
}

Reservation release(Conn& c, const std::string& station, int64_t hold_id, int64_t now) {
    auto core = c.enter_core();
    return c.write_tx([&] {
        Reservation r;
        r.hold_id = hold_id;
        auto h = load_hold(c, "id = ?2", station, hold_id);
        if (!h) {
            r.outcome = Outcome::not_found;
            return r;
        }
        if (h->state == "released") {
            r.state = "released";
            r.replayed = true;
        } else {
            auto up = c.prepare("UPDATE core_capacity_holds SET state = 'released', released_at = ?2 WHERE id = ?1");
            up->bind(1, hold_id);
            up->bind(2, now);
            up->exec();
            auto dec = c.prepare(
                "UPDATE core_capacity_resources SET taken = taken - 1 WHERE station = ?1 AND resource = ?2 AND taken > 0");
            dec->bind(1, station);
            dec->bind(2, h->resource);
            dec->exec();
            r.state = "released";
        }
        r.remaining = remaining(c, station, h->resource);
        return r;
    });
}

std::optional<Status> status(Conn& c, const std::string& station, const std::string& resource, int64_t now) {
    auto core = c.enter_core();
    auto q = c.prepare(
        "SELECT r.capacity, r.taken, (SELECT count(*) FROM core_capacity_holds h WHERE h.station = r.station "
        "AND h.resource = r.resource AND h.state = 'held' AND h.expires_at <= ?3) "
        "FROM core_capacity_resources r WHERE r.station = ?1 AND r.resource = ?2");
    q->bind(1, station);
    q->bind(2, resource);
    q->bind(3, now);
    if (!q->executeStep()) return std::nullopt;
    Status s;
    s.capacity = q->getColumn(0).getInt64();
    s.taken = q->getColumn(1).getInt64() - q->getColumn(2).getInt64();  // lapsed holds are free places
    s.remaining = std::max<int64_t>(0, s.capacity - s.taken);
    return s;
}

int sweep_expired(Conn& c, int64_t now) {
    auto core = c.enter_core();
    return c.write_tx([&] {
        auto q = c.prepare(
            "SELECT DISTINCT station, resource FROM core_capacity_holds WHERE state = 'held' AND expires_at <= ?1");
        q->bind(1, now);
        std::vector<std::pair<std::string, std::string>> resources;
        while (q->executeStep()) resources.emplace_back(q->getColumn(0).getString(), q->getColumn(1).getString());
        int n = 0;
        for (const auto& [station, resource] : resources) n += release_lapsed(c, station, resource, now);
        return n;
    });
}

namespace {
json reservation_json(const Reservation& r) {
    return json{{"outcome", outcome_name(r.outcome)}, {"hold_id", r.hold_id}, {"state", r.state},
                {"replayed", r.replayed}, {"remaining", r.remaining}};
}
int status_code(Outcome o) {
    switch (o) {
        case Outcome::ok: return YZ_OK;
        case Outcome::full: return YZ_FULL;
        case Outcome::conflict: return YZ_CONFLICT;
        case Outcome::expired: return YZ_CONFLICT;
        case Outcome::not_found: return YZ_NOT_FOUND;
    }
    return YZ_ERROR;
}
bool valid_name(const json& v) { return v.is_string() && !v.get_ref<const std::string&>().empty() && v.get_ref<const std::string&>().size() <= 200; }
}  // namespace

int handle_op(Conn& c, const std::string& station, const std::string& op, const json& a, int64_t now,
              json& result, std::string& error) {
    if (!a.is_object()) {
        error = "capacity: arguments must be an object";
        return YZ_INVALID;
    }
    auto need = [&](const char* field, bool ok) {
        if (!ok) error = std::string("capacity.") + op + ": '" + field + "' is missing or invalid";
        return ok;
    };
    if (op == "define") {
        if (!need("resource", valid_name(a.value("resource", json()))) ||
            !need("capacity", a.contains("capacity") && a["capacity"].is_number_integer() && a["capacity"].get<int64_t>() >= 0))
            return YZ_INVALID;
        define(c, station, a["resource"], a["capacity"], now);
        result = json{{"resource", a["resource"]}, {"capacity", a["capacity"]}};
        return YZ_OK;
    }
    if (op == "reserve") {
        if (!need("resource", valid_name(a.value("resource", json()))) || !need("key", valid_name(a.value("key", json()))) ||
            !need("holder", valid_name(a.value("holder", json()))))
            return YZ_INVALID;
        int64_t hold_s = a.value("hold_seconds", int64_t{0});
        if (!need("hold_seconds", hold_s >= 0 && hold_s <= 7 * 86400)) return YZ_INVALID;
        Reservation r = reserve(c, station, a["resource"], a["holder"], a["key"], hold_s * 1000, now);
        result = reservation_json(r);
        return status_code(r.outcome);
    }
    if (op == "confirm" || op == "release") {
        if (!need("hold_id", a.contains("hold_id") && a["hold_id"].is_number_integer())) return YZ_INVALID;
        Reservation r = op == "confirm" ? confirm(c, station, a["hold_id"], now) : release(c, station, a["hold_id"], now);
        result = reservation_json(r);
        return status_code(r.outcome);
    }
    if (op == "status") {
        if (!need("resource", valid_name(a.value("resource", json())))) return YZ_INVALID;
        auto s = status(c, station, a["resource"], now);
        if (!s) {
            error = "capacity.status: no such resource";
            return YZ_NOT_FOUND;
        }
        result = json{{"capacity", s->capacity}, {"taken", s->taken}, {"remaining", s->remaining}};
        return YZ_OK;
    }
    error = "capacity: unknown op '" + op + "' (define, reserve, confirm, release, status)";
    return YZ_INVALID;
}

}  // namespace yz::capacity
