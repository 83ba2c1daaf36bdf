// SPDX-License-Identifier: MIT
// A small strict reader for WeChat's flat XML
// (`<xml><ToUserName><![CDATA[..]]></ToUserName>..</xml>`), so the adapter needs no general XML
// library and none of its attack surface. Accepted: an optional
// `<?xml ...?>` declaration, elements without attributes, text, CDATA, the five predefined entities
// and numeric character references. Refused (Errc::bad_xml): DOCTYPE/ENTITY declarations (entity
// expansion bombs), comments, processing instructions, attributes, mixed content, nesting deeper
// than the limit, more elements than the limit; Errc::body_too_large above the byte limit.
// Thread-safe: pure function.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>
#include <yz/wechat/result.hpp>

namespace yz::wechat {

struct XmlElement {
    std::string name;
    std::string text;                  // decoded text/CDATA; empty when the element has children
    std::vector<XmlElement> children;  // in document order

    /// First child with this name, or nullptr.
    const XmlElement* child(std::string_view child_name) const noexcept;
};

struct XmlLimits {
    std::size_t max_bytes = 64 * 1024;
    std::size_t max_depth = 6;  // <xml> → SubscribeMsgPopupEvent → List → TemplateId is 4
    std::size_t max_elements = 1024;
};

/// Parses one root element. See the file comment for what is refused.
Result<XmlElement> parse_xml(std::string_view text, const XmlLimits& limits = {});

/// Escapes text for an XML element body (&, <, >); used when building XML pushes and replies.
std::string xml_escape(std::string_view text);

/// `<![CDATA[text]]>`, splitting any "]]>" inside `text` so it cannot end the section early.
std::string xml_cdata(std::string_view text);

}  // namespace yz::wechat
