// SPDX-License-Identifier: MIT
// `yizhan plugin new <id>`: a folder with a station that builds outside this tree against the
// installed SDK (find_package(YzPluginSdk)), and a unit test on the SDK's fake host.
#pragma once

#include <string>

namespace yz {

// Writes <dir>/CMakeLists.txt, <dir>/<id>.cpp and <dir>/test_<id>.cpp; "" or why not (a bad id,
// a folder that already has files). Never overwrites anything.
std::string scaffold_station(const std::string& id, const std::string& dir);

}  // namespace yz
