// SPDX-License-Identifier: MIT
// POST /api/v1/auth/phone: the caller's verified phone number (PROTOCOL §3), by the phone button's
// `code` (getuserphonenumber, preferred: it never touches the session_key) or the legacy
// `encryptedData` + `iv` (decrypted with the session_key stored at login; watermark.appid must be
// ours). The number is sealed into core_users.phone_enc; answers and logs only ever show it masked.
#include <thread>

#include <yz/wechat/user_data.hpp>

#include "app.hpp"
#include "log.hpp"
#include "wechat_handlers.hpp"
#include "wechat_service.hpp"

namespace yz {
using nlohmann::json;

std::string mask_phone(const std::string& phone) {
    if (phone.size() >= 7) return phone.substr(0, 3) + "****" + phone.substr(phone.size() - 4);
    if (phone.size() >= 2) return phone.substr(0, 1) + std::string(phone.size() - 2, '*') + phone.substr(phone.size() - 1);
    return std::string(phone.size(), '*');
}

std::string phone_aad(int64_t user_id) { return "phone:" + std::to_string(user_id); }

std::optional<json> stored_phone(WechatService& w, int64_t user_id) {
    Conn& c = w.app().db().conn();
    auto core = c.enter_core();
    auto q = c.prepare("SELECT phone_enc FROM core_users WHERE id = ?1");
    q->bind(1, user_id);
    if (!q->executeStep() || q->getColumn(0).isNull()) return std::nullopt;
    auto plain = w.unseal(q->getColumn(0).getString(), phone_aad(user_id));
    if (!plain) return std::nullopt;
    json p = json::parse(*plain, nullptr, false);
    if (!p.is_object()) return std::nullopt;
    return p;
}

namespace {

struct Phone {
    std::string phone_number, pure_phone_number, country_code;
};

Phone by_code(RequestCtx& ctx, WechatService& w, const std::string& code, const std::string& openid) {
    auto call = [&] {
        return w.tokens().with_token([&](const std::string& token) { return w.client().phone_number(token, code, openid); });
    };
    auto r = call();
    if (r.status.action == wechat::Action::busy_retry) {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        r = call();
    }
    if (!r.ok()) {
        if (r.status.action == wechat::Action::relogin)
            throw ApiError(400, "invalid_code", "手机号授权已失效，请重新点击授权");
        if (r.status.failure == wechat::ApiStatus::Failure::bad_response) {
            log::warn("wechat_phone_bad_response", {{"request_id", ctx.request_id}, {"detail", r.status.detail}});
            throw ApiError(502, "wechat_bad_response", "微信返回的数据有误，请重试");
        }
        throw_wechat_failure(ctx, r.status, "getuserphonenumber");
    }
    return {r.value.phone_number, r.value.pure_phone_number, r.value.country_code};
}

Phone by_encrypted_data(RequestCtx& ctx, WechatService& w, int64_t user_id, const std::string& data, const std::string& iv) {
    std::optional<std::string> session_key;
    {
        Conn& c = ctx.app.db().conn();
        auto core = c.enter_core();
        auto q = c.prepare("SELECT session_key_enc FROM core_wechat_session_keys WHERE user_id = ?1");
        q->bind(1, user_id);
        if (q->executeStep()) session_key = w.unseal(q->getColumn(0).getString(), "session_key:" + std::to_string(user_id));
    }
    if (!session_key) throw ApiError(409, "relogin", "请重新登录后再授权手机号");
    auto d = wechat::decrypt_user_data(w.config().appid, *session_key, data, iv);
    if (!d) {
        log::info("wechat_phone_decrypt_failed", {{"request_id", ctx.request_id}, {"why", std::string(wechat::to_string(d.code()))}});
        if (d.code() == wechat::Errc::wrong_appid) throw ApiError(400, "invalid_data", "手机号数据不属于本小程序");
        // Usually wx.login() ran after the button: the session_key rotated (PROTOCOL §3.2 trap).
        throw ApiError(409, "relogin", "请重新登录后再授权手机号");
    }
    json j = json::parse(d->json, nullptr, false);
    Phone p;
    if (j.is_object()) {
        p.phone_number = j.value("phoneNumber", "");
        p.pure_phone_number = j.value("purePhoneNumber", "");
        if (j.contains("countryCode"))
            p.country_code = j["countryCode"].is_string() ? j["countryCode"].get<std::string>() : j["countryCode"].dump();
    }
    if (p.phone_number.empty()) throw ApiError(400, "invalid_data", "手机号数据不完整");
    return p;
}

std::string required_string(const json& b, const char* name) {
    if (!b.contains(name) || !b[name].is_string() || b[name].get<std::string>().empty())
        throw bad_field(name, "missing_field", "缺少手机号授权信息");
    std::string v = b[name];
    if (v.size() > 8192) throw bad_field(name, "invalid_field", "手机号授权信息格式不正确");
    return v;
}

}  // namespace

void handle_wechat_phone(RequestCtx& ctx) {
    const Principal& me = ctx.user();
    WechatService& w = wechat_or_503(ctx);
    auto openid = w.openid_of(me.user_id);
    if (!openid) throw ApiError(403, "wechat_account_required", "请先用微信登录");
    const json& b = ctx.body;
    Phone p = b.contains("code") ? by_code(ctx, w, required_string(b, "code"), *openid)
                                 : by_encrypted_data(ctx, w, me.user_id, required_string(b, "encryptedData"),
                                                     required_string(b, "iv"));
    std::string pure = p.pure_phone_number.empty() ? p.phone_number : p.pure_phone_number;
    json record = {{"phone_number", p.phone_number}, {"pure_phone_number", pure}, {"country_code", p.country_code}};
    std::string sealed = w.seal(record.dump(), phone_aad(me.user_id));
    Conn& c = ctx.app.db().conn();
    auto core = c.enter_core();
    c.write_tx([&] {
        auto up = c.prepare("UPDATE core_users SET phone_enc = ?2 WHERE id = ?1 AND deleted_at IS NULL");
        up->bind(1, me.user_id);
        up->bind(2, sealed.data(), static_cast<int>(sealed.size()));
        up->exec();
    });
    log::info("wechat_phone_stored", {{"request_id", ctx.request_id}, {"user_id", me.user_id}, {"via", b.contains("code") ? "code" : "encrypted_data"}});
    ctx.json(200, json{{"phone", mask_phone(pure)}, {"country_code", p.country_code}});
}

}  // namespace yz
