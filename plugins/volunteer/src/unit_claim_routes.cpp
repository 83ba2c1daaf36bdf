// SPDX-License-Identifier: MIT
// Chapter 5: a unit claims a project. Under 双报到 every reporting unit's party organisation
// claims and completes at least one project a year. Its contact person (role unit_contact, linked
// to the unit by staff) claims a unit-claimable open project for the unit; staff mark the claim
// completed when the work is done, which is what the unit's compliance counts.
#include <yz/time_format.hpp>

#include "body_reader.hpp"
#include "station.hpp"
#include "workflows.hpp"

namespace volunteer {

namespace {
constexpr const char* kUnitClaimSelect =
    "SELECT c.*, j.title AS project_title, j.year, u.name AS unit_name FROM volunteer_unit_claims c "
    "JOIN volunteer_projects j ON j.id = c.project_id JOIN volunteer_units u ON u.id = c.unit_id ";

json unit_claim_json(const json& row) {
    return {{"id", row.at("id")},
            {"state", row.at("state")},
            {"reason", row.at("reason")},
            {"project", {{"id", row.at("project_id")}, {"title", row.at("project_title")}, {"year", row.at("year")}}},
            {"unit", {{"id", row.at("unit_id")}, {"name", row.at("unit_name")}}},
            {"claimed_by", row.at("claimed_by")},
            {"created_at", yz::iso8601_beijing(row.at("created_at").get<int64_t>())},
            {"updated_at", yz::iso8601_beijing(row.at("updated_at").get<int64_t>())}};
}
}  // namespace

json Volunteer::unit_of_contact(int64_t user_id) const {
    auto unit = host().query_one("SELECT * FROM volunteer_units WHERE contact_user_id = ?1 ORDER BY id LIMIT 1", {user_id});
    if (!unit) throw yz::ApiError(403, "not_unit_contact", "您还不是任何报到单位的联系人，请联系工作站登记");
    return *unit;
}

void Volunteer::my_unit(yz::Request& req, yz::Response& res) {
    json unit = unit_of_contact(req.auth().user_id);
    json claims = json::array();
    for (const auto& row : host().query(std::string(kUnitClaimSelect) + "WHERE c.unit_id = ?1 ORDER BY c.id DESC", json::array({unit["id"]})))
        claims.push_back(unit_claim_json(row));
    res.json(200, {{"unit", {{"id", unit["id"]}, {"name", unit["name"]}}}, {"claims", claims}});
}

void Volunteer::claim_project_for_unit(yz::Request& req, yz::Response& res) {
    int64_t project_id = req.id_param("id");
    json claim;
    host().tx([&] {
        json unit = unit_of_contact(req.auth().user_id);
        Project p = load_project(project_id);
        if (p.state != "open") throw yz::ApiError(409, "closed", "该项目已关闭", {{"what", "project"}});
        if (!p.unit_claimable) throw yz::ApiError(422, "not_eligible", "该项目不接受单位认领", {{"rule", "unit_claimable"}});
        if (auto live = host().query_one("SELECT id FROM volunteer_unit_claims WHERE project_id = ?1 AND unit_id = ?2 AND state != 'withdrawn'",
                                         {project_id, unit["id"]}))
            throw yz::ApiError(409, "already_claimed", "本单位已认领该项目", {{"unit_claim_id", (*live)["id"]}});
        int64_t id = host().exec("INSERT INTO volunteer_unit_claims(project_id, unit_id, claimed_by, state, created_at, updated_at) "
                                 "VALUES (?1, ?2, ?3, 'claimed', ?4, ?4)",
                                 {project_id, unit["id"], req.auth().user_id, host().now_ms()})
                         .last_insert_id;
        host().audit(req.auth(), "unit_claim.create", "unit_claim", std::to_string(id), {{"project_id", project_id}, {"unit_id", unit["id"]}});
        claim = *host().query_one(std::string(kUnitClaimSelect) + "WHERE c.id = ?1", {id});
    });
    res.json(201, unit_claim_json(claim));
}

void Volunteer::list_unit_claims(yz::Request& req, yz::Response& res) {
    int64_t year = int_query(req, "year", 0);
    json items = json::array();
    for (const auto& row : host().query(std::string(kUnitClaimSelect) + "WHERE (?1 = 0 OR j.year = ?1) ORDER BY c.id", {year}))
        items.push_back(unit_claim_json(row));
    res.json(200, {{"items", items}});
}

namespace {
// A unit contact sees only their own unit's claims; anyone else's is "not found".
json visible_unit_claim(const yz::Host& host, const yz::Request& req, int64_t id) {
    auto row = host.query_one(std::string(kUnitClaimSelect) + "WHERE c.id = ?1", {id});
    if (row && req.auth().staff_here) return *row;
    if (row && host.query_one("SELECT id FROM volunteer_units WHERE id = ?1 AND contact_user_id = ?2", {(*row)["unit_id"], req.auth().user_id}))
        return *row;
    throw yz::ApiError(404, "unit_claim_not_found", "单位认领记录不存在");
}
}  // namespace

void Volunteer::complete_unit_claim(yz::Request& req, yz::Response& res) {
    int64_t id = req.id_param("id");
    json claim;
    host().tx([&] {
        json current = visible_unit_claim(host(), req, id);
        std::string to = move(kUnitClaimWorkflow, "unit_claim", req.auth(), current, "complete", 0, "");
        host().exec("UPDATE volunteer_unit_claims SET state = ?2, updated_at = ?3 WHERE id = ?1", {id, to, host().now_ms()});
        claim = *host().query_one(std::string(kUnitClaimSelect) + "WHERE c.id = ?1", {id});
    });
    res.json(200, unit_claim_json(claim));
}

// The contact of the unit "owns" its claim (whoever of them made it), so a new contact can
// withdraw what the previous one claimed.
void Volunteer::withdraw_unit_claim(yz::Request& req, yz::Response& res) {
    int64_t id = req.id_param("id");
    BodyReader in(req.body());
    std::string reason = in.text("reason", 300, false);
    in.done();
    json claim;
    host().tx([&] {
        json current = visible_unit_claim(host(), req, id);
        std::string to = move(kUnitClaimWorkflow, "unit_claim", req.auth(), current, "withdraw",
                              req.auth().staff_here ? 0 : req.auth().user_id, reason);
        host().exec("UPDATE volunteer_unit_claims SET state = ?2, reason = ?3, updated_at = ?4 WHERE id = ?1", {id, to, reason, host().now_ms()});
        claim = *host().query_one(std::string(kUnitClaimSelect) + "WHERE c.id = ?1", {id});
    });
    res.json(200, unit_claim_json(claim));
}

}  // namespace volunteer
