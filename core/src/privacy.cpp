// SPDX-License-Identifier: MIT
// The caller's own data (PIPL access and erasure rights):
//   GET /api/v1/me/export  everything the core holds about the caller — account, phone (unmasked:
//                          it is theirs), roles, sessions (no token hashes), consent ledger,
//                          notifications, customer-service messages, their audit trail. The
//                          session_key is reported as held, never shown (PROTOCOL §7).
//   DELETE /api/v1/me      erases personal fields (display name, unionid, phone, session_key,
//                          message texts, notification data), replaces the openid with a random
//                          pseudonym so a later WeChat login starts a new account, revokes every
//                          session, and keeps the ledgers consistent by appending (consent is
//                          zeroed by an "erased" entry; audit rows stay, they name only the user id).
// What a station keeps is its to export and erase (ABI 1.2 privacy_handler_add): the export
// carries each station's part under "stations"; each station's erasure runs inside the core's
// erasure transaction, so if any station fails nothing is erased and the caller may try again.
#include "privacy.hpp"

#include "app.hpp"
#include "audit.hpp"
#include "crypto_util.hpp"
#include "log.hpp"
#include "plugin_manager.hpp"
#include "time_util.hpp"
#include "wechat_consent.hpp"
#include "wechat_handlers.hpp"
#include "wechat_service.hpp"

namespace yz {
using nlohmann::json;

namespace {

json opt_time(SQLite::Column col) { return col.isNull() ? json(nullptr) : json(time::iso8601_beijing(col.getInt64())); }
json opt_text(SQLite::Column col) { return col.isNull() ? json(nullptr) : json(col.getString()); }

json account(RequestCtx& ctx, Conn& c, int64_t uid) {
    auto q = c.prepare("SELECT openid, unionid, display_name, created_at, phone_enc IS NOT NULL FROM core_users WHERE id = ?1");
    q->bind(1, uid);
    if (!q->executeStep()) throw not_found();
    json a = {{"id", uid},
              {"openid", q->getColumn(0).getString()},
              {"unionid", opt_text(q->getColumn(1))},
              {"display_name", q->getColumn(2).getString()},
              {"created_at", time::iso8601_beijing(q->getColumn(3).getInt64())},
              {"phone", nullptr}};
    bool has_phone = q->getColumn(4).getInt() != 0;
    if (has_phone) {
        WechatService* w = ctx.app.wechat();
        auto p = w ? stored_phone(*w, uid) : std::nullopt;
        a["phone"] = p ? *p : json("(stored encrypted; WeChat is not configured on this server)");
    }
    return a;
}

json sessions(Conn& c, int64_t uid) {
    auto q = c.prepare(
        "SELECT kind, created_at, expires_at, last_seen_at, revoked_at FROM core_sessions WHERE user_id = ?1 ORDER BY created_at");
    q->bind(1, uid);
    json out = json::array();
    while (q->executeStep())
        out.push_back({{"kind", q->getColumn(0).getString()},
                       {"created_at", time::iso8601_beijing(q->getColumn(1).getInt64())},
                       {"expires_at", time::iso8601_beijing(q->getColumn(2).getInt64())},
                       {"last_seen_at", time::iso8601_beijing(q->getColumn(3).getInt64())},
                       {"revoked_at", opt_time(q->getColumn(4))}});
    return out;
}

json notifications(Conn& c, int64_t uid) {
    auto q = c.prepare(
        "SELECT o.id, o.station, o.template_key, o.data, o.state, o.created_at, d.status, d.error_code "
        "FROM core_outbox o LEFT JOIN core_wechat_deliveries d ON d.outbox_id = o.id WHERE o.user_id = ?1 ORDER BY o.id");
    q->bind(1, uid);
    json out = json::array();
    while (q->executeStep())
        out.push_back({{"id", q->getColumn(0).getInt64()},
                       {"station", q->getColumn(1).getString()},
                       {"template_key", q->getColumn(2).getString()},
                       {"data", json::parse(q->getColumn(3).getString(), nullptr, false)},
                       {"state", q->getColumn(4).getString()},
                       {"created_at", time::iso8601_beijing(q->getColumn(5).getInt64())},
                       {"delivery", opt_text(q->getColumn(6))},
                       {"delivery_errcode", q->getColumn(7).isNull() ? json(nullptr) : json(q->getColumn(7).getInt())}});
    return out;
}

json messages(Conn& c, int64_t uid) {
    auto q = c.prepare("SELECT kind, content, state, received_at FROM core_wechat_messages WHERE user_id = ?1 ORDER BY id");
    q->bind(1, uid);
    json out = json::array();
    while (q->executeStep())
        out.push_back({{"kind", q->getColumn(0).getString()},
                       {"content", q->getColumn(1).getString()},
                       {"state", q->getColumn(2).getString()},
                       {"received_at", time::iso8601_beijing(q->getColumn(3).getInt64())}});
    return out;
}

json own_audit(Conn& c, int64_t uid) {
    auto q = c.prepare("SELECT at, action, record_type, record_id, station FROM core_audit WHERE actor_user_id = ?1 ORDER BY id");
    q->bind(1, uid);
    json out = json::array();
    while (q->executeStep())
        out.push_back({{"at", time::iso8601_beijing(q->getColumn(0).getInt64())},
                       {"action", q->getColumn(1).getString()},
                       {"record_type", q->getColumn(2).getString()},
                       {"record_id", q->getColumn(3).getString()},
                       {"station", q->getColumn(4).getString()}});
    return out;
}

void export_me(RequestCtx& ctx) {
    const Principal& me = ctx.user();
    Conn& c = ctx.app.db().conn();
    auto core = c.enter_core();
    json out;
    out["account"] = account(ctx, c, me.user_id);
    out["roles"] = me.role_texts();
    out["sessions"] = sessions(c, me.user_id);
    {
        auto q = c.prepare("SELECT obtained_at FROM core_wechat_session_keys WHERE user_id = ?1");
        q->bind(1, me.user_id);
        out["wechat_session_key"] = q->executeStep()
                                        ? json{{"held", true}, {"obtained_at", time::iso8601_beijing(q->getColumn(0).getInt64())}}
                                        : json{{"held", false}};
    }
    out["subscriptions"] = {{"credits", consent::balances(c, me.user_id)}, {"ledger", consent::entries(c, me.user_id)}};
    out["notifications"] = notifications(c, me.user_id);
    out["customer_service_messages"] = messages(c, me.user_id);
    out["audit"] = own_audit(c, me.user_id);
    out["stations"] = ctx.app.plugins().export_user(me.user_id);
    out["exported_at"] = time::iso8601_beijing(ctx.app.clock().now_ms());
    ctx.json(200, out);
}

void run(Conn& c, const char* sql, int64_t uid, int64_t now = 0) {
    auto st = c.prepare(sql);
    st->bind(1, uid);
    if (now) st->bind(2, now);
    st->exec();
}

void erase_me(RequestCtx& ctx) {
    const Principal& me = ctx.user();
    int64_t uid = me.user_id;
    Conn& c = ctx.app.db().conn();
    auto core = c.enter_core();
    int64_t now = ctx.app.clock().now_ms();
    std::string pseudonym = "erased:" + crypto::hex(crypto::random_bytes(16));
    c.write_tx([&] {
        auto up = c.prepare(
            "UPDATE core_users SET openid = ?2, unionid = NULL, display_name = '', phone_enc = NULL, deleted_at = ?3 "
            "WHERE id = ?1 AND deleted_at IS NULL");
        up->bind(1, uid);
        up->bind(2, pseudonym);
        up->bind(3, now);
        if (up->exec() != 1) throw not_found();
        try {
            ctx.app.plugins().erase_user(uid);
        } catch (const std::runtime_error& e) {
            log::error("user_erase_failed", {{"request_id", ctx.request_id}, {"user_id", uid}, {"error", e.what()}});
            throw ApiError(503, "erase_failed", "注销暂未完成，您的数据均未改动，请稍后再试");
        }
        run(c, "DELETE FROM core_wechat_session_keys WHERE user_id = ?1", uid);
        run(c, "DELETE FROM core_wechat_login_codes WHERE user_id = ?1", uid);
        run(c, "DELETE FROM core_roles WHERE user_id = ?1", uid);
        run(c, "UPDATE core_wechat_messages SET content = '', msg_id = NULL, state = 'erased' WHERE user_id = ?1", uid);
        run(c,
            "UPDATE core_outbox SET data = '{}', "
            "last_error = CASE WHEN state = 'queued' THEN 'user erased' ELSE last_error END, "
            "state = CASE WHEN state = 'queued' THEN 'no_consent' ELSE state END, updated_at = ?2 WHERE user_id = ?1",
            uid, now);
        consent::zero_all(c, uid, "erased", now);
        ctx.app.identity().revoke_all_sessions(uid);
        audit::record(c, audit::about_self(uid, "user.erase"), now);
    });
    log::info("user_erased", {{"request_id", ctx.request_id}, {"user_id", uid}});
    ctx.json(200, json{{"erased", true}});
}

}  // namespace

void add_privacy_routes(App& app, std::vector<Route>& r) {
    (void)app;
    r.push_back(core_route("GET", "/api/v1/me/export", "user", "Everything held about the caller", export_me));
    r.push_back(core_route("DELETE", "/api/v1/me", "user", "Erase the caller's personal data and account", erase_me));
}

}  // namespace yz
