// SPDX-License-Identifier: MIT
// Config: defaults, strict keys, environment overrides.
#include <doctest/doctest.h>

#include <fstream>

#include "../support/test_server.hpp"
#include "config.hpp"

using namespace yz;

namespace {
std::string write(const test::TempDir& d, const std::string& text) {
    std::string p = d.path + "/c.json";
    std::ofstream(p) << text;
    return p;
}
std::string error_of(const std::string& path, const std::map<std::string, std::string>& env = {}) {
    try {
        load_config(path, env);
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "";
}
}  // namespace

TEST_CASE("defaults are deliberate: nodelay-era settings, not httplib's") {
    Config c = load_config("", {});
    CHECK(c.keep_alive_max_count > 5);
    CHECK(c.threads >= 8);
    CHECK(c.port == 8080);
    CHECK(c.host == "127.0.0.1");
}

TEST_CASE("an unknown key is an error that names it") {
    test::TempDir d;
    CHECK(error_of(write(d, R"({"server": {"prot": 9000}})")).find("server.prot") != std::string::npos);
    CHECK(error_of(write(d, R"({"colour": "red"})")).find("colour") != std::string::npos);
    CHECK(error_of(write(d, R"({"plugins": {"stations": [{"id": "x", "flie": "y"}]}})")).find("plugins.stations[0].flie") != std::string::npos);
}

TEST_CASE("wrong types and values are refused with the key") {
    test::TempDir d;
    CHECK(error_of(write(d, R"({"server": {"port": "80"}})")).find("server.port") != std::string::npos);
    CHECK(error_of(write(d, R"({"server": {"port": 70000}})")).find("server.port") != std::string::npos);
    CHECK(error_of(write(d, R"({"dev": "yes"})")).find("dev") != std::string::npos);
    CHECK(error_of(write(d, "{not json")).find("not valid JSON") != std::string::npos);
}

// Found by fuzz_config: nlohmann reports a number too large for any type as out_of_range, not
// parse_error, and the loader let it escape (an abort instead of a refusal naming the file).
TEST_CASE("a number too large for any type is refused as invalid JSON, not an abort") {
    test::TempDir d;
    CHECK(error_of(write(d, "  66660000e0000000360000000366059827: 8")).find("not valid JSON") != std::string::npos);
    CHECK(error_of(write(d, R"({"server": {"port": 1e400}})")).find("not valid JSON") != std::string::npos);
}

TEST_CASE("environment variables override the file") {
    test::TempDir d;
    std::string p = write(d, R"({"server": {"port": 9000, "threads": 4}, "plugins": {"stations": [{"id": "notices"}]}})");
    Config c = load_config(p, {{"YZ_SERVER_PORT", "9100"}, {"YZ_DEV", "true"}, {"YZ_SERVER_CORS_ORIGINS", R"(["https://a.example"])"}});
    CHECK(c.port == 9100);
    CHECK(c.threads == 4);
    CHECK(c.dev);
    REQUIRE(c.cors_origins.size() == 1);
    CHECK(c.cors_origins[0] == "https://a.example");
    REQUIRE(c.stations.size() == 1);
    CHECK(c.stations[0].file == "libstation_notices.so");
    CHECK(error_of(p, {{"YZ_SERVER_PORT", "nine"}}).find("YZ_SERVER_PORT") != std::string::npos);
}
