// SPDX-License-Identifier: MIT
// The lives of a claim, a unit's claim and a 爱心超市 order, declared once for the core's workflow
// block, which checks who may move a record from which state and audits every move.
//
//   claim       pending ──approve──▶ approved        (a post without approval starts approved)
//                  ├──decline (reason)──▶ declined
//                  └─┬─ withdraw (the volunteer, before the post's cut-off) ─▶ withdrawn
//   approved ────────┴─ cancel (staff, reason) ─▶ cancelled
//
//   unit claim  claimed ──complete──▶ completed;  claimed ──withdraw──▶ withdrawn
//   order       reserved ──hand_over──▶ handed_over;  reserved ──cancel──▶ cancelled
//
// A claim holds a place in its post while pending or approved; an order holds a unit of stock
// while reserved or handed over.
#pragma once

#include <yz/plugin.hpp>

namespace volunteer {

constexpr const char* kClaimWorkflow = "volunteer_claim";
constexpr const char* kUnitClaimWorkflow = "volunteer_unit_claim";
constexpr const char* kOrderWorkflow = "volunteer_order";

// The claim states that hold a place, as an SQL list for "state IN …".
constexpr const char* kLiveClaimSql = "('pending','approved')";

inline yz::json claim_workflow_definition() {
    return yz::json::parse(R"({
      "name": "volunteer_claim",
      "states": ["pending", "approved", "declined", "withdrawn", "cancelled"],
      "initial": "pending",
      "transitions": [
        {"action": "approve",  "from": ["pending"],             "to": "approved",  "who": ["staff"]},
        {"action": "decline",  "from": ["pending"],             "to": "declined",  "who": ["staff"], "reason_required": true},
        {"action": "withdraw", "from": ["pending", "approved"], "to": "withdrawn", "who": ["owner"]},
        {"action": "cancel",   "from": ["pending", "approved"], "to": "cancelled", "who": ["staff"], "reason_required": true}
      ]
    })");
}

inline yz::json unit_claim_workflow_definition() {
    return yz::json::parse(R"({
      "name": "volunteer_unit_claim",
      "states": ["claimed", "completed", "withdrawn"],
      "initial": "claimed",
      "transitions": [
        {"action": "complete", "from": ["claimed"], "to": "completed", "who": ["staff"]},
        {"action": "withdraw", "from": ["claimed"], "to": "withdrawn", "who": ["owner", "staff"]}
      ]
    })");
}

inline yz::json order_workflow_definition() {
    return yz::json::parse(R"({
      "name": "volunteer_order",
      "states": ["reserved", "handed_over", "cancelled"],
      "initial": "reserved",
      "transitions": [
        {"action": "hand_over", "from": ["reserved"], "to": "handed_over", "who": ["staff"]},
        {"action": "cancel",    "from": ["reserved"], "to": "cancelled",   "who": ["owner", "staff"]}
      ]
    })");
}

}  // namespace volunteer
