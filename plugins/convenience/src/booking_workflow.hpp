// SPDX-License-Identifier: MIT
// A booking's life, declared once for the core's workflow block, which checks who may move a
// booking from which state and audits every move:
//
//   pending ──approve──▶ confirmed ──check_in──▶ checked_in ──complete──▶ completed
//      │                    │  └──no_show──▶ no_show
//      ├──reject──▶ rejected │
//      └───────cancel───────┴──▶ cancelled
//
// A booking starts confirmed, or pending when the service needs approval. Every state but
// rejected and cancelled holds a place in the slot's capacity-ledger resource. `cancel_for` is the
// cancel of whoever booked for the resident (代约); the workflow lets any resident take it, and
// the station lets only the booking's own proxy try (visible_booking).
#pragma once

#include <yz/plugin.hpp>

namespace convenience {

constexpr const char* kBookingWorkflow = "convenience_booking";

// The states that hold a place, as an SQL list for "state IN …".
constexpr const char* kHoldingStatesSql = "('pending','confirmed','checked_in','completed','no_show')";

inline yz::json booking_workflow_definition() {
    return yz::json::parse(R"({
      "name": "convenience_booking",
      "states": ["pending", "confirmed", "rejected", "cancelled", "checked_in", "completed", "no_show"],
      "initial": "pending",
      "transitions": [
        {"action": "approve",  "from": ["pending"],              "to": "confirmed",  "who": ["staff"]},
        {"action": "reject",   "from": ["pending"],              "to": "rejected",   "who": ["staff"], "reason_required": true},
        {"action": "cancel",   "from": ["pending", "confirmed"], "to": "cancelled",  "who": ["owner", "staff"]},
        {"action": "cancel_for", "from": ["pending", "confirmed"], "to": "cancelled", "who": ["resident"]},
        {"action": "check_in", "from": ["confirmed"],            "to": "checked_in", "who": ["staff"]},
        {"action": "complete", "from": ["checked_in"],           "to": "completed",  "who": ["staff"]},
        {"action": "no_show",  "from": ["confirmed"],            "to": "no_show",    "who": ["staff", "system"]}
      ]
    })");
}

}  // namespace convenience
