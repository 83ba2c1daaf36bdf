// SPDX-License-Identifier: MIT
// Audit: an append-only record of who did what to which record (triggers refuse UPDATE/DELETE).
// Writes join the caller's transaction, so an action and its audit line commit together.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "db.hpp"

namespace yz::audit {

struct Entry {
    int64_t actor_user_id = 0;  // 0 = the system (scheduler, CLI)
    nlohmann::json actor = nlohmann::json::object();
    std::string station;        // "" = core
    std::string action;
    std::string record_type;
    std::string record_id;
    nlohmann::json detail = nlohmann::json::object();
};

int64_t record(Conn& conn, const Entry& e, int64_t now_ms);

// A user acting on their own account (signing in to the console, erasing it): the actor and the
// record are the same user, who may not hold a session yet, or any longer.
Entry about_self(int64_t user_id, std::string action);

// What an admin looks for in the log. Every field is optional: empty, 0 or nullopt means any.
struct Filter {
    std::string station;
    std::string record_type;
    std::string record_id;
    // "role.grant" matches that action; "role" matches it and every "role.*" action too.
    std::string action;
    std::optional<int64_t> actor_user_id;  // 0 = the system
    int64_t from_ms = 0;                   // at >= from_ms
    int64_t to_ms = 0;                     // at < to_ms
    int64_t before_id = 0;                 // pages backwards
    int limit = 50;
};

// Newest first.
nlohmann::json list(Conn& conn, const Filter& f);

}  // namespace yz::audit
