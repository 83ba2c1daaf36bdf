// SPDX-License-Identifier: MIT
// POST /api/v1/auth/login {"code"}: wx.login code → jscode2session → our own session (PROTOCOL §1, §7).
//
// The session_key is sealed into core_wechat_session_keys and never leaves the server. Each code is
// claimed in core_wechat_login_codes before WeChat is asked, so a double submit (same code twice,
// even concurrently or on another worker) asks WeChat once and the second request gets the first
// one's user with a session of its own (40163 handling without relying on WeChat's error). Errcodes:
// 40029/40163 → 401 relogin; 45011 → 503 + Retry-After; 40226 → 403, audited; -1 → one quick retry.
#include <thread>

#include "app.hpp"
#include "audit.hpp"
#include "crypto_util.hpp"
#include "log.hpp"
#include "wechat_handlers.hpp"
#include "wechat_service.hpp"

namespace yz {
using nlohmann::json;

namespace {

constexpr int64_t kCodeLifetimeMs = 300'000;  // a code lives 5 minutes (PROTOCOL §1.1)

ApiError relogin() { return ApiError(401, "relogin", "登录凭证已失效，请重新登录"); }

// True if this request owns the code; false if another request saw it first.
bool claim_code(Conn& c, const std::string& hash, int64_t now) {
    return c.write_tx([&] {
        auto purge = c.prepare("DELETE FROM core_wechat_login_codes WHERE created_at < ?1");
        purge->bind(1, now - kCodeLifetimeMs);
        purge->exec();
        auto ins = c.prepare("INSERT OR IGNORE INTO core_wechat_login_codes(code_hash, created_at) VALUES (?1, ?2)");
        ins->bind(1, hash.data(), static_cast<int>(hash.size()));
        ins->bind(2, now);
        return ins->exec() == 1;
    });
}

// The user the first request logged in with this code: a user id, 0 while it is still running, or
// nullopt once it failed (its claim is gone).
std::optional<int64_t> code_result(Conn& c, const std::string& hash) {
    auto q = c.prepare("SELECT user_id FROM core_wechat_login_codes WHERE code_hash = ?1");
    q->bind(1, hash.data(), static_cast<int>(hash.size()));
    if (!q->executeStep()) return std::nullopt;
    return q->getColumn(0).isNull() ? 0 : q->getColumn(0).getInt64();
}

void finish_code(Conn& c, const std::string& hash, int64_t user_id) {
    c.write_tx([&] {
        auto up = user_id ? c.prepare("UPDATE core_wechat_login_codes SET user_id = ?2 WHERE code_hash = ?1")
                          : c.prepare("DELETE FROM core_wechat_login_codes WHERE code_hash = ?1");
        up->bind(1, hash.data(), static_cast<int>(hash.size()));
        if (user_id) up->bind(2, user_id);
        up->exec();
    });
}

void store_session_key(WechatService& w, Conn& c, int64_t user_id, const std::string& session_key, int64_t now) {
    std::string sealed = w.seal(session_key, "session_key:" + std::to_string(user_id));
    c.write_tx([&] {
        auto up = c.prepare(
            "INSERT INTO core_wechat_session_keys(user_id, session_key_enc, obtained_at) VALUES (?1, ?2, ?3) "
            "ON CONFLICT(user_id) DO UPDATE SET session_key_enc = excluded.session_key_enc, obtained_at = excluded.obtained_at");
        up->bind(1, user_id);
        up->bind(2, sealed.data(), static_cast<int>(sealed.size()));
        up->bind(3, now);
        up->exec();
    });
}

void answer_session(RequestCtx& ctx, int64_t user_id, bool replayed) {
    Identity& id = ctx.app.identity();
    std::string token = id.create_session(user_id);
    json user = id.user_json(user_id);
    log::info("wechat_login", {{"request_id", ctx.request_id}, {"user_id", user_id}, {"duplicate_code", replayed}});
    ctx.json(200, json{{"token", token}, {"user", user}, {"roles", user["roles"]}});
}

void record_blocked(RequestCtx& ctx, const wechat::ApiStatus& s) {
    audit::Entry e;
    e.actor = {{"client", "wechat_login"}};
    e.action = "wechat.login_blocked";
    e.record_type = "login";
    e.record_id = ctx.request_id;
    e.detail = {{"errcode", s.errcode}, {"request_id", ctx.request_id}};
    audit::record(ctx.app.db().conn(), e, ctx.app.clock().now_ms());
}

}  // namespace

void handle_wechat_login(RequestCtx& ctx) {
    WechatService& w = wechat_or_503(ctx);
    const json& b = ctx.body;
    if (!b.contains("code") || !b["code"].is_string() || b["code"].get<std::string>().empty())
        throw bad_field("code", "missing_field", "缺少登录凭证");
    std::string code = b["code"];
    if (code.size() > 128) throw bad_field("code", "invalid_field", "登录凭证格式不正确");

    Conn& c = ctx.app.db().conn();
    auto core = c.enter_core();
    std::string hash = crypto::sha256(code);
    if (!claim_code(c, hash, ctx.app.clock().now_ms())) {
        // A double submit: wait for the first request's answer (it is talking to WeChat now).
        for (int i = 0; i < 100; ++i) {
            auto first = code_result(c, hash);
            if (!first) throw relogin();
            if (*first > 0) return answer_session(ctx, *first, true);
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        throw ApiError(503, "wechat_unavailable", "微信服务暂时不可用，请稍后再试");
    }

    auto r = w.client().code_to_session(code);
    if (r.status.action == wechat::Action::busy_retry) {
        // -1: the code was most likely not consumed; one quick retry (PROTOCOL §1.1).
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        r = w.client().code_to_session(code);
    }
    if (!r.ok()) {
        finish_code(c, hash, 0);
        const auto& s = r.status;
        switch (s.action) {
            case wechat::Action::relogin:
            case wechat::Action::duplicate_code:  // used elsewhere, and we hold no first result
            case wechat::Action::busy_retry:      // still busy: the client gets a new code
                log::info("wechat_login_refused", {{"request_id", ctx.request_id}, {"errcode", s.errcode}});
                throw relogin();
            case wechat::Action::blocked:
                record_blocked(ctx, s);
                log::warn("wechat_login_blocked", {{"request_id", ctx.request_id}, {"errcode", s.errcode}});
                throw ApiError(403, "login_refused", "暂时无法登录，请稍后再试");
            case wechat::Action::config_error:
                log::error("wechat_config_error", {{"api", "jscode2session"}, {"errcode", s.errcode}, {"errmsg", s.errmsg}});
                [[fallthrough]];
            default: throw_wechat_failure(ctx, s, "jscode2session");
        }
    }
    int64_t now = ctx.app.clock().now_ms();
    int64_t user_id = 0;
    try {
        user_id = ctx.app.identity().upsert_user(r.value.openid, r.value.unionid, "");
        store_session_key(w, c, user_id, r.value.session_key, now);
    } catch (...) {
        finish_code(c, hash, 0);
        throw;
    }
    finish_code(c, hash, user_id);
    answer_session(ctx, user_id, false);
}

}  // namespace yz
