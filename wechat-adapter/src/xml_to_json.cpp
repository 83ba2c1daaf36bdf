// SPDX-License-Identifier: MIT
// XML element tree → JSON object, and the one entry point that parses either push body format.
#include "push_body.hpp"

namespace yz::wechat::detail {

nlohmann::json xml_to_json(const XmlElement& element) {
    if (element.children.empty()) return element.text;
    nlohmann::json obj = nlohmann::json::object();
    for (const auto& child : element.children) {
        auto value = xml_to_json(child);
        auto it = obj.find(child.name);
        if (it == obj.end()) {
            obj[child.name] = std::move(value);
        } else {
            if (!it->is_array()) *it = nlohmann::json::array({std::move(*it)});
            it->push_back(std::move(value));
        }
    }
    return obj;
}

Result<nlohmann::json> parse_push_body(std::string_view text, BodyFormat format,
                                       const XmlLimits& limits) {
    if (text.size() > limits.max_bytes) {
        return fail(Errc::body_too_large, "body larger than " + std::to_string(limits.max_bytes));
    }
    if (format == BodyFormat::xml) {
        auto root = parse_xml(text, limits);
        if (!root) return root.error();
        if (root->name != "xml") return fail(Errc::bad_xml, "root element must be <xml>");
        auto obj = xml_to_json(*root);
        if (!obj.is_object()) obj = nlohmann::json::object();  // <xml></xml>
        return obj;
    }
    auto doc = nlohmann::json::parse(text, nullptr, false);
    if (doc.is_discarded()) return fail(Errc::bad_json, "body is not valid JSON");
    if (!doc.is_object()) return fail(Errc::bad_json, "body is not a JSON object");
    return doc;
}

}  // namespace yz::wechat::detail
