// SPDX-License-Identifier: MIT
// The caller's data rights: export everything held about them, and erase their account
// (privacy.cpp describes exactly what each does).
#pragma once

#include <vector>

namespace yz {

class App;
struct Route;

void add_privacy_routes(App& app, std::vector<Route>& routes);

}  // namespace yz
