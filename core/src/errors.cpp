// SPDX-License-Identifier: MIT
#include "errors.hpp"

#include <yz/json_text.hpp>

#include "json_valid.hpp"

namespace yz {

nlohmann::json error_body(const std::string& code, const std::string& message,
                          const std::string& request_id, const nlohmann::json& details) {
    nlohmann::json e = {{"code", code}, {"message", message}, {"request_id", request_id}};
    if (!details.is_null()) e["details"] = details;
    return nlohmann::json{{"error", std::move(e)}};
}

std::string error_body_text(std::string_view code, std::string_view message, std::string_view request_id,
                            std::string_view details_json) {
    bool has_details = !details_json.empty() && details_json != "null" && json_valid(details_json);
    std::string out;
    out.reserve(96 + code.size() + message.size() + request_id.size() + details_json.size());
    out += "{\"error\":{\"code\":";  // keys in error_body()'s (sorted) order
    json_text::append_string(out, code);
    if (has_details) {
        out += ",\"details\":";
        out += details_json;
    }
    out += ",\"message\":";
    json_text::append_string(out, message);
    out += ",\"request_id\":";
    json_text::append_string(out, request_id);
    out += "}}";
    return out;
}

ApiError bad_field(const std::string& field, const std::string& code, const std::string& message_zh) {
    return ApiError(400, code, message_zh, nlohmann::json{{"field", field}});
}
ApiError not_found() { return ApiError(404, "not_found", "请求的内容不存在"); }
ApiError unauthorized() { return ApiError(401, "unauthorized", "请先登录"); }
ApiError forbidden() { return ApiError(403, "forbidden", "您没有权限进行此操作"); }

}  // namespace yz
