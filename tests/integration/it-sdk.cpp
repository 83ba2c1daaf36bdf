// SPDX-License-Identifier: MIT
// The SDK as a station author outside this tree gets it: install the `sdk` component, scaffold a
// station with `yizhan plugin new`, configure it with find_package(YzPluginSdk), build it, run its
// fake-host unit test — then the real server loads the built file and serves its routes.
#include <doctest/doctest.h>

#include "../support/server_process.hpp"
#include "../support/test_server.hpp"

namespace {

using yz::test::run_command;

void must(const std::string& cmd) {
    auto r = run_command(cmd);
    INFO(cmd << "\n" << r.out);
    REQUIRE(r.code == 0);
}

}  // namespace

TEST_CASE("a scaffolded station builds against the installed SDK, passes its unit test and loads in the server") {
    yz::test::TempDir d;
    std::string prefix = d.path + "/prefix", src = d.path + "/hello_sdk", build = d.path + "/build";
    must("cmake --install " + yz::test::binary_dir() + " --component sdk --prefix " + prefix);
    must(yz::test::binary_dir() + "/yizhan plugin new hello_sdk --dir " + src);
    CHECK(run_command(yz::test::binary_dir() + "/yizhan plugin new hello_sdk --dir " + src).code == 1);  // never overwrites
    must("cmake -S " + src + " -B " + build + " -DCMAKE_PREFIX_PATH=" + prefix + " -DCMAKE_BUILD_TYPE=Release");
    must("cmake --build " + build + " -j 2");
    auto tests = run_command("ctest --test-dir " + build);
    INFO(tests.out);
    CHECK(tests.code == 0);
    CHECK(tests.out.find("100% tests passed, 0 tests failed out of 1") != std::string::npos);

    yz::test::TestServer s([&](yz::Config& c) {
        c.stations_dir = build + "/stations";
        yz::StationConfig sc;
        sc.id = "hello_sdk";
        sc.file = "libstation_hello_sdk.so";
        c.stations = {sc};
    });
    auto hello = s.get("/api/v1/stations/hello_sdk/hello");
    CHECK(hello.status == 200);
    CHECK(hello.body["message"] == "你好");
    CHECK(s.get("/api/v1/stations/hello_sdk/messages", s.login("li")).status == 403);  // staff only, enforced by the host
}
