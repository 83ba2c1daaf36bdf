// SPDX-License-Identifier: MIT
// Subscribe-message consent: WeChat lets us send a template to a user once per "accept" (PROTOCOL
// §4), so we keep a ledger per (user, template_id) — +1 per accept (reported by the mini-program or
// pushed as subscribe_msg_popup_event), −1 reserved per send (refunded if the send fails without
// being refused), and an entry bringing the balance to 0 on 43101, on a "reject" change event or
// when the user erases their account. The balance is the sum; rows are never changed (triggers).
// Functions join the caller's transaction when there is one. Thread-safe per Conn.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "db.hpp"

namespace yz::consent {

int balance(Conn& c, int64_t user_id, const std::string& template_id);
void grant(Conn& c, int64_t user_id, const std::string& template_id, int count, const std::string& reason, int64_t now_ms);
// Takes one credit for a send; false (and nothing written) when none is left.
bool reserve(Conn& c, int64_t user_id, const std::string& template_id, int64_t outbox_id, int64_t now_ms);
// Gives back a reserved credit when the send did not happen.
void refund(Conn& c, int64_t user_id, const std::string& template_id, int64_t outbox_id, int64_t now_ms);
// Brings the balance to 0 (no entry when it already is).
void zero(Conn& c, int64_t user_id, const std::string& template_id, const std::string& reason, int64_t now_ms);
// Every template of the user with a non-zero balance.
void zero_all(Conn& c, int64_t user_id, const std::string& reason, int64_t now_ms);
// {template_id: balance} for the user (templates ever touched).
nlohmann::json balances(Conn& c, int64_t user_id);
// The user's ledger rows, oldest first (for the privacy export).
nlohmann::json entries(Conn& c, int64_t user_id);

}  // namespace yz::consent
