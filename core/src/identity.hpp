// SPDX-License-Identifier: MIT
// Identity: users keyed by WeChat openid, roles with scopes, and sessions.
//
// A session token is 256 random bits, shown to the client once and stored only as its SHA-256, so
// a copy of the database cannot be used to log in. Sessions expire, slide forward when used past
// half their life, and can be revoked. Roles: resident, member, unit_contact, staff:<station>,
// grid:<grid>, admin.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "db.hpp"
#include "time_util.hpp"

namespace yz {

struct Role {
    std::string role;   // resident | member | unit_contact | staff | grid | admin
    std::string scope;  // station id for staff, grid id for grid, empty otherwise
    std::string text() const { return scope.empty() ? role : role + ":" + scope; }
};

// Parses "staff:notices" / "admin"; nullopt (with why) when the role or scope is not valid.
std::optional<Role> parse_role(const std::string& text, std::string* why = nullptr);

struct Principal {
    int64_t user_id = 0;
    std::string display_name;
    std::vector<Role> roles;
    std::string session_kind;

    bool has(const std::string& role, const std::string& scope = {}) const;
    bool admin() const { return has("admin"); }
    std::vector<std::string> role_texts() const;
};

class Identity {
public:
    Identity(Database& db, const time::Clock& clock, int64_t session_ttl_s)
        : db_(db), clock_(clock), ttl_ms_(session_ttl_s * 1000) {}

    // Creates or updates the user for a WeChat openid; every user holds the resident role.
    int64_t upsert_user(const std::string& openid, const std::string& unionid,
                        const std::string& display_name);
    // A user by numeric id or by openid; nullopt if there is none (or it was deleted).
    std::optional<int64_t> find_user(const std::string& ref);
    nlohmann::json user_json(int64_t user_id);

    // Issues a new session; returns the token (the only time it exists in clear).
    std::string create_session(int64_t user_id, const std::string& kind = "app");
    // The principal for a token, or null if unknown, expired or revoked. Shared and immutable, so
    // a cached session costs no copy per request.
    std::shared_ptr<const Principal> authenticate(const std::string& token);
    // Revokes the session of this token; false if it was not live.
    bool revoke_session(const std::string& token);
    int revoke_all_sessions(int64_t user_id);

    std::vector<Role> roles(int64_t user_id);
    bool grant(int64_t user_id, const Role& role, int64_t granted_by);
    enum class Revoked { done, not_held, last_admin };
    // Removes a role. With keep_an_admin (the console's route), the community's last admin is
    // refused, in the same transaction: nobody could sign in to grant it back but an operator with
    // a shell on the server (`yizhan user grant`, which does not ask).
    Revoked revoke(int64_t user_id, const Role& role, bool keep_an_admin = false);

    // How long a verified session is trusted from memory before the database is asked again.
    // Revocation and role changes made through this process take effect at once; ones made by
    // another process (a CLI, a second worker) within this bound.
    static constexpr int64_t kCacheMs = 5000;

private:
    struct Cached {
        std::shared_ptr<const Principal> principal;
        int64_t expires_at;
        int64_t checked_at;
        uint64_t generation;
    };
    void forget_all() { generation_.fetch_add(1); }

    Database& db_;
    const time::Clock& clock_;
    int64_t ttl_ms_;
    std::mutex cache_mu_;
    std::unordered_map<std::string, Cached> cache_;  // key: token hash
    std::atomic<uint64_t> generation_{1};
};

}  // namespace yz
