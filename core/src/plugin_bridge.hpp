// SPDX-License-Identifier: MIT
// What the opaque yz_request / yz_response handles point to while a station handler runs.
#pragma once

#include <deque>
#include <string>
#include <utility>
#include <vector>

namespace yz {

struct RequestCtx;
class StationInstance;

struct PluginRequest {
    RequestCtx* ctx;
    StationInstance* instance;
    std::string auth_json;  // built once per request
    // Strings handed out as yz_str must live as long as the request: keep them here. A deque,
    // because a vector's growth would move the short strings kept inside earlier elements.
    std::deque<std::string> keep;
};

struct PluginResponse {
    const std::string* request_id = nullptr;
    int status = 0;
    std::string content_type;  // empty: JSON (the common case builds no string)
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
};

}  // namespace yz
