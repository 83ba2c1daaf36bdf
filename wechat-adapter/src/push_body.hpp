// SPDX-License-Identifier: MIT
// Internal: turns a push body (JSON, or WeChat's XML through the strict reader) into one JSON tree,
// so signature checks and event decoding are written once for both formats. XML → JSON maps a leaf
// to a string, an element with children to an object, and repeated children to an array — which is
// exactly the object-or-array shape of `List` that WeChat's JSON has too (PROTOCOL.md §5.6).
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>
#include <yz/wechat/push_message.hpp>
#include <yz/wechat/result.hpp>
#include <yz/wechat/xml_reader.hpp>

namespace yz::wechat::detail {

nlohmann::json xml_to_json(const XmlElement& element);

/// Parses `text` as `format`; the result is always a JSON object (Errc::bad_json / bad_xml
/// otherwise). For XML the root must be <xml>.
Result<nlohmann::json> parse_push_body(std::string_view text, BodyFormat format,
                                       const XmlLimits& limits);

/// Decodes an already-parsed push object (shared by decode_push_message and PushVerifier, which has
/// the tree in hand after checking signatures).
Result<PushMessage> decode_push_object(const nlohmann::json& obj);

}  // namespace yz::wechat::detail
