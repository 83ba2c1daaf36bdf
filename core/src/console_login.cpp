// SPDX-License-Identifier: MIT
#include "console_login.hpp"

#include "crypto_util.hpp"

namespace yz::console_login {

Challenge create(Conn& c, int64_t now_ms, int64_t ttl_ms, int64_t user_id) {
    Challenge ch{crypto::base64url(crypto::random_bytes(16)), crypto::new_token(), now_ms + ttl_ms};
    auto core = c.enter_core();
    c.write_tx([&] {
        auto old = c.prepare("DELETE FROM core_console_challenges WHERE expires_at < ?1");
        old->bind(1, static_cast<int64_t>(now_ms - int64_t{24} * 3600 * 1000));  // expired a day ago: of no use to anyone
        old->exec();
        auto ins = c.prepare(
            "INSERT INTO core_console_challenges(id, secret_hash, user_id, state, created_at, expires_at) "
            "VALUES (?1, ?2, NULLIF(?3, 0), ?4, ?5, ?6)");
        ins->bind(1, ch.id);
        ins->bind(2, crypto::hex(crypto::sha256(ch.secret)));
        ins->bind(3, user_id);
        ins->bind(4, user_id ? "confirmed" : "pending");
        ins->bind(5, now_ms);
        ins->bind(6, ch.expires_at);
        ins->exec();
    });
    return ch;
}

Outcome confirm(Conn& c, const std::string& id, int64_t user_id, int64_t now_ms) {
    auto core = c.enter_core();
    return c.write_tx([&] {
        auto q = c.prepare("SELECT state, expires_at FROM core_console_challenges WHERE id = ?1");
        q->bind(1, id);
        if (!q->executeStep()) return Outcome::unknown;
        if (q->getColumn(1).getInt64() < now_ms) return Outcome::expired;
        if (q->getColumn(0).getString() != "pending") return Outcome::used;
        auto up = c.prepare("UPDATE core_console_challenges SET state = 'confirmed', user_id = ?2 WHERE id = ?1 AND state = 'pending'");
        up->bind(1, id);
        up->bind(2, user_id);
        return up->exec() == 1 ? Outcome::ok : Outcome::used;
    });
}

Outcome collect(Conn& c, const std::string& id, const std::string& secret, int64_t now_ms, int64_t& user_id) {
    auto core = c.enter_core();
    return c.write_tx([&] {
        auto q = c.prepare("SELECT state, expires_at, secret_hash, COALESCE(user_id, 0) FROM core_console_challenges WHERE id = ?1");
        q->bind(1, id);
        if (!q->executeStep() || q->getColumn(2).getString() != crypto::hex(crypto::sha256(secret))) return Outcome::unknown;
        std::string state = q->getColumn(0).getString();
        if (state == "spent") return Outcome::used;
        if (q->getColumn(1).getInt64() < now_ms) return Outcome::expired;
        if (state == "pending") return Outcome::pending;
        user_id = q->getColumn(3).getInt64();
        auto up = c.prepare("UPDATE core_console_challenges SET state = 'spent' WHERE id = ?1 AND state = 'confirmed'");
        up->bind(1, id);
        return up->exec() == 1 ? Outcome::ok : Outcome::used;
    });
}

}  // namespace yz::console_login
