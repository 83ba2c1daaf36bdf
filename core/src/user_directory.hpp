// SPDX-License-Identifier: MIT
// The admin's view of the users: find people by name, id or role, and count who holds which role.
// What it answers is what an admin may see: id, display name, roles and when the user joined;
// never an openid, unionid or phone number.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "db.hpp"

namespace yz::users {

struct Search {
    // A part of the display name, or a user id (matched exactly).
    std::string text;
    // "staff" matches every staff:<station>; "staff:convenience" only that one; "admin" admins.
    std::string role;
    int64_t before_id = 0;  // pages backwards
    int limit = 50;
};

// Users newest first: [{id, display_name, created_at, roles: [...]}]. Deleted users are left out.
nlohmann::json search(Conn& c, const Search& s);

// {"total": n, "by_role": {"admin": 1, "staff:convenience": 2, "resident": 40, ...}} over live users.
nlohmann::json count_by_role(Conn& c);

}  // namespace yz::users
