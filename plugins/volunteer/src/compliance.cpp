// SPDX-License-Identifier: MIT
#include "compliance.hpp"

namespace volunteer {

namespace {
// A member's approved claims and approved hours on the year's projects ("d" is their declaration,
// or, with ?3 = 1, a stand-in row for a holder of the member role who has not declared).
constexpr const char* kMemberFacts = R"SQL(
SELECT d.user_id, d.declared, d.unit_id, d.in_service, d.public_org, un.name AS unit_name, v.real_name, u.display_name,
  (SELECT count(*) FROM volunteer_claims c JOIN volunteer_posts p ON p.id = c.post_id
     JOIN volunteer_projects j ON j.id = p.project_id
    WHERE c.user_id = d.user_id AND c.state = 'approved' AND j.year = d.year) AS claims,
  (SELECT count(*) FROM volunteer_claims c JOIN volunteer_posts p ON p.id = c.post_id
     JOIN volunteer_projects j ON j.id = p.project_id
    WHERE c.user_id = d.user_id AND c.state = 'pending' AND j.year = d.year) AS pending_claims,
  (SELECT count(*) FROM volunteer_hour_records r JOIN volunteer_projects j ON j.id = r.project_id
    WHERE r.user_id = d.user_id AND r.status = 'approved' AND j.year = d.year) AS served_records,
  (SELECT coalesce(sum(r.minutes), 0) FROM volunteer_hour_records r JOIN volunteer_projects j ON j.id = r.project_id
    WHERE r.user_id = d.user_id AND r.status = 'approved' AND j.year = d.year) AS minutes
FROM (
  SELECT user_id, year, unit_id, in_service, public_org, 1 AS declared FROM volunteer_declarations WHERE year = ?1
  UNION ALL
  SELECT DISTINCT r.user_id, ?1, NULL, NULL, '', 0 FROM pub_user_roles r
   WHERE ?3 = 1 AND r.role = 'member'
     AND NOT EXISTS (SELECT 1 FROM volunteer_declarations x WHERE x.user_id = r.user_id AND x.year = ?1)
) d
LEFT JOIN volunteer_units un ON un.id = d.unit_id
LEFT JOIN volunteer_volunteers v ON v.user_id = d.user_id
LEFT JOIN pub_users u ON u.id = d.user_id
WHERE ?2 = 0 OR d.unit_id = ?2
ORDER BY d.declared DESC, un.name, d.user_id
)SQL";

constexpr const char* kUnitFacts = R"SQL(
SELECT un.id AS unit_id, un.name AS unit_name, un.contact_user_id, pu.display_name AS contact_name,
  (SELECT count(*) FROM volunteer_unit_claims c JOIN volunteer_projects j ON j.id = c.project_id
    WHERE c.unit_id = un.id AND j.year = ?1 AND c.state != 'withdrawn') AS claimed_projects,
  (SELECT count(*) FROM volunteer_unit_claims c JOIN volunteer_projects j ON j.id = c.project_id
    WHERE c.unit_id = un.id AND j.year = ?1 AND c.state = 'completed') AS completed_projects
FROM volunteer_units un LEFT JOIN pub_users pu ON pu.id = un.contact_user_id
ORDER BY un.name
)SQL";
}  // namespace

json member_compliance_rows(const yz::Host& host, int64_t year, int64_t unit_id, bool with_undeclared) {
    json rows = json::array();
    for (auto row : host.query(kMemberFacts, {year, unit_id, with_undeclared ? 1 : 0})) {
        bool declared = row["declared"] == 1;
        bool claimed = row["claims"].get<int64_t>() > 0;
        bool joined = !row["public_org"].get<std::string>().empty();
        rows.push_back({{"user_id", row["user_id"]},
                        {"declared", declared},
                        {"name", row["real_name"].is_string() ? row["real_name"] : row["display_name"]},
                        {"unit_id", row["unit_id"]},
                        {"unit_name", row["unit_name"]},
                        {"in_service", row["in_service"].is_null() ? json(nullptr) : json(row["in_service"] == 1)},
                        {"public_org", row["public_org"]},
                        {"claims", row["claims"]},
                        {"pending_claims", row["pending_claims"]},
                        {"served_records", row["served_records"]},
                        {"minutes", row["minutes"]},
                        {"claimed", claimed},
                        {"served", row["served_records"].get<int64_t>() > 0},
                        {"compliant", declared && (claimed || joined)}});
    }
    return rows;
}

json unit_compliance_rows(const yz::Host& host, int64_t year) {
    json members = member_compliance_rows(host, year, 0, false);
    json rows = json::array();
    for (auto row : host.query(kUnitFacts, {year})) {
        int64_t declared = 0, compliant = 0;
        for (const auto& m : members)
            if (m["unit_id"] == row["unit_id"]) {
                ++declared;
                compliant += m["compliant"].get<bool>() ? 1 : 0;
            }
        row["members_declared"] = declared;
        row["members_compliant"] = compliant;
        row["claimed"] = row["claimed_projects"].get<int64_t>() > 0;
        row["compliant"] = row["completed_projects"].get<int64_t>() > 0;
        rows.push_back(std::move(row));
    }
    return rows;
}

}  // namespace volunteer
