// SPDX-License-Identifier: MIT
// Station plugins over real HTTP, with the fixture libraries of tests/fixtures/: refusals at load
// (each leaves the rest of the server serving), init failure, duplicate ids, faults and the fault
// threshold, enable/disable, and reload — including reload under concurrent requests, where no
// request may fail and every retired instance is shut down exactly once.
#include <doctest/doctest.h>

#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "../support/test_server.hpp"
#include "plugin_loader.hpp"
#include "plugin_manager.hpp"

using namespace yz;
using nlohmann::json;
using test::TestServer;
namespace fs = std::filesystem;

namespace {

const std::string kBase = "/api/v1/stations/";

// A station entry for the fixture libstation_<file_id>.so (relative: resolved against
// stations_dir, which these tests point at the fixtures).
StationConfig fixture_station(const std::string& id, json config = json::object(), std::string file = {}) {
    StationConfig sc;
    sc.id = id;
    sc.file = file.empty() ? "libstation_" + id + ".so" : std::move(file);
    sc.config = std::move(config);
    return sc;
}

std::string fixture_file(const std::string& id) {
    std::string path = test::fixtures_dir() + "/libstation_" + id + ".so";
    INFO("fixture ", path, " (build target yz_fixture_stations)");
    REQUIRE(fs::is_regular_file(path));
    return path;
}

// A server whose stations are the given fixtures.
std::function<void(Config&)> with_stations(std::vector<StationConfig> stations,
                                           const std::function<void(Config&)>& more = nullptr) {
    return [stations = std::move(stations), more](Config& c) {
        c.stations_dir = test::fixtures_dir();
        c.stations = stations;
        if (more) more(c);
    };
}

void check_error(const test::Response& r, int status, const std::string& code) {
    CHECK(r.status == status);
    REQUIRE(r.body.is_object());
    REQUIRE(r.body.contains("error"));
    CHECK(r.body["error"]["code"] == code);
    CHECK(r.body["error"]["request_id"] == r.header("X-Request-Id"));
}

// Entries of the public station list with this id.
std::vector<json> public_entries(TestServer& s, const std::string& id) {
    auto r = s.get("/api/v1/stations");
    REQUIRE(r.status == 200);
    std::vector<json> out;
    for (const auto& st : r.body["stations"])
        if (st["id"] == id) out.push_back(st);
    return out;
}
std::string state_of(TestServer& s, const std::string& id) {
    auto e = public_entries(s, id);
    REQUIRE(e.size() == 1);
    return e[0]["state"];
}
// The admin view of one station (last_error, consecutive_failures, generation, sha256...).
json admin_entry(TestServer& s, const std::string& admin, const std::string& id) {
    auto r = s.get("/api/v1/admin/stations", admin);
    REQUIRE(r.status == 200);
    for (const auto& st : r.body["stations"])
        if (st["id"] == id) return st;
    FAIL("station " << id << " not in the admin list");
    return {};
}

std::vector<std::string> lines_of(const std::string& file) {
    std::vector<std::string> out;
    std::ifstream in(file);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::string joined(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& l : lines) out += (out.empty() ? "" : " | ") + l;
    return out;
}

// The instance number fx_good's /ping reports (0 if it did not answer 200).
int ping_instance(TestServer& s, const std::string& id = "fx_good") {
    auto r = s.get(kBase + id + "/ping");
    CHECK(r.status == 200);
    return r.status == 200 ? r.body["instance"].get<int>() : 0;
}

}  // namespace

TEST_CASE("a good fixture station serves its routes and is described") {
    TestServer s(with_stations({fixture_station("fx_good", {{"generation", 7}}), fixture_station("fx_good2")}));
    auto r = s.get(kBase + "fx_good/ping");
    CHECK(r.status == 200);
    CHECK(r.body["pong"] == true);
    CHECK(r.body["station"] == "fx_good");
    CHECK(r.body["version"] == "1.2.3");
    CHECK(r.body["generation"] == 7);
    auto r2 = s.get(kBase + "fx_good2/ping");
    CHECK(r2.status == 200);
    CHECK(r2.body["station"] == "fx_good2");
    CHECK(r2.body["version"] == "2.0.0");
    CHECK(r2.body["generation"] == 0);

    CHECK(state_of(s, "fx_good") == "active");
    CHECK(state_of(s, "fx_good2") == "active");
    std::string admin = s.login("admin", {"admin"});
    json e = admin_entry(s, admin, "fx_good");
    CHECK(e["version"] == "1.2.3");
    CHECK(e["name"] == "测试站");
    CHECK(e["abi"] == std::to_string(YZ_ABI_MAJOR) + "." + std::to_string(YZ_ABI_MINOR));
    CHECK(e["sha256"] == sha256_file_hex(fixture_file("fx_good")));
    CHECK(e["generation"] == 1);
    CHECK(e["last_error"] == "");
}

TEST_CASE("each broken fixture is refused with a reason, and the rest of the server keeps serving") {
    TestServer s(with_stations({
        fixture_station("fx_good"),
        fixture_station("fx_bad_magic"),
        fixture_station("fx_bad_major"),
        fixture_station("fx_newer_minor"),
        fixture_station("fx_bad_sig"),
        fixture_station("fx_no_entry"),
        fixture_station("fx_wrong_id"),
        fixture_station("fx_init_fails"),
        fixture_station("fx_missing"),
        fixture_station("fx_alias", json::object(), "libstation_fx_good2.so"),  // config id ≠ file's id
    }));
    std::string admin = s.login("admin", {"admin"});
    struct Case {
        const char* id;
        std::string says;
    };
    for (const Case& c : {Case{"fx_bad_magic", "magic 0x4C505A59"}, Case{"fx_bad_major", "ABI major 2"},
                          Case{"fx_newer_minor", "ABI minor " + std::to_string(YZ_ABI_MINOR + 1)}, Case{"fx_bad_sig", "cxx11abi=na"},
                          Case{"fx_no_entry", "no symbol yz_plugin_entry"}, Case{"fx_wrong_id", "fx_claims_other"},
                          Case{"fx_init_fails", "init failed"}, Case{"fx_missing", "no such file"},
                          Case{"fx_alias", "configured as station 'fx_alias'"}}) {
        CAPTURE(c.id);
        CHECK(state_of(s, c.id) == "failed");
        json e = admin_entry(s, admin, c.id);
        std::string why = e["last_error"];
        CHECK(contains(why, c.says));
        CHECK(contains(why, std::string("libstation_") + (c.id == std::string("fx_alias") ? "fx_good2" : c.id) + ".so"));
        // A station that never loaded can be neither enabled nor disabled.
        check_error(s.post("/api/v1/admin/stations/" + std::string(c.id) + "/enable", json::object(), admin), 409,
                    "station_not_loaded");
    }
    // Nothing of a refused station is routed, under either id it might claim.
    check_error(s.get(kBase + "fx_wrong_id/ping"), 404, "not_found");
    check_error(s.get(kBase + "fx_claims_other/ping"), 404, "not_found");
    check_error(s.get(kBase + "fx_alias/ping"), 404, "not_found");
    check_error(s.get(kBase + "fx_good2/ping"), 404, "not_found");

    CHECK(state_of(s, "fx_good") == "active");
    CHECK(s.get(kBase + "fx_good/ping").status == 200);
    CHECK(s.get("/healthz").status == 200);
    auto ready = s.get("/readyz");
    CHECK(ready.body["checks"]["stations"]["fx_good"] == "active");
    CHECK(ready.body["checks"]["stations"]["fx_bad_sig"] == "failed");
}

TEST_CASE("a failed init leaves nothing staged behind and never runs shutdown") {
    test::TempDir logs;
    const std::string shutdown_log = logs.path + "/shutdown.log";
    {
        TestServer s(with_stations({fixture_station("fx_init_fails", {{"shutdown_log", shutdown_log}}),
                                    fixture_station("fx_good")}));
        CHECK(state_of(s, "fx_init_fails") == "failed");
        check_error(s.get(kBase + "fx_init_fails/ghost"), 404, "not_found");
        auto api = s.get("/openapi.json");
        REQUIRE(api.status == 200);
        CHECK_FALSE(contains(api.text, "fx_init_fails"));
        CHECK(s.app().plugins().job_runner("fx_init_fails", "ghost_job") == nullptr);

        // Reloading it fails the same way and changes nothing.
        std::string admin = s.login("admin", {"admin"});
        auto r = s.post("/api/v1/admin/stations/fx_init_fails/reload", json::object(), admin);
        check_error(r, 422, "reload_failed");
        CHECK(contains(r.body["error"]["details"]["reason"].get<std::string>(), "init failed"));
        CHECK(state_of(s, "fx_init_fails") == "failed");
        check_error(s.get(kBase + "fx_init_fails/ghost"), 404, "not_found");
        CHECK(s.get(kBase + "fx_good/ping").status == 200);
    }
    CHECK_FALSE(fs::exists(shutdown_log));
}

TEST_CASE("a reload that fails keeps the old instance serving, and the failed one leaves nothing") {
    test::TempDir dir;
    const std::string shutdown_log = dir.path + "/shutdown.log";
    const std::string fail_flag = dir.path + "/fail-init";
    const std::string file = dir.path + "/libstation_fx_good.so";  // a "deployed" copy we can replace
    fs::copy_file(fixture_file("fx_good"), file);
    std::optional<TestServer> s;
    s.emplace(with_stations(
        {fixture_station("fx_good", {{"shutdown_log", shutdown_log}, {"fail_init_if", fail_flag}}, file)}));
    std::string admin = s->login("admin", {"admin"});
    const int first = ping_instance(*s);
    REQUIRE(first > 0);

    SUBCASE("init fails: its staged routes are dropped, no shutdown runs for it") {
        std::ofstream(fail_flag) << "1";
        auto r = s->post("/api/v1/admin/stations/fx_good/reload", json::object(), admin);
        check_error(r, 422, "reload_failed");
        CHECK(contains(r.body["error"]["details"]["reason"].get<std::string>(), "init failed"));
        CHECK(ping_instance(*s) == first);
        CHECK(state_of(*s, "fx_good") == "active");
        CHECK(admin_entry(*s, admin, "fx_good")["generation"] == 1);
        CHECK(lines_of(shutdown_log).empty());

        fs::remove(fail_flag);
        auto ok = s->post("/api/v1/admin/stations/fx_good/reload", json::object(), admin);
        CHECK(ok.status == 200);
        CHECK(ok.body["generation"] == 2);
        const int third = ping_instance(*s);
        CHECK(third == first + 2);  // the failed attempt was an instance of its own
        // Only the replaced instance was shut down, not the one whose init failed.
        CHECK(lines_of(shutdown_log) == std::vector<std::string>{"fx_good " + std::to_string(first)});
        s.reset();
        CHECK(lines_of(shutdown_log) == std::vector<std::string>{"fx_good " + std::to_string(first),
                                                                 "fx_good " + std::to_string(third)});
    }

    SUBCASE("the file was replaced by a broken build: refused, then a good build is picked up") {
        fs::copy_file(fixture_file("fx_bad_sig"), file, fs::copy_options::overwrite_existing);
        auto r = s->post("/api/v1/admin/stations/fx_good/reload", json::object(), admin);
        check_error(r, 422, "reload_failed");
        CHECK(contains(r.body["error"]["details"]["reason"].get<std::string>(), "build signature"));
        CHECK(ping_instance(*s) == first);
        CHECK(admin_entry(*s, admin, "fx_good")["sha256"] == sha256_file_hex(fixture_file("fx_good")));

        fs::copy_file(fixture_file("fx_good"), file, fs::copy_options::overwrite_existing);
        auto ok = s->post("/api/v1/admin/stations/fx_good/reload", json::object(), admin);
        CHECK(ok.status == 200);
        CHECK(ping_instance(*s) == first + 1);
        CHECK(lines_of(shutdown_log).size() == 1);
    }
}

TEST_CASE("a second station claiming a loaded id is refused while the first keeps working") {
    test::TempDir dir;
    const std::string log_first = dir.path + "/first.log", log_second = dir.path + "/second.log";
    fs::create_directories(dir.path + "/copy");
    const std::string copy = dir.path + "/copy/libstation_fx_good.so";
    fs::copy_file(fixture_file("fx_good"), copy);
    {
        TestServer s(with_stations({
            fixture_station("fx_good", {{"generation", 1}, {"shutdown_log", log_first}}),
            fixture_station("fx_good", {{"generation", 2}, {"shutdown_log", log_second}}, copy),
        }));
        auto entries = public_entries(s, "fx_good");
        REQUIRE(entries.size() == 1);
        CHECK(entries[0]["state"] == "active");
        auto r = s.get(kBase + "fx_good/ping");
        CHECK(r.status == 200);
        CHECK(r.body["generation"] == 1);
        std::string admin = s.login("admin", {"admin"});
        CHECK(admin_entry(s, admin, "fx_good")["generation"] == 1);
        // Reload uses the first entry's file and config, not the duplicate's.
        CHECK(s.post("/api/v1/admin/stations/fx_good/reload", json::object(), admin).status == 200);
        CHECK(s.get(kBase + "fx_good/ping").body["generation"] == 1);
    }
    CHECK(lines_of(log_first).size() == 2);  // the first instance and its reload
    CHECK_FALSE(fs::exists(log_second));     // the duplicate was never initialised
}

TEST_CASE("a throwing handler is a 500, and past the fault threshold the station answers 503") {
    TestServer s(with_stations({fixture_station("fx_good"), fixture_station("fx_good2")},
                               [](Config& c) { c.fault_threshold = 3; }));
    std::string admin = s.login("admin", {"admin"});
    check_error(s.get(kBase + "fx_good/boom"), 500, "internal_error");
    check_error(s.get(kBase + "fx_good/boom"), 500, "internal_error");
    CHECK(admin_entry(s, admin, "fx_good")["consecutive_failures"] == 2);
    // A success resets the count; an expected refusal (ApiError) is a success, not a fault.
    CHECK(s.get(kBase + "fx_good/ping").status == 200);
    CHECK(admin_entry(s, admin, "fx_good")["consecutive_failures"] == 0);
    for (int i = 0; i < 5; ++i) check_error(s.get(kBase + "fx_good/refuse"), 409, "fx_refused");
    CHECK(state_of(s, "fx_good") == "active");

    for (int i = 0; i < 3; ++i) check_error(s.get(kBase + "fx_good/boom"), 500, "internal_error");
    CHECK(state_of(s, "fx_good") == "faulted");
    check_error(s.get(kBase + "fx_good/boom"), 503, "station_faulted");
    check_error(s.get(kBase + "fx_good/ping"), 503, "station_faulted");
    CHECK(admin_entry(s, admin, "fx_good")["consecutive_failures"] == 3);  // 503s are not handler runs

    // The server and the other station are unaffected.
    CHECK(s.get("/healthz").status == 200);
    CHECK(s.get(kBase + "fx_good2/ping").status == 200);
    CHECK(state_of(s, "fx_good2") == "active");
    CHECK(s.get("/readyz").body["checks"]["stations"]["fx_good"] == "faulted");

    // An admin brings it back.
    SUBCASE("by enabling it") {
        auto r = s.post("/api/v1/admin/stations/fx_good/enable", json::object(), admin);
        CHECK(r.status == 200);
        CHECK(r.body["state"] == "active");
    }
    SUBCASE("by reloading it") {
        auto r = s.post("/api/v1/admin/stations/fx_good/reload", json::object(), admin);
        CHECK(r.status == 200);
        CHECK(r.body["state"] == "active");
    }
    CHECK(s.get(kBase + "fx_good/ping").status == 200);
    CHECK(admin_entry(s, admin, "fx_good")["consecutive_failures"] == 0);
}

TEST_CASE("disable and enable flip a station between 503 station_disabled and 200") {
    TestServer s(with_stations({fixture_station("fx_good"), fixture_station("fx_good2")}));
    std::string admin = s.login("admin", {"admin"});
    std::string resident = s.login("li");

    check_error(s.post("/api/v1/admin/stations/fx_good/disable", json::object()), 401, "unauthorized");
    check_error(s.post("/api/v1/admin/stations/fx_good/disable", json::object(), resident), 403, "forbidden");
    check_error(s.post("/api/v1/admin/stations/fx_nope/disable", json::object(), admin), 404, "station_not_found");
    CHECK(s.get(kBase + "fx_good/ping").status == 200);

    auto off = s.post("/api/v1/admin/stations/fx_good/disable", json::object(), admin);
    CHECK(off.status == 200);
    CHECK(off.body["state"] == "disabled");
    CHECK(state_of(s, "fx_good") == "disabled");
    check_error(s.get(kBase + "fx_good/ping"), 503, "station_disabled");
    check_error(s.get(kBase + "fx_good/boom"), 503, "station_disabled");
    CHECK(s.get(kBase + "fx_good2/ping").status == 200);

    // A reload while disabled swaps the code in but keeps the station disabled.
    CHECK(admin_entry(s, admin, "fx_good")["generation"] == 1);
    auto re = s.post("/api/v1/admin/stations/fx_good/reload", json::object(), admin);
    CHECK(re.status == 200);
    CHECK(re.body["state"] == "disabled");
    CHECK(re.body["generation"] == 2);
    check_error(s.get(kBase + "fx_good/ping"), 503, "station_disabled");

    auto on = s.post("/api/v1/admin/stations/fx_good/enable", json::object(), admin);
    CHECK(on.status == 200);
    CHECK(on.body["state"] == "active");
    CHECK(state_of(s, "fx_good") == "active");
    auto r = s.get(kBase + "fx_good/ping");
    CHECK(r.status == 200);
    CHECK(r.body["instance"] == 2);  // the reloaded instance answers

    // Both changes are audited.
    auto audit = s.get("/api/v1/admin/audit?record_type=station&record_id=fx_good", admin);
    REQUIRE(audit.status == 200);
    std::vector<std::string> actions;
    for (const auto& it : audit.body["items"]) actions.push_back(it["action"]);
    CHECK(std::count(actions.begin(), actions.end(), "station.disable") == 1);
    CHECK(std::count(actions.begin(), actions.end(), "station.enable") == 1);
    CHECK(std::count(actions.begin(), actions.end(), "station.reload") == 1);
}

TEST_CASE("reload under concurrent requests: no request fails, each old instance shuts down once") {
    constexpr int kClients = 8;
    constexpr int kReloads = 6;
    constexpr int kRequestsBetween = 4 * kClients;  // requests that must complete between reloads
    const auto kPatience = std::chrono::seconds(5);  // upper bound on a wait, never a sleep

    test::TempDir dir;
    const std::string shutdown_log = dir.path + "/shutdown.log";
    std::optional<TestServer> s;
    s.emplace(with_stations({fixture_station("fx_good", {{"shutdown_log", shutdown_log}, {"generation", 3}})},
                            [](Config& c) {
                                c.threads = kClients + 4;     // keep-alive clients each hold a worker
                                c.rate_limit_per_minute = 0;  // one client address, many requests
                            }));
    std::string admin = s->login("admin", {"admin"});
    const int port = s->port();

    std::mutex mu;
    std::condition_variable cv;
    long ok = 0;                      // guarded by mu
    std::vector<std::string> errors;  // guarded by mu
    std::atomic<bool> stop{false};

    auto client = [&] {
        httplib::Client cli("127.0.0.1", port);
        cli.set_keep_alive(true);
        int last_instance = 0;
        while (!stop.load()) {
            auto r = cli.Get(kBase + "fx_good/ping");
            std::string error;
            if (!r) {
                error = "no answer: " + httplib::to_string(r.error());
            } else if (r->status != 200) {
                error = "status " + std::to_string(r->status) + ": " + r->body;
            } else {
                json b = json::parse(r->body, nullptr, false);
                int instance = b.is_object() ? b.value("instance", 0) : 0;
                if (instance < last_instance)
                    error = "went back from instance " + std::to_string(last_instance) + " to " + std::to_string(instance);
                else if (b.value("generation", 0) != 3)
                    error = "unexpected body: " + r->body;
                last_instance = instance;
            }
            {
                std::lock_guard lock(mu);
                if (error.empty()) ++ok;
                else errors.push_back(error);
            }
            cv.notify_all();
        }
    };
    // Waits until `more` further requests succeeded (or something failed, or patience ran out).
    auto wait_for_requests = [&](long more) {
        std::unique_lock lock(mu);
        long target = ok + more;
        return cv.wait_for(lock, kPatience, [&] { return ok >= target || !errors.empty(); }) && errors.empty();
    };

    std::vector<int> instances{ping_instance(*s)};
    REQUIRE(instances[0] > 0);
    {
        std::vector<std::jthread> clients;
        for (int i = 0; i < kClients; ++i) clients.emplace_back(client);
        bool flowing = wait_for_requests(kRequestsBetween);
        for (int i = 0; flowing && i < kReloads; ++i) {
            auto r = s->post("/api/v1/admin/stations/fx_good/reload", json::object(), admin);
            CHECK(r.status == 200);
            CHECK(r.body["generation"] == i + 2);
            instances.push_back(ping_instance(*s));
            CHECK(instances.back() > instances[instances.size() - 2]);
            flowing = wait_for_requests(kRequestsBetween);
        }
        CHECK(flowing);
        stop = true;
    }  // clients joined

    {
        std::lock_guard lock(mu);
        INFO("first failure: ", errors.empty() ? std::string("none") : errors.front());
        CHECK(errors.empty());
        CHECK(ok >= static_cast<long>(kRequestsBetween) * (kReloads + 1));
    }
    REQUIRE(instances.size() == kReloads + 1);

    // With no request left in flight, every replaced instance has been shut down, once each; the
    // current one has not.
    std::vector<std::string> expected;
    for (size_t i = 0; i + 1 < instances.size(); ++i) expected.push_back("fx_good " + std::to_string(instances[i]));
    auto retired = lines_of(shutdown_log);
    std::sort(retired.begin(), retired.end());
    std::sort(expected.begin(), expected.end());
    INFO("retired: ", joined(retired), "; expected: ", joined(expected));
    CHECK(retired == expected);

    // Stopping the server shuts down the current instance too, and nothing twice.
    s.reset();
    expected.push_back("fx_good " + std::to_string(instances.back()));
    auto all = lines_of(shutdown_log);
    std::sort(all.begin(), all.end());
    std::sort(expected.begin(), expected.end());
    INFO("shut down: ", joined(all), "; expected: ", joined(expected));
    CHECK(all.size() == kReloads + 1);
    CHECK(all == expected);
}

TEST_CASE("workers follow each other: a disable, enable or reload made through one applies to the other at its next tick") {
    auto as_worker = [](Config& c) { c.worker = true; };
    TestServer a(with_stations({fixture_station("fx_good")}, as_worker));
    std::string dir = a.data_dir();
    TestServer b(with_stations({fixture_station("fx_good")}, [&](Config& c) {
        c.worker = true;
        c.data_dir = dir;  // the same database: b is another worker process of the same server
    }));
    std::string admin = a.login("admin", {"admin"});

    REQUIRE(a.post("/api/v1/admin/stations/fx_good/disable", json::object(), admin).status == 200);
    CHECK(b.get(kBase + "fx_good/ping").status == 200);  // b has not looked yet
    b.app().scheduler().tick();
    check_error(b.get(kBase + "fx_good/ping"), 503, "station_disabled");

    REQUIRE(a.post("/api/v1/admin/stations/fx_good/enable", json::object(), admin).status == 200);
    b.app().scheduler().tick();
    CHECK(b.get(kBase + "fx_good/ping").status == 200);

    CHECK(admin_entry(b, admin, "fx_good")["generation"] == 1);
    REQUIRE(a.post("/api/v1/admin/stations/fx_good/reload", json::object(), admin).status == 200);
    b.app().scheduler().tick();
    CHECK(admin_entry(b, admin, "fx_good")["generation"] == 2);
    b.app().scheduler().tick();  // once followed, a reload is not repeated
    CHECK(admin_entry(b, admin, "fx_good")["generation"] == 2);
    CHECK(admin_entry(a, admin, "fx_good")["generation"] == 2);  // nor does the one that made it follow itself
    a.app().scheduler().tick();
    CHECK(admin_entry(a, admin, "fx_good")["generation"] == 2);

    // A worker started afterwards (a replacement) starts from the same decisions.
    REQUIRE(a.post("/api/v1/admin/stations/fx_good/disable", json::object(), admin).status == 200);
    TestServer c(with_stations({fixture_station("fx_good")}, [&](Config& cfg) {
        cfg.worker = true;
        cfg.data_dir = dir;
    }));
    check_error(c.get(kBase + "fx_good/ping"), 503, "station_disabled");
    c.app().scheduler().tick();
    CHECK(admin_entry(c, admin, "fx_good")["generation"] == 1);  // it loaded the current code; nothing to follow
}
