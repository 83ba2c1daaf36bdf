// SPDX-License-Identifier: MIT
// WechatService: builds the adapter's Client, token cache and push verifier from the config.
#include "wechat_service.hpp"

#include <yz/wechat/sealed_box.hpp>

#include "app.hpp"
#include "log.hpp"

namespace yz {

namespace {

wechat::ClientOptions client_options(const WechatConfig& w) {
    wechat::ClientOptions o;
    o.base_url = w.base_url;
    o.appid = w.appid;
    o.secret = w.secrets.app_secret;
    o.ca_bundle = w.ca_bundle;
    o.connect_timeout = std::chrono::milliseconds(w.connect_timeout_ms);
    o.read_timeout = std::chrono::milliseconds(w.read_timeout_ms);
    return o;
}

std::unique_ptr<wechat::PushVerifier> make_verifier(const WechatConfig& w, const time::Clock& clock) {
    if (w.secrets.push_token.empty()) return nullptr;
    wechat::PushConfig p;
    p.token = w.secrets.push_token;
    p.appid = w.appid;
    p.encoding_aes_key = w.secrets.encoding_aes_key;
    p.previous_encoding_aes_key = w.secrets.previous_encoding_aes_key;
    p.mode = w.push_mode == "plain" ? wechat::PushMode::plain
             : w.push_mode == "compatible" ? wechat::PushMode::compatible
                                           : wechat::PushMode::safe;
    p.max_clock_skew_seconds = w.push_max_clock_skew_s;
    // The app's clock, so tests can move it; WeChat's timestamps are unix seconds.
    p.now = [&clock] { return clock.now_ms() / 1000; };
    auto v = wechat::PushVerifier::create(std::move(p));
    if (!v) throw ConfigError("config: WeChat push settings refused (" + std::string(wechat::to_string(v.code())) +
                              "): set YZ_WECHAT_AES_KEY unless wechat.push_mode is plain");
    return std::move(v.value());
}

}  // namespace

WechatService::WechatService(App& app)
    : app_(app), config_(app.config().wechat), client_(client_options(config_)),
      tokens_(app.db(), app.clock(), client_, config_.secrets.data_key),
      verifier_(make_verifier(config_, app.clock())) {
    if (config_.secrets.data_key.size() != wechat::kSealedBoxKeySize)
        throw ConfigError("config: the WeChat data key must be 32 bytes");
    log::info("wechat_enabled", {{"base_url", config_.base_url}, {"appid", config_.appid},
                                 {"push", verifier_ ? config_.push_mode : "off"},
                                 {"templates", config_.templates.size()}});
}

std::string WechatService::seal(std::string_view plaintext, std::string_view aad) const {
    auto s = wechat::seal(config_.secrets.data_key, plaintext, aad);
    if (!s) throw std::runtime_error("sealing failed: " + std::string(wechat::to_string(s.code())));
    return std::move(s.value());
}

std::optional<std::string> WechatService::unseal(std::string_view sealed, std::string_view aad) const {
    auto p = wechat::unseal(config_.secrets.data_key, sealed, aad);
    if (!p) return std::nullopt;
    return std::move(p.value());
}

std::optional<int64_t> WechatService::user_by_openid(const std::string& openid) {
    Conn& c = app_.db().conn();
    auto core = c.enter_core();
    auto q = c.prepare("SELECT id FROM core_users WHERE openid = ?1 AND deleted_at IS NULL");
    q->bind(1, openid);
    if (!q->executeStep()) return std::nullopt;
    return q->getColumn(0).getInt64();
}

std::optional<std::string> WechatService::openid_of(int64_t user_id) {
    Conn& c = app_.db().conn();
    auto core = c.enter_core();
    auto q = c.prepare("SELECT openid FROM core_users WHERE id = ?1 AND deleted_at IS NULL");
    q->bind(1, user_id);
    if (!q->executeStep()) return std::nullopt;
    return q->getColumn(0).getString();
}

WechatService& wechat_or_503(RequestCtx& ctx) {
    WechatService* w = ctx.app.wechat();
    if (!w) throw ApiError(503, "wechat_unavailable", "微信服务暂未开通");
    return *w;
}

void throw_wechat_failure(RequestCtx& ctx, const wechat::ApiStatus& s, std::string_view what) {
    log::warn("wechat_call_failed", {{"request_id", ctx.request_id},
                                     {"what", what},
                                     {"errcode", s.errcode},
                                     {"action", std::string(wechat::to_string(s.action))},
                                     {"detail", s.detail},
                                     {"errmsg", s.errmsg}});
    if (s.action == wechat::Action::rate_limited) {
        int64_t secs = 60 - (ctx.app.clock().now_ms() / 1000) % 60;
        ctx.res_header("Retry-After", std::to_string(secs < 1 ? 1 : secs));
        throw ApiError(503, "wechat_busy", "微信服务繁忙，请稍后再试");
    }
    throw ApiError(503, "wechat_unavailable", "微信服务暂时不可用，请稍后再试");
}

}  // namespace yz
