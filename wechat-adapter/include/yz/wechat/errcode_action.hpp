// SPDX-License-Identifier: MIT
// What the server should do about a WeChat errcode, per API, as PROTOCOL.md's tables say (§1.1,
// §2.1, §3.1, §4, §6, §8). The same code can mean different things on different endpoints (40001 is
// "token stale" on business APIs but "wrong AppSecret" on the token endpoint), so the mapping takes
// the API. The core switches on Action; it never branches on errmsg text.
// Thread-safe: pure functions.
#pragma once

#include <string_view>

namespace yz::wechat {

enum class Api {
    jscode2session,
    stable_token,
    token,  // legacy cgi-bin/token
    phone_number,
    subscribe_send,
    custom_send,
    msg_sec_check,
    checksession,
    reset_session_key,
};

enum class Action {
    ok,
    busy_retry,       // -1: retry with backoff (jscode2session: one quick retry, then relogin)
    token_invalid,    // 40001/40014/42001 on business APIs: compare-and-expire, refresh, retry once
    relogin,          // 40029 (and 40163 without a cached result): the client needs a new code
    duplicate_code,   // 40163: return the cached first result for this code if we have one
    rate_limited,     // 45011: back off to the next minute; 503 + Retry-After to the client
    quota_exhausted,  // 45009: circuit-break and alert; quota reset is manual
    blocked,          // 40226: risk control refused this user; generic message, no retry
    config_error,     // 40013/40125/40164/48001/40037/41030, and 40001 at the token endpoint
    consent_refused,  // 43101: no grant left; zero the grant counter, drop, never retry
    invalid_param,    // 47003: template data invalid (errmsg names the field); drop, log as bug
    invalid_openid,   // 40003: drop and log
    outside_window,   // 45015/45047: customer-service window closed; fall back to subscribe
    session_key_stale,  // 87009: stored session_key no longer current; require re-login
    request_bug,        // 47001/40129/43104/43302/44002/87008: our request is malformed
    content_risky,      // 87014 (v1 msg_sec_check only)
    unavailable,        // transport failure or HTTP error: retry later; sec-check fails closed
    unknown,            // an errcode not in the tables: log errmsg, treat as a failure
};

/// Stable snake_case name for logs and metrics.
std::string_view to_string(Action action) noexcept;
std::string_view to_string(Api api) noexcept;

/// Maps (api, errcode) to an Action. errcode 0 is always Action::ok.
Action action_for(Api api, int errcode) noexcept;

}  // namespace yz::wechat
