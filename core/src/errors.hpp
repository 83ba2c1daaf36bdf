// SPDX-License-Identifier: MIT
// The one error model: HTTP status + {"error":{"code","message","request_id","details"?}}.
// `code` is stable English for programs; `message` is Chinese, for the resident.
#pragma once

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>

namespace yz {

class ApiError : public std::runtime_error {
public:
    ApiError(int http_status, std::string error_code, std::string message_zh,
             nlohmann::json error_details = nullptr)
        : std::runtime_error(error_code), status(http_status), code(std::move(error_code)),
          message(std::move(message_zh)), details(std::move(error_details)) {}
    int status;
    std::string code;
    std::string message;
    nlohmann::json details;
};

nlohmann::json error_body(const std::string& code, const std::string& message,
                          const std::string& request_id, const nlohmann::json& details = nullptr);
// The same body written as text, for the hot path of a station's refusal: `details_json` is the
// station's serialised details, left out unless it is a JSON value other than null.
std::string error_body_text(std::string_view code, std::string_view message, std::string_view request_id,
                            std::string_view details_json);

// Shorthands for the refusals every route shares.
ApiError bad_field(const std::string& field, const std::string& code, const std::string& message_zh);
ApiError not_found();
ApiError unauthorized();
ApiError forbidden();

}  // namespace yz
