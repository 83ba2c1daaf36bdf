// SPDX-License-Identifier: MIT
// yz::wechat::Client over httplib::Client: request building, errcode extraction, Action mapping.
#include <httplib.h>

#include <cctype>
#include <nlohmann/json.hpp>
#include <yz/wechat/client.hpp>
#include <yz/wechat/signature.hpp>
#include <yz/wechat/subscribe_rules.hpp>

#include "json_fields.hpp"

namespace yz::wechat {
namespace {

using nlohmann::json;
using Failure = ApiStatus::Failure;

struct Reply {
    ApiStatus status;
    json body;
};

/// RFC 3986 percent-encoding for query values (tokens and codes are URL-safe today; do not rely on
/// it).
std::string url_encode(std::string_view s) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out.push_back(static_cast<char>(c));
        } else {
            out.push_back('%');
            out.push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 0x0f]);
        }
    }
    return out;
}

std::string with_token(std::string_view path, std::string_view access_token) {
    return std::string(path) + "?access_token=" + url_encode(access_token);
}

/// UTF-8 JSON with raw (not \u-escaped) Chinese, as WeChat's docs and SDKs send it (PROTOCOL.md
/// conventions). Invalid UTF-8 is replaced rather than throwing.
std::string dump(const json& body) {
    return body.dump(-1, ' ', false, json::error_handler_t::replace);
}

class Transport {
  public:
    explicit Transport(const ClientOptions& o) : cli_(o.base_url) {
        cli_.set_connection_timeout(o.connect_timeout);
        cli_.set_read_timeout(o.read_timeout);
        cli_.set_write_timeout(o.read_timeout);
        if (o.base_url.rfind("https://", 0) == 0) {
            cli_.set_ca_cert_path(o.ca_bundle);
            cli_.enable_server_certificate_verification(true);
        }
    }

    httplib::Result get(const std::string& path, const httplib::Params& params) {
        return cli_.Get(path, params, httplib::Headers{});
    }
    httplib::Result post(const std::string& path, const json& body) {
        return cli_.Post(path, dump(body), "application/json; charset=utf-8");
    }

  private:
    httplib::Client cli_;
};

/// Status + JSON object from a 200 body. Only the errcode decides success: a missing errcode is 0
/// because successful jscode2session/token bodies often omit it.
Reply interpret_body(Api api, std::string_view text) {
    Reply r;
    r.status.http_status = 200;
    r.body = json::parse(text, nullptr, false);
    if (r.body.is_discarded() || !r.body.is_object()) {
        r.status.failure = Failure::bad_response;
        r.status.action = Action::unknown;
        r.status.detail = std::string(to_string(api)) + ": response is not a JSON object";
        return r;
    }
    const auto errcode = detail::int_field(r.body, "errcode").value_or(0);
    r.status.errcode = static_cast<int>(errcode);
    r.status.errmsg = detail::string_field(r.body, "errmsg");
    r.status.action = action_for(api, r.status.errcode);
    if (r.status.errcode != 0) {
        r.status.failure = Failure::wechat;
        r.status.detail = std::string(to_string(api)) + ": errcode " + std::to_string(errcode);
    }
    return r;
}

/// Turns an HTTP result into status + JSON body: transport and HTTP failures, then interpret_body.
Reply interpret(Api api, const httplib::Result& res) {
    Reply r;
    if (!res) {
        r.status.failure = Failure::transport;
        r.status.action = Action::unavailable;
        r.status.detail = std::string(to_string(api)) + ": " + httplib::to_string(res.error());
        return r;
    }
    r.status.http_status = res->status;
    if (res->status != 200) {
        r.status.failure = Failure::http_status;
        r.status.action = Action::unavailable;
        r.status.detail = std::string(to_string(api)) + ": HTTP " + std::to_string(res->status);
        return r;
    }
    return interpret_body(api, res->body);
}

void mark_bad_response(ApiStatus& status, Api api, std::string_view what) {
    status.failure = Failure::bad_response;
    status.action = Action::unknown;
    status.detail = std::string(to_string(api)) + ": " + std::string(what);
}

SecSuggest parse_suggest(std::string_view s, bool& known) {
    known = true;
    if (s == "pass") return SecSuggest::pass;
    if (s == "risky") return SecSuggest::risky;
    known = s == "review";
    return SecSuggest::review;
}

}  // namespace

ApiResult<Session> parse_session_reply(std::string_view body) {
    auto reply = interpret_body(Api::jscode2session, body);
    ApiResult<Session> out{std::move(reply.status), {}};
    if (!out.ok()) return out;
    out.value = {detail::string_field(reply.body, "openid"),
                 detail::string_field(reply.body, "session_key"),
                 detail::string_field(reply.body, "unionid")};
    if (out.value.openid.empty() || out.value.session_key.empty()) {
        mark_bad_response(out.status, Api::jscode2session, "openid or session_key missing");
    }
    return out;
}

Client::Client(ClientOptions options) : options_(std::move(options)) {}

ApiResult<Session> Client::code_to_session(std::string_view js_code) const {
    Transport t(options_);
    const httplib::Params params = {{"appid", options_.appid},
                                    {"secret", options_.secret},
                                    {"js_code", std::string(js_code)},
                                    {"grant_type", "authorization_code"}};
    auto res = t.get("/sns/jscode2session", params);
    if (!res || res->status != 200) return {interpret(Api::jscode2session, res).status, {}};
    return parse_session_reply(res->body);
}

ApiResult<AccessToken> Client::stable_token() const {
    Transport t(options_);
    const json body = {{"grant_type", "client_credential"},
                       {"appid", options_.appid},
                       {"secret", options_.secret},
                       {"force_refresh", false}};
    auto reply = interpret(Api::stable_token, t.post("/cgi-bin/stable_token", body));
    ApiResult<AccessToken> out{std::move(reply.status), {}};
    if (!out.ok()) return out;
    out.value = {detail::string_field(reply.body, "access_token"),
                 detail::int_field(reply.body, "expires_in").value_or(0)};
    if (out.value.access_token.empty() || out.value.expires_in <= 0) {
        mark_bad_response(out.status, Api::stable_token, "access_token or expires_in missing");
    }
    return out;
}

ApiResult<PhoneInfo> Client::phone_number(std::string_view access_token, std::string_view code,
                                          std::string_view openid) const {
    Transport t(options_);
    json body = {{"code", std::string(code)}};
    if (!openid.empty()) body["openid"] = std::string(openid);
    auto reply =
        interpret(Api::phone_number,
                  t.post(with_token("/wxa/business/getuserphonenumber", access_token), body));
    ApiResult<PhoneInfo> out{std::move(reply.status), {}};
    if (!out.ok()) return out;
    const auto info = reply.body.find("phone_info");
    if (info == reply.body.end() || !info->is_object()) {
        mark_bad_response(out.status, Api::phone_number, "phone_info missing");
        return out;
    }
    const json watermark = info->value("watermark", json::object());
    out.value = {detail::string_field(*info, "phoneNumber"),
                 detail::string_field(*info, "purePhoneNumber"),
                 detail::string_field(*info, "countryCode"),
                 detail::int_field(watermark, "timestamp").value_or(0)};
    // Checked whenever present: wechatpy's fixture has it empty, real traffic has our appid.
    const std::string wm_appid = detail::string_field(watermark, "appid");
    if (!wm_appid.empty() && wm_appid != options_.appid) {
        mark_bad_response(out.status, Api::phone_number, "watermark.appid is not ours");
    } else if (out.value.phone_number.empty()) {
        mark_bad_response(out.status, Api::phone_number, "phoneNumber missing");
    }
    return out;
}

ApiResult<std::monostate> Client::send_subscribe(std::string_view access_token,
                                                 const SubscribeMessage& message) const {
    ApiResult<std::monostate> out;
    if (auto errors = check_subscribe_data(message.data); !errors.empty()) {
        out.status.failure = Failure::local_check;
        out.status.action = Action::invalid_param;
        out.status.detail = "subscribe_send: " + errors.front().message();
        return out;
    }
    json data = json::object();
    for (const auto& [keyword, value] : message.data) data[keyword] = {{"value", value}};
    json body = {{"touser", message.touser}, {"template_id", message.template_id}, {"data", data}};
    if (!message.page.empty()) body["page"] = message.page;
    if (!message.miniprogram_state.empty()) body["miniprogram_state"] = message.miniprogram_state;
    if (!message.lang.empty()) body["lang"] = message.lang;
    Transport t(options_);
    auto reply =
        interpret(Api::subscribe_send,
                  t.post(with_token("/cgi-bin/message/subscribe/send", access_token), body));
    out.status = std::move(reply.status);
    return out;
}

ApiResult<SecCheckVerdict> Client::msg_sec_check(std::string_view access_token,
                                                 const SecCheckRequest& request) const {
    json body = {{"version", 2},
                 {"openid", request.openid},
                 {"scene", static_cast<int>(request.scene)},
                 {"content", request.content}};
    if (!request.nickname.empty()) body["nickname"] = request.nickname;
    if (!request.title.empty()) body["title"] = request.title;
    if (!request.signature.empty()) body["signature"] = request.signature;
    Transport t(options_);
    auto reply =
        interpret(Api::msg_sec_check, t.post(with_token("/wxa/msg_sec_check", access_token), body));
    ApiResult<SecCheckVerdict> out{std::move(reply.status), {}};
    if (!out.ok()) return out;
    const auto result = reply.body.find("result");
    if (result == reply.body.end() || !result->is_object()) {
        mark_bad_response(out.status, Api::msg_sec_check, "result missing");
        return out;
    }
    bool known = false;
    out.value.suggest = parse_suggest(detail::string_field(*result, "suggest"), known);
    out.value.label = static_cast<int>(detail::int_field(*result, "label").value_or(0));
    out.value.trace_id = detail::string_field(reply.body, "trace_id");
    if (!known) mark_bad_response(out.status, Api::msg_sec_check, "unknown result.suggest");
    return out;
}

ApiResult<std::monostate> Client::check_session(std::string_view access_token,
                                                std::string_view openid,
                                                std::string_view session_key) const {
    Transport t(options_);
    const httplib::Params params = {{"access_token", std::string(access_token)},
                                    {"openid", std::string(openid)},
                                    {"signature", login_state_signature(session_key, "")},
                                    {"sig_method", "hmac_sha256"}};
    auto reply = interpret(Api::checksession, t.get("/wxa/checksession", params));
    return {std::move(reply.status), {}};
}

}  // namespace yz::wechat
