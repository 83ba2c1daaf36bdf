// SPDX-License-Identifier: MIT
// Audit: an append-only record of who did what to which record (triggers refuse UPDATE/DELETE).
// Writes join the caller's transaction, so an action and its audit line commit together.
#pragma once

#include <nlohmann/json.hpp>
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
// Newest first; filters are optional (empty = any). before_id pages backwards.
nlohmann::json list(Conn& conn, const std::string& station, const std::string& record_type,
                    const std::string& record_id, int64_t before_id, int limit);

}  // namespace yz::audit
