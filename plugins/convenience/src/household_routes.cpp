// SPDX-License-Identifier: MIT
// Households (户): the station's staff register who lives together — they know the 户 from the
// community's records, which residents' own accounts do not carry — and a service's household
// quota then counts the bookings of all its members together (eligibility.cpp). A resident
// belongs to at most one household; one in none is a household of one.
//
//   POST /households {"name": "幸福里 3-2-501", "members": [12, 15]}
//   PUT  /households/{id}  (the same body; members are replaced)
#include <set>

#include <yz/time_format.hpp>

#include "request_fields.hpp"
#include "station.hpp"

namespace convenience {

namespace {
constexpr size_t kMaxMembers = 20;

std::string household_name(const json& body) {
    std::string name = optional_text(body, "name", 120);
    if (name.empty()) throw yz::ApiError(400, "invalid_field", "请填写户名（如门牌号）", {{"field", "name"}});
    return name;
}

json member_ids(const json& body) {
    const json& m = body.value("members", json());
    bool ok = m.is_array() && !m.empty() && m.size() <= kMaxMembers;
    std::set<int64_t> seen;
    for (const auto& id : ok ? m : json::array()) ok = ok && id.is_number_integer() && id.get<int64_t>() > 0 && seen.insert(id.get<int64_t>()).second;
    if (!ok)
        throw yz::ApiError(400, "invalid_field", "members 须为 1 到 20 个不重复的居民编号", {{"field", "members"}});
    return m;
}
}  // namespace

void Convenience::create_household(yz::Request& req, yz::Response& res) {
    json body = req.body();
    std::string name = household_name(body);
    json members = member_ids(body);
    json household;
    host().tx([&] {
        int64_t now = host().now_ms();
        int64_t id = host().exec("INSERT INTO convenience_households(name, created_at, updated_at) VALUES (?1, ?2, ?2)", {name, now})
                         .last_insert_id;
        save_household_members(id, members);
        host().audit(req.auth(), "household.create", "household", std::to_string(id), {{"name", name}, {"members", members}});
        household = household_json(id);
    });
    res.json(201, household);
}

void Convenience::update_household(yz::Request& req, yz::Response& res) {
    int64_t id = req.id_param("id");
    json body = req.body();
    std::string name = household_name(body);
    json members = member_ids(body);
    json household;
    host().tx([&] {
        if (host().exec("UPDATE convenience_households SET name = ?2, updated_at = ?3 WHERE id = ?1", {id, name, host().now_ms()}).changes == 0)
            throw yz::ApiError(404, "household_not_found", "该户不存在");
        host().exec("DELETE FROM convenience_household_members WHERE household_id = ?1", {id});
        save_household_members(id, members);
        host().audit(req.auth(), "household.update", "household", std::to_string(id), {{"name", name}, {"members", members}});
        household = household_json(id);
    });
    res.json(200, household);
}

void Convenience::show_household(yz::Request& req, yz::Response& res) { res.json(200, household_json(req.id_param("id"))); }

// Every member must be a resident and in no other household; the first problem is named.
void Convenience::save_household_members(int64_t household_id, const json& members) {
    int64_t now = host().now_ms();
    for (const auto& user : members) {
        if (!host().query_one("SELECT id FROM pub_users WHERE id = ?1", json::array({user})))
            throw yz::ApiError(404, "resident_not_found", "没有这位居民", {{"user_id", user}});
        if (auto other = host().query_one("SELECT household_id FROM convenience_household_members WHERE user_id = ?1", json::array({user})))
            throw yz::ApiError(409, "already_in_household", "该居民已登记在另一户",
                               {{"user_id", user}, {"household_id", (*other)["household_id"]}});
        host().exec("INSERT INTO convenience_household_members(user_id, household_id, added_at) VALUES (?1, ?2, ?3)",
                    {user, household_id, now});
    }
}

json Convenience::household_json(int64_t household_id) const {
    auto row = host().query_one("SELECT id, name, created_at, updated_at FROM convenience_households WHERE id = ?1", {household_id});
    if (!row) throw yz::ApiError(404, "household_not_found", "该户不存在");
    json members = host().query("SELECT m.user_id, u.display_name FROM convenience_household_members m "
                                "LEFT JOIN pub_users u ON u.id = m.user_id WHERE m.household_id = ?1 ORDER BY m.user_id",
                                {household_id});
    return {{"id", (*row)["id"]},
            {"name", (*row)["name"]},
            {"members", members},
            {"created_at", yz::iso8601_beijing((*row)["created_at"].get<int64_t>())},
            {"updated_at", yz::iso8601_beijing((*row)["updated_at"].get<int64_t>())}};
}

}  // namespace convenience
