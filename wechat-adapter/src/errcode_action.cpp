// SPDX-License-Identifier: MIT
// The errcode tables of PROTOCOL.md as one switch per meaning.
#include <yz/wechat/errcode_action.hpp>

namespace yz::wechat {
namespace {

bool is_token_endpoint(Api api) { return api == Api::stable_token || api == Api::token; }

}  // namespace

Action action_for(Api api, int errcode) noexcept {
    switch (errcode) {
        case 0:
            return Action::ok;
        case -1:
            return Action::busy_retry;
        case 40001:
            // At the token endpoint 40001 means a wrong AppSecret: refreshing again would loop.
            return is_token_endpoint(api) ? Action::config_error : Action::token_invalid;
        case 40014:
        case 42001:
            return Action::token_invalid;
        case 40029:
            return Action::relogin;
        case 40163:
            return Action::duplicate_code;
        case 45011:
            return Action::rate_limited;
        case 45009:
            return Action::quota_exhausted;
        case 40226:
            return Action::blocked;
        case 40013:
        case 40125:
        case 40164:
        case 48001:
        case 40037:
        case 41030:
            return Action::config_error;
        case 43101:
            return Action::consent_refused;
        case 47003:
            return Action::invalid_param;
        case 40003:
            return Action::invalid_openid;
        case 45015:
        case 45047:
            return Action::outside_window;
        case 87009:
            return Action::session_key_stale;
        case 47001:
        case 40129:
        case 43104:
        case 43302:
        case 44002:
        case 87008:
            return Action::request_bug;
        case 87014:
            return Action::content_risky;
        default:
            return Action::unknown;
    }
}

std::string_view to_string(Action action) noexcept {
    switch (action) {
        case Action::ok:
            return "ok";
        case Action::busy_retry:
            return "busy_retry";
        case Action::token_invalid:
            return "token_invalid";
        case Action::relogin:
            return "relogin";
        case Action::duplicate_code:
            return "duplicate_code";
        case Action::rate_limited:
            return "rate_limited";
        case Action::quota_exhausted:
            return "quota_exhausted";
        case Action::blocked:
            return "blocked";
        case Action::config_error:
            return "config_error";
        case Action::consent_refused:
            return "consent_refused";
        case Action::invalid_param:
            return "invalid_param";
        case Action::invalid_openid:
            return "invalid_openid";
        case Action::outside_window:
            return "outside_window";
        case Action::session_key_stale:
            return "session_key_stale";
        case Action::request_bug:
            return "request_bug";
        case Action::content_risky:
            return "content_risky";
        case Action::unavailable:
            return "unavailable";
        case Action::unknown:
            return "unknown";
    }
    return "unknown";
}

std::string_view to_string(Api api) noexcept {
    switch (api) {
        case Api::jscode2session:
            return "jscode2session";
        case Api::stable_token:
            return "stable_token";
        case Api::token:
            return "token";
        case Api::phone_number:
            return "getuserphonenumber";
        case Api::subscribe_send:
            return "subscribe_send";
        case Api::custom_send:
            return "custom_send";
        case Api::msg_sec_check:
            return "msg_sec_check";
        case Api::checksession:
            return "checksession";
        case Api::reset_session_key:
            return "resetusersessionkey";
    }
    return "unknown";
}

}  // namespace yz::wechat
