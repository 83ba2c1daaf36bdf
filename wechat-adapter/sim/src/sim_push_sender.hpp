// SPDX-License-Identifier: MIT
// Internal: builds and delivers a push exactly as WeChat would (PROTOCOL.md §5.2–§5.3): plain,
// compatible or safe mode, JSON or XML, query signature/msg_signature, encryption with the
// simulator's EncodingAESKey. Used by /sim/push and by /sim/subscribe/grant's popup event.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <yz/wechat/push_message.hpp>
#include <yz/wechat/push_verifier.hpp>
#include <yz/wechat/result.hpp>

#include "sim_context.hpp"

namespace yz::wechat::sim {

struct PushSpec {
    std::string url;  // e.g. http://127.0.0.1:8080/wechat/push
    BodyFormat format = BodyFormat::json;
    PushMode mode = PushMode::safe;
    nlohmann::json message;                // the inner push as a JSON object (converted for XML)
    std::string raw_message;               // if set, sent verbatim as the inner text instead
    std::optional<std::string> timestamp;  // override, for stale/replay tests
    std::optional<std::string> nonce;
};

/// Reads a spec from a control-route body; Errc::bad_request names the bad field.
Result<PushSpec> push_spec_from_json(const nlohmann::json& body);

/// Delivers the push. Returns {"status", "body"} or {"error"} for a transport failure.
nlohmann::json send_push(const SimContext& ctx, const PushSpec& spec);

/// WeChat's XML form of a JSON object: <xml> root, strings in CDATA, arrays as repeated elements.
std::string to_wechat_xml(const nlohmann::json& message);

}  // namespace yz::wechat::sim
