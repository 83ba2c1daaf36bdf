// SPDX-License-Identifier: MIT
// Chapter 3: 双报到. Staff register the reporting units and the person who speaks for each one
// (the unit_contact role itself is granted by an admin in the core; here the station records
// which unit that person represents). Party members declare, once a year, which unit they come
// from, whether they are in service, and the public-interest organisation they joined if any —
// the facts the year-end compliance report is computed from.
#include <yz/calendar.hpp>
#include <yz/time_format.hpp>

#include "body_reader.hpp"
#include "station.hpp"

namespace volunteer {

namespace {
json declaration_json(const json& row) {
    return {{"year", row.at("year")},
            {"unit", row.at("unit_id").is_null() ? json(nullptr) : json{{"id", row.at("unit_id")}, {"name", row.at("unit_name")}}},
            {"in_service", row.at("in_service") == 1},
            {"public_org", row.at("public_org")},
            {"declared_at", yz::iso8601_beijing(row.at("declared_at").get<int64_t>())},
            {"updated_at", yz::iso8601_beijing(row.at("updated_at").get<int64_t>())}};
}

constexpr const char* kDeclarationSelect =
    "SELECT d.*, u.name AS unit_name FROM volunteer_declarations d LEFT JOIN volunteer_units u ON u.id = d.unit_id ";
}  // namespace

void Volunteer::list_units(yz::Request& req, yz::Response& res) {
    // Residents pick their unit from this list; who speaks for a unit is for staff to see.
    bool staff = req.auth().staff_here;
    json items = json::array();
    for (const auto& row : host().query("SELECT u.*, p.display_name AS contact_name FROM volunteer_units u "
                                        "LEFT JOIN pub_users p ON p.id = u.contact_user_id ORDER BY u.name")) {
        json u = {{"id", row["id"]}, {"name", row["name"]}};
        if (staff) u["contact"] = row["contact_user_id"].is_null() ? json(nullptr)
                                                                   : json{{"user_id", row["contact_user_id"]}, {"display_name", row["contact_name"]}};
        items.push_back(std::move(u));
    }
    res.json(200, {{"items", items}});
}

namespace {
struct UnitFields {
    std::string name;
    json contact;  // user id or null
};
UnitFields unit_from_request(const json& body, const yz::Host& host) {
    BodyReader in(body);
    UnitFields u;
    u.name = in.text("name", 60, true);
    auto contact = in.integer("contact_user_id", 1, INT64_MAX, false);
    if (contact && !host.query_one("SELECT id FROM pub_users WHERE id = ?1", {*contact})) in.problem("contact_user_id", "没有这个用户");
    in.done("invalid_unit", "单位信息有误");
    u.contact = contact ? json(*contact) : json(nullptr);
    return u;
}
int64_t save_unit(const yz::Host& host, std::optional<int64_t> id, const UnitFields& u) {
    try {
        if (id) {
            if (host.exec("UPDATE volunteer_units SET name = ?2, contact_user_id = ?3, updated_at = ?4 WHERE id = ?1",
                          {*id, u.name, u.contact, host.now_ms()})
                    .changes == 0)
                throw yz::ApiError(404, "unit_not_found", "单位不存在");
            return *id;
        }
        return host.exec("INSERT INTO volunteer_units(name, contact_user_id, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)",
                         {u.name, u.contact, host.now_ms()})
            .last_insert_id;
    } catch (const yz::HostError& e) {
        if (e.status() == YZ_CONFLICT) throw yz::ApiError(409, "unit_exists", "已有同名单位", {{"name", u.name}});
        throw;
    }
}
}  // namespace

void Volunteer::create_unit(yz::Request& req, yz::Response& res) {
    UnitFields u = unit_from_request(req.body(), host());
    int64_t id = 0;
    host().tx([&] {
        id = save_unit(host(), std::nullopt, u);
        host().audit(req.auth(), "unit.create", "unit", std::to_string(id), {{"name", u.name}, {"contact_user_id", u.contact}});
    });
    res.json(201, {{"id", id}, {"name", u.name}, {"contact_user_id", u.contact}});
}

void Volunteer::update_unit(yz::Request& req, yz::Response& res) {
    int64_t id = req.id_param("id");
    UnitFields u = unit_from_request(req.body(), host());
    host().tx([&] {
        save_unit(host(), id, u);
        host().audit(req.auth(), "unit.update", "unit", std::to_string(id), {{"name", u.name}, {"contact_user_id", u.contact}});
    });
    res.json(200, {{"id", id}, {"name", u.name}, {"contact_user_id", u.contact}});
}

void Volunteer::show_declaration(yz::Request& req, yz::Response& res) {
    int64_t year = int_query(req, "year", yz::beijing_date(host().now_ms()).year());
    auto row = host().query_one(std::string(kDeclarationSelect) + "WHERE d.user_id = ?1 AND d.year = ?2", {req.auth().user_id, year});
    if (!row) throw yz::ApiError(404, "not_declared", "您还没有报到", {{"year", year}});
    res.json(200, declaration_json(*row));
}

void Volunteer::declare(yz::Request& req, yz::Response& res) {
    BodyReader in(req.body());
    int64_t year = in.integer("year", 2000, 2100, false).value_or(yz::beijing_date(host().now_ms()).year());
    auto unit = in.integer("unit_id", 1, INT64_MAX, false);
    bool in_service = in.flag("in_service", false);
    if (!in.has("in_service")) in.problem("in_service", "必填");
    std::string public_org = in.text("public_org", 60, false);
    if (in_service && !unit) in.problem("unit_id", "在职党员须填写所在单位");
    if (unit && !host().query_one("SELECT id FROM volunteer_units WHERE id = ?1", {*unit})) in.problem("unit_id", "没有这个单位");
    in.done("invalid_declaration", "报到信息有误");
    int64_t uid = req.auth().user_id;
    json row;
    host().tx([&] {
        host().exec("INSERT INTO volunteer_declarations(user_id, year, unit_id, in_service, public_org, declared_at, updated_at) "
                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6) ON CONFLICT(user_id, year) DO UPDATE SET unit_id = excluded.unit_id, "
                    "in_service = excluded.in_service, public_org = excluded.public_org, updated_at = excluded.updated_at",
                    {uid, year, unit ? json(*unit) : json(), in_service ? 1 : 0, public_org, host().now_ms()});
        host().audit(req.auth(), "declaration.save", "declaration", std::to_string(uid) + ":" + std::to_string(year),
                     {{"unit_id", unit ? json(*unit) : json()}, {"in_service", in_service}});
        row = *host().query_one(std::string(kDeclarationSelect) + "WHERE d.user_id = ?1 AND d.year = ?2", {uid, year});
    });
    res.json(200, declaration_json(row));
}

}  // namespace volunteer
