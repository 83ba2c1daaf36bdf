// SPDX-License-Identifier: MIT
// 双报到 compliance for a year, computed from the station's own records whenever asked (the
// numbers are never stored, so they cannot drift from the claims and hours behind them).
//
// A member counts when they declared for the year; who holds the member role but has not
// declared is listed too where asked (with_undeclared), never compliant: roles are known only as
// they are now, so that list is right for the current year, not for past ones. They have claimed when they hold an approved
// claim on a post of one of the year's projects; served when at least one approved hours record
// belongs to one; hours are those records' approved minutes. A member complies by claiming, or
// by having joined a public-interest organisation (public_org) instead.
// A unit has claimed when it holds a live claim on one of the year's projects, and complies when
// one of them is completed.
#pragma once

#include <cstdint>

#include <yz/plugin.hpp>

namespace volunteer {

using yz::json;

// One row per declared member (then per undeclared holder of the member role, if with_undeclared):
// user_id, declared, name, unit_id, unit_name, in_service (null if undeclared), public_org, claims,
// pending_claims, served_records, minutes, claimed, served, compliant. unit_id != 0: that unit only.
json member_compliance_rows(const yz::Host& host, int64_t year, int64_t unit_id, bool with_undeclared);

// One row per registered unit: unit_id, unit_name, contact_user_id, contact_name, claimed_projects,
// completed_projects, members_declared, members_compliant, claimed, compliant.
json unit_compliance_rows(const yz::Host& host, int64_t year);

}  // namespace volunteer
