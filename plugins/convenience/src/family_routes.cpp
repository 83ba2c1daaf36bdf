// SPDX-License-Identifier: MIT
// Family members who may book for an elder (代约). A link is asked for by the family member —
// with the elder's resident number, which the mini-program shows on the elder's "我的" page — and
// counts only once the elder confirms it in their own account, so nobody can make themselves
// someone's family. Either side may end it. The elder is told of each request; the family member
// of the confirmation.
//
//   member: POST /family {"elder_user_id": 42, "relation": "子女"}  → pending
//   elder:  POST /family/{id}/confirm                             → confirmed
//   either: POST /family/{id}/revoke                              → revoked
#include <yz/time_format.hpp>

#include "station.hpp"

namespace convenience {

namespace {
// Checked by the core's forms block, like any intake form.
const json kFamilyLinkForm = json::parse(R"([
  {"name": "elder_user_id", "label": "老人的居民编号", "type": "number", "integer": true, "min": 1, "required": true},
  {"name": "relation", "label": "与老人的关系", "type": "choice", "options": ["配偶", "子女", "孙子女", "兄弟姐妹", "其他亲属"],
   "required": true}
])");

constexpr const char* kLinkSelect =
    "SELECT l.id, l.member_user_id, l.elder_user_id, l.relation, l.state, l.created_at, l.updated_at, "
    "m.display_name AS member_name, e.display_name AS elder_name FROM convenience_family_links l "
    "LEFT JOIN pub_users m ON m.id = l.member_user_id LEFT JOIN pub_users e ON e.id = l.elder_user_id ";

json link_json(const json& row) {
    return {{"id", row["id"]},
            {"member", {{"user_id", row["member_user_id"]}, {"display_name", row["member_name"]}}},
            {"elder", {{"user_id", row["elder_user_id"]}, {"display_name", row["elder_name"]}}},
            {"relation", row["relation"]},
            {"state", row["state"]},
            {"created_at", yz::iso8601_beijing(row["created_at"].get<int64_t>())},
            {"updated_at", yz::iso8601_beijing(row["updated_at"].get<int64_t>())}};
}
}  // namespace

void Convenience::request_family_link(yz::Request& req, yz::Response& res) {
    const yz::Auth& who = req.auth();
    json form = host().validate_form(kFamilyLinkForm, req.body());
    int64_t elder = form["elder_user_id"].get<int64_t>();
    if (elder == who.user_id) throw yz::ApiError(422, "invalid_field", "不能把自己登记为家属", {{"field", "elder_user_id"}});
    json link;
    host().tx([&] {
        if (!host().query_one("SELECT id FROM pub_users WHERE id = ?1", {elder}))
            throw yz::ApiError(404, "resident_not_found", "没有这位居民", {{"elder_user_id", elder}});
        if (auto live = host().query_one("SELECT id, state FROM convenience_family_links WHERE member_user_id = ?1 "
                                         "AND elder_user_id = ?2 AND state IN ('pending', 'confirmed')",
                                         {who.user_id, elder}))
            throw yz::ApiError(409, "already_linked", "已登记过这位老人", {{"link_id", (*live)["id"]}, {"state", (*live)["state"]}});
        int64_t now = host().now_ms();
        int64_t id = host().exec("INSERT INTO convenience_family_links(member_user_id, elder_user_id, relation, state, created_at, "
                                 "updated_at) VALUES (?1, ?2, ?3, 'pending', ?4, ?4)",
                                 {who.user_id, elder, form["relation"], now})
                         .last_insert_id;
        link = link_json(*host().query_one(std::string(kLinkSelect) + "WHERE l.id = ?1", {id}));
        host().notify(elder, "convenience.family_request",
                      {{"link_id", id}, {"member", who.display_name}, {"relation", form["relation"]}});
        host().audit(who, "family.request", "family_link", std::to_string(id), {{"elder_user_id", elder}, {"relation", form["relation"]}});
    });
    res.json(201, link);
}

void Convenience::my_family_links(yz::Request& req, yz::Response& res) {
    json as_member = json::array(), as_elder = json::array();
    for (const auto& row : host().query(std::string(kLinkSelect) + "WHERE (l.member_user_id = ?1 OR l.elder_user_id = ?1) "
                                                                   "AND l.state <> 'revoked' ORDER BY l.id",
                                        {req.auth().user_id}))
        (row["member_user_id"] == req.auth().user_id ? as_member : as_elder).push_back(link_json(row));
    res.json(200, {{"as_member", as_member}, {"as_elder", as_elder}});
}

// Only the elder confirms; anyone else is told the link does not exist.
void Convenience::confirm_family_link(yz::Request& req, yz::Response& res) {
    int64_t id = req.id_param("id");
    const yz::Auth& who = req.auth();
    json link;
    host().tx([&] {
        auto row = host().query_one(std::string(kLinkSelect) + "WHERE l.id = ?1 AND l.elder_user_id = ?2", {id, who.user_id});
        if (!row) throw yz::ApiError(404, "link_not_found", "家属登记不存在");
        if ((*row)["state"] != "pending")
            throw yz::ApiError(409, "invalid_transition", "这条家属登记不能再确认", {{"state", (*row)["state"]}});
        host().exec("UPDATE convenience_family_links SET state = 'confirmed', updated_at = ?2 WHERE id = ?1", {id, host().now_ms()});
        link = link_json(*host().query_one(std::string(kLinkSelect) + "WHERE l.id = ?1", {id}));
        host().notify((*row)["member_user_id"], "convenience.family_confirmed",
                      {{"link_id", id}, {"elder", (*row)["elder_name"]}, {"relation", (*row)["relation"]}});
        host().audit(who, "family.confirm", "family_link", std::to_string(id));
    });
    res.json(200, link);
}

void Convenience::revoke_family_link(yz::Request& req, yz::Response& res) {
    int64_t id = req.id_param("id");
    const yz::Auth& who = req.auth();
    json link;
    host().tx([&] {
        auto row = host().query_one(std::string(kLinkSelect) + "WHERE l.id = ?1 AND (l.member_user_id = ?2 OR l.elder_user_id = ?2)",
                                    {id, who.user_id});
        if (!row) throw yz::ApiError(404, "link_not_found", "家属登记不存在");
        if ((*row)["state"] == "revoked") throw yz::ApiError(409, "invalid_transition", "这条家属登记已解除");
        host().exec("UPDATE convenience_family_links SET state = 'revoked', updated_at = ?2 WHERE id = ?1", {id, host().now_ms()});
        link = link_json(*host().query_one(std::string(kLinkSelect) + "WHERE l.id = ?1", {id}));
        host().audit(who, "family.revoke", "family_link", std::to_string(id));
    });
    res.json(200, link);
}

}  // namespace convenience
