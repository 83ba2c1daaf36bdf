// SPDX-License-Identifier: MIT
// Guards the plugin ABI: plugin_abi.h may not change without a version bump. When this fails,
// bump YZ_ABI_MINOR (only additions at the end of a struct) or YZ_ABI_MAJOR (anything else), add a
// changelog line in the header, and put the new hash and version here.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include <yz/plugin_abi.h>

#include "../support/test_server.hpp"
#include "crypto_util.hpp"

TEST_CASE("plugin_abi.h matches the hash recorded for its ABI version") {
    std::ifstream in(yz::test::source_dir() + "/core/include/yz/plugin_abi.h", std::ios::binary);
    REQUIRE(in);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string hash = yz::crypto::hex(yz::crypto::sha256(ss.str()));
    INFO("plugin_abi.h changed: bump YZ_ABI_MINOR/MAJOR, add a changelog line, update this hash");
    CHECK(YZ_ABI_MAJOR == 1u);
    CHECK(YZ_ABI_MINOR == 3u);
    CHECK(hash == "f810d7531efaa5bae430ea6c826f89bb113cb57feac06779effc9257eca2084d");
}
