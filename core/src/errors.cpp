// SPDX-License-Identifier: MIT
#include "errors.hpp"

namespace yz {

nlohmann::json error_body(const std::string& code, const std::string& message,
                          const std::string& request_id, const nlohmann::json& details) {
    nlohmann::json e = {{"code", code}, {"message", message}, {"request_id", request_id}};
    if (!details.is_null()) e["details"] = details;
    return nlohmann::json{{"error", std::move(e)}};
}

ApiError bad_field(const std::string& field, const std::string& code, const std::string& message_zh) {
    return ApiError(400, code, message_zh, nlohmann::json{{"field", field}});
}
ApiError not_found() { return ApiError(404, "not_found", "请求的内容不存在"); }
ApiError unauthorized() { return ApiError(401, "unauthorized", "请先登录"); }
ApiError forbidden() { return ApiError(403, "forbidden", "您没有权限进行此操作"); }

}  // namespace yz
