// SPDX-License-Identifier: MIT
// The outbound WeChat API client: jscode2session, stable_token (normal mode only), the phone
// number, subscribe messages, msg_sec_check v2 and checksession (PROTOCOL.md §1–§6). Every call
// returns an ApiResult whose ApiStatus carries errcode/errmsg (a missing errcode counts as 0) and
// the Action the server should take. The client never retries and never caches: the token cache and
// the retry-once rule (§2.3) belong to the core, which switches on Action.
//
// Secrets: the AppSecret, access_token and session_key go only into the request; they never appear
// in ApiStatus::detail or errmsg handling, and this class logs nothing.
// Thread-safe: calls may run concurrently; each opens its own connection (WeChat closes idle ones
// quickly anyway), so no connection state is shared.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>
#include <yz/wechat/errcode_action.hpp>

namespace yz::wechat {

struct ClientOptions {
    /// https://api.weixin.qq.com in production; http://127.0.0.1:<port> for the simulator.
    std::string base_url = "https://api.weixin.qq.com";
    std::string appid;
    std::string secret;
    /// Verified for https base URLs; Debian's bundle by default.
    std::string ca_bundle = "/etc/ssl/certs/ca-certificates.crt";
    std::chrono::milliseconds connect_timeout{3000};
    std::chrono::milliseconds read_timeout{5000};
};

/// Outcome of one call.
struct ApiStatus {
    enum class Failure {
        none,          // HTTP 200 with errcode 0
        wechat,        // HTTP 200 with errcode != 0 (see errcode/errmsg/action)
        transport,     // connect/read failure or timeout, connection dropped
        http_status,   // a non-200 HTTP status
        bad_response,  // body not JSON, required field missing, watermark for another appid
        local_check,   // refused before sending (e.g. subscribe value invalid); see detail
    };
    Failure failure = Failure::none;
    int http_status = 0;
    int errcode = 0;
    std::string errmsg;  // WeChat's text with its rid; log it, never branch on it
    Action action = Action::ok;
    std::string detail;  // our own description for logs; never contains secrets

    bool ok() const noexcept { return failure == Failure::none; }
};

template <class T>
struct ApiResult {
    ApiStatus status;
    T value{};  // meaningful only when status.ok()
    bool ok() const noexcept { return status.ok(); }
};

/// jscode2session result. session_key stays on the server (§7).
struct Session {
    std::string openid;
    std::string session_key;
    std::string unionid;  // empty unless bound to an Open Platform account
};

struct AccessToken {
    std::string access_token;
    std::int64_t expires_in = 0;  // seconds
};

struct PhoneInfo {
    std::string phone_number;  // with country code for non-mainland numbers
    std::string pure_phone_number;
    std::string country_code;  // WeChat sends 86 or "86"; always text here
    std::int64_t watermark_timestamp = 0;
};

struct SubscribeMessage {
    std::string touser;
    std::string template_id;
    std::string page;                                       // optional
    std::vector<std::pair<std::string, std::string>> data;  // keyword → value
    std::string miniprogram_state;                          // optional: developer | trial | formal
    std::string lang;  // optional: zh_CN (default) | en_US | zh_HK | zh_TW
};

enum class SecScene { profile = 1, comment = 2, forum = 3, social_log = 4 };

struct SecCheckRequest {
    std::string openid;  // the author; must have opened the mini-program within 2 hours
    SecScene scene = SecScene::comment;
    std::string content;
    std::string nickname;   // optional
    std::string title;      // optional
    std::string signature;  // optional, profile bio (scene profile only)
};

enum class SecSuggest { pass, review, risky };

struct SecCheckVerdict {
    SecSuggest suggest = SecSuggest::review;
    int label = 0;         // 100 normal, 10001 ads, 20001 politics, ...
    std::string trace_id;  // keep with the audit record
};

/// A jscode2session reply body (HTTP 200) read as code_to_session does: errcode mapped to its
/// action, openid and session_key required. Pure, for tests and the fuzz target.
ApiResult<Session> parse_session_reply(std::string_view body);

class Client {
  public:
    explicit Client(ClientOptions options);

    /// GET /sns/jscode2session. Actions: relogin (40029), duplicate_code (40163), rate_limited,
    /// blocked (40226), config_error (40013/40125), busy_retry (-1).
    ApiResult<Session> code_to_session(std::string_view js_code) const;

    /// POST /cgi-bin/stable_token in normal mode (force_refresh false). Deliberately no forced
    /// variant: forcing is a manual "token leaked" action (§2.3).
    ApiResult<AccessToken> stable_token() const;

    /// POST /wxa/business/getuserphonenumber. `openid` (optional) lets WeChat check the code
    /// belongs to that user. A non-empty watermark.appid that is not ours is bad_response.
    ApiResult<PhoneInfo> phone_number(std::string_view access_token, std::string_view code,
                                      std::string_view openid = {}) const;

    /// POST /cgi-bin/message/subscribe/send. Values are checked first (check_subscribe_data);
    /// a failure returns local_check + Action::invalid_param naming the keyword, without sending.
    ApiResult<std::monostate> send_subscribe(std::string_view access_token,
                                             const SubscribeMessage& message) const;

    /// POST /wxa/msg_sec_check (version 2). The verdict is result.suggest; errcode 0 only means
    /// the call worked. On any failure the caller must fail closed into review (§6.2).
    ApiResult<SecCheckVerdict> msg_sec_check(std::string_view access_token,
                                             const SecCheckRequest& request) const;

    /// GET /wxa/checksession with the HMAC-SHA256 login-state signature. Action
    /// session_key_stale (87009) means the stored session_key is no longer current.
    ApiResult<std::monostate> check_session(std::string_view access_token, std::string_view openid,
                                            std::string_view session_key) const;

    const ClientOptions& options() const noexcept { return options_; }

  private:
    ClientOptions options_;
};

}  // namespace yz::wechat
