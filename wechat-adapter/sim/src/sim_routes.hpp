// SPDX-License-Identifier: MIT
// Internal: the two route sets the simulator mounts on its httplib::Server — the WeChat API paths
// (counted, subject to faults) and the /sim/ control paths (never counted or faulted).
#pragma once

#include <httplib.h>

#include "sim_context.hpp"

namespace yz::wechat::sim {

void mount_api_routes(httplib::Server& server, SimContext& ctx);
void mount_control_routes(httplib::Server& server, SimContext& ctx);

/// Writes `body` as the JSON response (raw UTF-8, like WeChat).
void reply_json(httplib::Response& res, const nlohmann::json& body, int status = 200);

}  // namespace yz::wechat::sim
