// SPDX-License-Identifier: MIT
#include "identity.hpp"

#include "authorizer.hpp"
#include "crypto_util.hpp"

namespace yz {
using nlohmann::json;

std::optional<Role> parse_role(const std::string& text, std::string* why) {
    auto fail = [&](const std::string& w) -> std::optional<Role> {
        if (why) *why = w;
        return std::nullopt;
    };
    Role r;
    auto colon = text.find(':');
    r.role = text.substr(0, colon);
    if (colon != std::string::npos) r.scope = text.substr(colon + 1);
    static const char* scoped[] = {"staff", "grid"};
    static const char* plain[] = {"resident", "member", "unit_contact", "admin"};
    for (const char* s : scoped)
        if (r.role == s) {
            if (r.scope.empty()) return fail("role '" + r.role + "' needs a scope, e.g. " + r.role + ":<id>");
            if (r.role == "staff" && !station_id_valid(r.scope)) return fail("'" + r.scope + "' is not a station id");
            if (r.scope.size() > 64) return fail("scope is too long");
            return r;
        }
    for (const char* p : plain)
        if (r.role == p) {
            if (!r.scope.empty()) return fail("role '" + r.role + "' takes no scope");
            return r;
        }
    return fail("unknown role '" + r.role + "' (resident, member, unit_contact, staff:<station>, grid:<grid>, admin)");
}

bool Principal::has(const std::string& role, const std::string& scope) const {
    for (const auto& r : roles)
        if (r.role == role && r.scope == scope) return true;
    return false;
}

std::vector<std::string> Principal::role_texts() const {
    std::vector<std::string> out;
    for (const auto& r : roles) out.push_back(r.text());
    return out;
}

int64_t Identity::upsert_user(const std::string& openid, const std::string& unionid,
                              const std::string& display_name) {
    Conn& c = db_.conn();
    auto core = c.enter_core();
    return c.write_tx([&] {
        int64_t now = clock_.now_ms();
        auto up = c.prepare(
            "INSERT INTO core_users(openid, unionid, display_name, created_at) VALUES (?1, NULLIF(?2, ''), ?3, ?4) "
            "ON CONFLICT(openid) DO UPDATE SET unionid = COALESCE(excluded.unionid, unionid), "
            "display_name = CASE WHEN excluded.display_name <> '' THEN excluded.display_name ELSE display_name END "
            "RETURNING id");
        up->bind(1, openid);
        up->bind(2, unionid);
        up->bind(3, display_name);
        up->bind(4, now);
        up->executeStep();
        int64_t id = up->getColumn(0).getInt64();
        auto role = c.prepare(
            "INSERT OR IGNORE INTO core_roles(user_id, role, scope, granted_at) VALUES (?1, 'resident', '', ?2)");
        role->bind(1, id);
        role->bind(2, now);
        role->exec();
        return id;
    });
}

std::optional<int64_t> Identity::find_user(const std::string& ref) {
    Conn& c = db_.conn();
    auto core = c.enter_core();
    bool numeric = !ref.empty() && ref.size() < 19 && ref.find_first_not_of("0123456789") == std::string::npos;
    auto q = c.prepare(numeric ? "SELECT id FROM core_users WHERE id = ?1 AND deleted_at IS NULL"
                               : "SELECT id FROM core_users WHERE openid = ?1 AND deleted_at IS NULL");
    if (numeric) q->bind(1, static_cast<int64_t>(std::stoll(ref)));
    else q->bind(1, ref);
    if (!q->executeStep()) return std::nullopt;
    return q->getColumn(0).getInt64();
}

json Identity::user_json(int64_t user_id) {
    Conn& c = db_.conn();
    auto core = c.enter_core();
    auto q = c.prepare("SELECT id, display_name, created_at FROM core_users WHERE id = ?1");
    q->bind(1, user_id);
    if (!q->executeStep()) return nullptr;
    json u = {{"id", q->getColumn(0).getInt64()},
              {"display_name", q->getColumn(1).getString()},
              {"created_at", time::iso8601_beijing(q->getColumn(2).getInt64())}};
    json roles = json::array();
    for (const auto& r : this->roles(user_id)) roles.push_back(r.text());
    u["roles"] = roles;
    return u;
}

std::string Identity::create_session(int64_t user_id, const std::string& kind) {
    std::string token = crypto::new_token();
    std::string hash = crypto::sha256(token);
    Conn& c = db_.conn();
    auto core = c.enter_core();
    c.write_tx([&] {
        int64_t now = clock_.now_ms();
        auto ins = c.prepare(
            "INSERT INTO core_sessions(token_hash, user_id, kind, created_at, expires_at, last_seen_at) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?4)");
        ins->bind(1, hash.data(), static_cast<int>(hash.size()));
        ins->bind(2, user_id);
        ins->bind(3, kind);
        ins->bind(4, now);
        ins->bind(5, now + ttl_ms_);
        ins->exec();
    });
    return token;
}

std::shared_ptr<const Principal> Identity::authenticate(const std::string& token) {
    // A well-formed token is 43 base64url characters; anything else cannot match, skip the query.
    if (token.size() != 43) return nullptr;
    std::string hash = crypto::sha256(token);
    int64_t now = clock_.now_ms();
    uint64_t gen = generation_.load();
    {
        std::lock_guard lock(cache_mu_);
        auto it = cache_.find(hash);
        if (it != cache_.end()) {
            const Cached& e = it->second;
            bool fresh = e.generation == gen && now - e.checked_at < kCacheMs && now >= e.checked_at;
            // Past half-life the session needs renewing: take the database path below.
            if (fresh && e.expires_at > now && e.expires_at - now >= ttl_ms_ / 2) return e.principal;
            cache_.erase(it);
        }
    }
    Conn& c = db_.conn();
    auto core = c.enter_core();
    Principal p;
    int64_t expires_at = 0;
    {
        auto q = c.prepare(
            "SELECT s.user_id, s.expires_at, s.kind, u.display_name FROM core_sessions s "
            "JOIN core_users u ON u.id = s.user_id "
            "WHERE s.token_hash = ?1 AND s.revoked_at IS NULL AND u.deleted_at IS NULL");
        q->bind(1, hash.data(), static_cast<int>(hash.size()));
        if (!q->executeStep()) return nullptr;
        p.user_id = q->getColumn(0).getInt64();
        expires_at = q->getColumn(1).getInt64();
        p.session_kind = q->getColumn(2).getString();
        p.display_name = q->getColumn(3).getString();
    }
    if (expires_at <= now) return nullptr;
    if (expires_at - now < ttl_ms_ / 2) {
        // Sliding renewal, written only past half-life so most requests stay read-only.
        c.write_tx([&] {
            auto up = c.prepare(
                "UPDATE core_sessions SET expires_at = ?2, last_seen_at = ?3 WHERE token_hash = ?1 AND revoked_at IS NULL");
            up->bind(1, hash.data(), static_cast<int>(hash.size()));
            up->bind(2, now + ttl_ms_);
            up->bind(3, now);
            up->exec();
        });
    }
    p.roles = roles(p.user_id);
    auto shared = std::make_shared<const Principal>(std::move(p));
    {
        std::lock_guard lock(cache_mu_);
        if (cache_.size() > 100000) cache_.clear();  // bound memory under token churn
        int64_t effective = expires_at - now < ttl_ms_ / 2 ? now + ttl_ms_ : expires_at;
        cache_[hash] = Cached{shared, effective, now, gen};
    }
    return shared;
}

bool Identity::revoke_session(const std::string& token) {
    std::string hash = crypto::sha256(token);
    {
        std::lock_guard lock(cache_mu_);
        cache_.erase(hash);
    }
    Conn& c = db_.conn();
    auto core = c.enter_core();
    return c.write_tx([&] {
        auto up = c.prepare("UPDATE core_sessions SET revoked_at = ?2 WHERE token_hash = ?1 AND revoked_at IS NULL");
        up->bind(1, hash.data(), static_cast<int>(hash.size()));
        up->bind(2, clock_.now_ms());
        return up->exec() > 0;
    });
}

int Identity::revoke_all_sessions(int64_t user_id) {
    forget_all();
    struct AfterWrite { Identity* self; ~AfterWrite() { self->forget_all(); } } after{this};  // a racing read may have re-cached
    Conn& c = db_.conn();
    auto core = c.enter_core();
    return c.write_tx([&] {
        auto up = c.prepare("UPDATE core_sessions SET revoked_at = ?2 WHERE user_id = ?1 AND revoked_at IS NULL");
        up->bind(1, user_id);
        up->bind(2, clock_.now_ms());
        return up->exec();
    });
}

std::vector<Role> Identity::roles(int64_t user_id) {
    Conn& c = db_.conn();
    auto core = c.enter_core();
    auto q = c.prepare("SELECT role, scope FROM core_roles WHERE user_id = ?1 ORDER BY role, scope");
    q->bind(1, user_id);
    std::vector<Role> out;
    while (q->executeStep()) out.push_back(Role{q->getColumn(0).getString(), q->getColumn(1).getString()});
    return out;
}

bool Identity::grant(int64_t user_id, const Role& role, int64_t granted_by) {
    forget_all();
    struct AfterWrite { Identity* self; ~AfterWrite() { self->forget_all(); } } after{this};  // a racing read may have re-cached
    Conn& c = db_.conn();
    auto core = c.enter_core();
    return c.write_tx([&] {
        auto ins = c.prepare(
            "INSERT OR IGNORE INTO core_roles(user_id, role, scope, granted_by, granted_at) VALUES (?1, ?2, ?3, NULLIF(?4, 0), ?5)");
        ins->bind(1, user_id);
        ins->bind(2, role.role);
        ins->bind(3, role.scope);
        ins->bind(4, granted_by);
        ins->bind(5, clock_.now_ms());
        return ins->exec() > 0;
    });
}

Identity::Revoked Identity::revoke(int64_t user_id, const Role& role, bool keep_an_admin) {
    forget_all();
    struct AfterWrite { Identity* self; ~AfterWrite() { self->forget_all(); } } after{this};  // a racing read may have re-cached
    Conn& c = db_.conn();
    auto core = c.enter_core();
    return c.write_tx([&] {
        if (keep_an_admin && role.role == "admin") {
            auto others = c.prepare(
                "SELECT count(*) FROM core_roles r JOIN core_users u ON u.id = r.user_id "
                "WHERE r.role = 'admin' AND r.user_id <> ?1 AND u.deleted_at IS NULL");
            others->bind(1, user_id);
            others->executeStep();
            if (others->getColumn(0).getInt64() == 0) return Revoked::last_admin;
        }
        auto del = c.prepare("DELETE FROM core_roles WHERE user_id = ?1 AND role = ?2 AND scope = ?3");
        del->bind(1, user_id);
        del->bind(2, role.role);
        del->bind(3, role.scope);
        return del->exec() > 0 ? Revoked::done : Revoked::not_held;
    });
}

}  // namespace yz
