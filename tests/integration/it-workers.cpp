// SPDX-License-Identifier: MIT
// `yizhan serve --workers N`, the real binary: a station whose code segfaults or aborts takes down
// only the worker that ran it; the others keep answering, the supervisor's log names the station,
// and a new worker takes the dead one's place. And a port already served is never shared by mistake.
#include <doctest/doctest.h>

#include <httplib.h>
#include <sys/wait.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <thread>

#include "../support/server_process.hpp"
#include "../support/test_server.hpp"

using nlohmann::json;
using yz::test::ServerProcess;

namespace {

std::string crash_station_config(const yz::test::TempDir& d) {
    std::string path = d.path + "/config.json";
    json cfg = {{"server", {{"rate_limit_per_minute", 0}}},
                {"plugins",
                 {{"stations_dir", yz::test::fixtures_dir()},
                  {"stations", json::array({{{"id", "fx_crash"}, {"file", "libstation_fx_crash.so"}}})}}}};
    std::ofstream(path) << cfg.dump();
    return path;
}

// The supervisor's log events named `event`, in order.
std::vector<json> events(const ServerProcess& srv, const std::string& event) {
    std::vector<json> out;
    std::istringstream in(srv.log());
    for (std::string line; std::getline(in, line);) {
        if (line.empty() || line[0] != '{') continue;
        json j = json::parse(line, nullptr, false);
        if (j.is_object() && j.value("event", "") == event) out.push_back(j);
    }
    return out;
}

// Waiting on other processes: polls `done`, bounded; true once it holds.
bool eventually(const std::function<bool()>& done, int seconds = 20) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (std::chrono::steady_clock::now() < deadline) {
        if (done()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return done();
}

// One request on a new connection: the kernel spreads connections, not requests, over the workers.
httplib::Result get_fresh(int port, const std::string& path) {
    httplib::Client c("127.0.0.1", port);
    c.set_connection_timeout(1, 0);
    c.set_read_timeout(5, 0);
    return c.Get(path.c_str());
}

// The worker pids that answer /pid over up to `tries` new connections.
std::set<int64_t> answering_pids(int port, int tries) {
    std::set<int64_t> pids;
    for (int i = 0; i < tries; ++i) {
        auto r = get_fresh(port, "/api/v1/stations/fx_crash/pid");
        if (r && r->status == 200) pids.insert(json::parse(r->body)["pid"].get<int64_t>());
    }
    return pids;
}

}  // namespace

TEST_CASE("a station that crashes its worker costs that worker only: named in the log, replaced, service goes on") {
    yz::test::TempDir d;
    ServerProcess srv({"--config", crash_station_config(d), "--workers", "2"}, d.path, yz::test::free_loopback_port());
    REQUIRE(srv.start() == "");
    REQUIRE(eventually([&] { return events(srv, "worker_ready").size() == 2; }));
    int port = srv.port();
    std::set<int64_t> before = answering_pids(port, 200);
    REQUIRE(before.size() == 2);  // two processes really share the port

    CHECK_FALSE(get_fresh(port, "/api/v1/stations/fx_crash/segfault"));  // that worker is gone, mid-request
    // Once it is reaped (its listening socket closed with it), everyone else is served: by the
    // surviving worker, then by the replacement too.
    REQUIRE(eventually([&] { return events(srv, "worker_died").size() == 1; }));
    for (int i = 0; i < 30; ++i) {
        auto r = get_fresh(port, i % 2 ? "/healthz" : "/api/v1/stations/fx_crash/pid");
        REQUIRE(r);
        CHECK(r->status == 200);
    }
    CHECK_FALSE(get_fresh(port, "/api/v1/stations/fx_crash/abort"));

    REQUIRE(eventually([&] { return events(srv, "worker_died").size() == 2 && events(srv, "worker_ready").size() == 4; }));
    std::set<int> signals;
    std::set<int64_t> dead;
    for (const json& died : events(srv, "worker_died")) {
        CHECK(died["station"] == "fx_crash");
        signals.insert(died["signal"].get<int>());
        dead.insert(died["pid"].get<int64_t>());
    }
    CHECK(signals == std::set<int>{SIGSEGV, SIGABRT});
    CHECK(before.count(events(srv, "worker_died").front()["pid"].get<int64_t>()) == 1);  // the segfault's

    // Two workers again (the abort may have hit the first replacement), none of them a dead one.
    std::set<int64_t> after = answering_pids(port, 200);
    CHECK(after.size() == 2);
    for (int64_t pid : after) CHECK(dead.count(pid) == 0);

    // SIGTERM stops the workers cleanly, then the supervisor.
    int status = srv.stop();
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    CHECK(events(srv, "worker_stopped").size() == 2);
}

TEST_CASE("a port already served is refused, not silently shared, with or without workers") {
    yz::test::TestServer taken;
    yz::test::TempDir d;
    // In one process: Debian's httplib would have set SO_REUSEPORT and taken half the traffic.
    ServerProcess single({"--config", crash_station_config(d)}, d.path, taken.port());
    REQUIRE(single.spawn());
    int status = single.wait_exit(20);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 1);
    CHECK(single.log().find("bind_failed") != std::string::npos);
    // With workers: the first generation cannot bind, so the supervisor gives up instead of looping.
    yz::test::TempDir d2;
    ServerProcess workers({"--config", crash_station_config(d2), "--workers", "2"}, d2.path, taken.port());
    REQUIRE(workers.spawn());
    status = workers.wait_exit(20);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 1);
    CHECK(events(workers, "worker_failed_to_start").size() >= 1);
    CHECK(taken.get("/healthz").status == 200);
}
