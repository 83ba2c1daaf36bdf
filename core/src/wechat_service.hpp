// SPDX-License-Identifier: MIT
// The core's WeChat integration, wired from the adapter (`yz_wechat`): one outbound Client, the
// shared access-token cache, the push verifier, and the at-rest data key. App owns one when
// wechat.base_url is set (or `serve --dev` set it to the embedded simulator); the route handlers,
// the outbox sender and text screening reach it through App::wechat().
// Thread-safe: members are immutable after construction except the token cache and the push
// verifier, which lock internally.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <yz/wechat/client.hpp>
#include <yz/wechat/push_verifier.hpp>

#include "wechat_config.hpp"
#include "wechat_token.hpp"

namespace yz {

class App;
struct RequestCtx;

class WechatService {
public:
    // Throws ConfigError when a key is malformed (EncodingAESKey, data key).
    explicit WechatService(App& app);

    App& app() { return app_; }
    const WechatConfig& config() const { return config_; }
    const wechat::Client& client() const { return client_; }
    AccessTokenCache& tokens() { return tokens_; }
    // nullptr when no push Token is configured (the push route then answers 503).
    wechat::PushVerifier* push_verifier() { return verifier_.get(); }

    // AES-256-GCM with the data key; `aad` binds the value to its row ("phone:<user id>").
    std::string seal(std::string_view plaintext, std::string_view aad) const;
    std::optional<std::string> unseal(std::string_view sealed, std::string_view aad) const;

    // The live user with this openid, and the reverse.
    std::optional<int64_t> user_by_openid(const std::string& openid);
    std::optional<std::string> openid_of(int64_t user_id);

private:
    App& app_;
    WechatConfig config_;
    wechat::Client client_;
    AccessTokenCache tokens_;
    std::unique_ptr<wechat::PushVerifier> verifier_;
};

// The service, or 503 `wechat_unavailable` when WeChat is not configured.
WechatService& wechat_or_503(RequestCtx& ctx);
// Maps a failed WeChat call that has no route-specific meaning: 45011 → 503 with Retry-After (to
// the next minute), everything else → 503 wechat_unavailable; logged without secrets.
[[noreturn]] void throw_wechat_failure(RequestCtx& ctx, const wechat::ApiStatus& status, std::string_view what);

}  // namespace yz
