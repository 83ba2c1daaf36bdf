// SPDX-License-Identifier: MIT
// Signs, optionally encrypts, and POSTs a push to a server URL.
#include "sim_push_sender.hpp"

#include <httplib.h>

#include <yz/wechat/encoding.hpp>
#include <yz/wechat/push_cipher.hpp>
#include <yz/wechat/signature.hpp>
#include <yz/wechat/xml_reader.hpp>

namespace yz::wechat::sim {
namespace {

using nlohmann::json;

void append_xml_value(std::string& out, const std::string& name, const json& value) {
    if (value.is_array()) {
        for (const auto& item : value) append_xml_value(out, name, item);
        return;
    }
    out += "<" + name + ">";
    if (value.is_object()) {
        for (const auto& [k, v] : value.items()) append_xml_value(out, k, v);
    } else if (value.is_string()) {
        out += xml_cdata(value.get<std::string>());
    } else {
        out += value.dump();
    }
    out += "</" + name + ">";
}

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

std::string query_string(const std::vector<std::pair<std::string, std::string>>& params) {
    std::string q;
    for (const auto& [k, v] : params) {
        q += q.empty() ? "?" : "&";
        q += k + "=" + httplib::detail::encode_query_param(v);
    }
    return q;
}

/// WeChat's nonces are decimal digit strings (e.g. "415670741").
std::string random_nonce() {
    std::uint32_t n = 0;
    for (unsigned char b : random_bytes(4)) n = (n << 8) | b;
    return std::to_string(n);
}

}  // namespace

std::string to_wechat_xml(const json& message) {
    std::string out = "<xml>";
    for (const auto& [k, v] : message.items()) append_xml_value(out, k, v);
    return out + "</xml>";
}

Result<PushSpec> push_spec_from_json(const json& body) {
    PushSpec spec;
    if (!body.is_object() || !body.contains("url") || !body["url"].is_string()) {
        return fail(Errc::bad_request, "url (string) is required");
    }
    spec.url = body["url"];
    const std::string format = body.value("format", "json");
    if (format != "json" && format != "xml") return fail(Errc::bad_request, "format: json|xml");
    spec.format = format == "xml" ? BodyFormat::xml : BodyFormat::json;
    const std::string mode = body.value("mode", "safe");
    if (mode == "plain") {
        spec.mode = PushMode::plain;
    } else if (mode == "compatible") {
        spec.mode = PushMode::compatible;
    } else if (mode == "safe") {
        spec.mode = PushMode::safe;
    } else {
        return fail(Errc::bad_request, "mode: plain|compatible|safe");
    }
    spec.message = body.value("message", json::object());
    if (!spec.message.is_object()) return fail(Errc::bad_request, "message must be an object");
    spec.raw_message = body.value("raw_message", "");
    if (body.contains("timestamp"))
        spec.timestamp = body["timestamp"].is_string() ? body["timestamp"].get<std::string>()
                                                       : body["timestamp"].dump();
    if (body.contains("nonce")) spec.nonce = body.value("nonce", "");
    return spec;
}

json send_push(const SimContext& ctx, const PushSpec& spec) {
    const auto& o = ctx.options;
    json message = spec.message;
    if (!message.contains("ToUserName")) message["ToUserName"] = o.push_to_user;
    if (!message.contains("CreateTime")) message["CreateTime"] = ctx.clock.now();
    const std::string inner = !spec.raw_message.empty()        ? spec.raw_message
                              : spec.format == BodyFormat::xml ? to_wechat_xml(message)
                                                               : dump(message);
    const std::string timestamp = spec.timestamp.value_or(std::to_string(ctx.clock.now()));
    const std::string nonce = spec.nonce.value_or(random_nonce());

    std::vector<std::pair<std::string, std::string>> params = {
        {"signature", push_signature(o.push_token, timestamp, nonce)},
        {"timestamp", timestamp},
        {"nonce", nonce}};
    if (message.contains("FromUserName") && message["FromUserName"].is_string()) {
        params.emplace_back("openid", message["FromUserName"].get<std::string>());
    }
    std::string body = inner;
    if (spec.mode != PushMode::plain) {
        auto cipher = PushCipher::create(o.appid, o.encoding_aes_key);
        if (!cipher) return {{"error", "simulator EncodingAESKey: " + cipher.error().detail}};
        auto encrypt = cipher->encrypt(inner);
        if (!encrypt) return {{"error", encrypt.error().detail}};
        params.emplace_back("encrypt_type", "aes");
        params.emplace_back("msg_signature",
                            push_msg_signature(o.push_token, timestamp, nonce, *encrypt));
        const std::string to_user = message.value("ToUserName", o.push_to_user);
        if (spec.mode == PushMode::safe) {
            body = spec.format == BodyFormat::xml
                       ? to_wechat_xml({{"ToUserName", to_user}, {"Encrypt", *encrypt}})
                       : dump({{"ToUserName", to_user}, {"Encrypt", *encrypt}});
        } else {  // compatible: plaintext fields and Encrypt side by side
            json both = message;
            both["Encrypt"] = *encrypt;
            body = spec.format == BodyFormat::xml ? to_wechat_xml(both) : dump(both);
        }
    }

    // Split "http://host:port/path" into httplib's scheme_host_port and the path.
    const auto scheme_end = spec.url.find("://");
    const auto path_start =
        spec.url.find('/', scheme_end == std::string::npos ? 0 : scheme_end + 3);
    const std::string origin = spec.url.substr(0, path_start);
    const std::string path = path_start == std::string::npos ? "/" : spec.url.substr(path_start);
    httplib::Client cli(origin);
    cli.set_connection_timeout(std::chrono::seconds(5));
    cli.set_read_timeout(std::chrono::seconds(5));
    const auto res = cli.Post(path + query_string(params), body,
                              spec.format == BodyFormat::xml ? "text/xml" : "application/json");
    if (!res) return {{"error", httplib::to_string(res.error())}};
    return {{"status", res->status}, {"body", res->body}};
}

}  // namespace yz::wechat::sim
