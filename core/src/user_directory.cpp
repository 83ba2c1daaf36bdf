// SPDX-License-Identifier: MIT
#include "user_directory.hpp"

#include "time_util.hpp"

namespace yz::users {
using nlohmann::json;

namespace {
// The name is matched with LIKE, so a '%' or '_' someone types means itself, not a wildcard.
std::string like_pattern(const std::string& text) {
    std::string out = "%";
    for (char ch : text) {
        if (ch == '%' || ch == '_' || ch == '\\') out.push_back('\\');
        out.push_back(ch);
    }
    return out + "%";
}
}  // namespace

json search(Conn& c, const Search& s) {
    auto core = c.enter_core();
    auto q = c.prepare(
        "SELECT u.id, u.display_name, u.created_at, "
        "  (SELECT json_group_array(t) FROM (SELECT CASE WHEN scope = '' THEN role ELSE role || ':' || scope END AS t "
        "     FROM core_roles WHERE user_id = u.id ORDER BY role, scope)) "
        "FROM core_users u WHERE u.deleted_at IS NULL "
        "AND (?1 = '' OR u.display_name LIKE ?2 ESCAPE '\\' OR CAST(u.id AS TEXT) = ?1) "
        "AND (?3 = '' OR EXISTS (SELECT 1 FROM core_roles r WHERE r.user_id = u.id "
        "     AND (r.role = ?3 OR r.role || ':' || r.scope = ?3))) "
        "AND (?4 = 0 OR u.id < ?4) ORDER BY u.id DESC LIMIT ?5");
    q->bind(1, s.text);
    q->bind(2, like_pattern(s.text));
    q->bind(3, s.role);
    q->bind(4, s.before_id);
    q->bind(5, s.limit);
    json out = json::array();
    while (q->executeStep()) {
        out.push_back({{"id", q->getColumn(0).getInt64()},
                       {"display_name", q->getColumn(1).getString()},
                       {"created_at", time::iso8601_beijing(q->getColumn(2).getInt64())},
                       {"roles", json::parse(q->getColumn(3).getString(), nullptr, false)}});
    }
    return out;
}

json count_by_role(Conn& c) {
    auto core = c.enter_core();
    json by_role = json::object();
    auto q = c.prepare(
        "SELECT CASE WHEN r.scope = '' THEN r.role ELSE r.role || ':' || r.scope END, count(*) FROM core_roles r "
        "JOIN core_users u ON u.id = r.user_id WHERE u.deleted_at IS NULL GROUP BY r.role, r.scope");
    while (q->executeStep()) by_role[q->getColumn(0).getString()] = q->getColumn(1).getInt64();
    auto total = c.prepare("SELECT count(*) FROM core_users WHERE deleted_at IS NULL");
    total->executeStep();
    return json{{"total", total->getColumn(0).getInt64()}, {"by_role", by_role}};
}

}  // namespace yz::users
