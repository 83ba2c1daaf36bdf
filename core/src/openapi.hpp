// SPDX-License-Identifier: MIT
// The OpenAPI 3 document, generated from the live route table (core and every loaded station).
#pragma once

#include <nlohmann/json.hpp>

#include "router.hpp"

namespace yz {
nlohmann::json build_openapi(const RouteTable& table);
}
