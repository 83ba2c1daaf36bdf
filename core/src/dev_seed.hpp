// SPDX-License-Identifier: MIT
// Demo data for dev mode: an admin, station staff and residents (login names for dev-login).
// Idempotent: running it twice changes nothing. Stations seed their own demo records.
#pragma once

#include <nlohmann/json.hpp>

namespace yz {
class App;
// Returns the demo accounts as [{user, display_name, roles}].
nlohmann::json seed_demo(App& app);
}  // namespace yz
