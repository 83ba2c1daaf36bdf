// SPDX-License-Identifier: MIT
#include "plugin_scaffold.hpp"

#include <filesystem>
#include <fstream>
#include <regex>

namespace yz {
namespace fs = std::filesystem;

namespace {

// @ID@ becomes the station id.
const char* kCmake = R"yz(cmake_minimum_required(VERSION 3.25)
project(station_@ID@ CXX)
find_package(YzPluginSdk 0.1 REQUIRED)  # installed by: cmake --install <yizhan build> --component sdk
add_station_plugin(@ID@ SOURCES @ID@.cpp VERSION 0.1.0 TEST test_@ID@.cpp)
)yz";

const char* kStation = R"yz(// The @ID@ station: residents leave a message, staff read them. Start here and make it yours;
// docs/plugin-guide.md in the yizhan tree tells the whole story of the host's building blocks.
#include <yz/plugin.hpp>

namespace {

using yz::json;

class Station : public yz::Station {
public:
    void init(yz::Host& host, const json&) override {
        // Tables are the station's own: prefixed with its id, created by numbered migrations.
        host.migrate(1, "CREATE TABLE @ID@_messages (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL, "
                        "text TEXT NOT NULL, created_at INTEGER NOT NULL)");
        route("GET", "/hello", "public", "A greeting anyone may read", &Station::hello);
        route("POST", "/messages", "user", "Leave a message for the station", &Station::leave);
        route("GET", "/messages", "staff", "Messages left, newest first", &Station::list);
    }

private:
    void hello(yz::Request&, yz::Response& res) { res.json(200, {{"station", YZ_STATION_ID}, {"message", "你好"}}); }

    void leave(yz::Request& req, yz::Response& res) {
        std::string text = req.body().value("text", "");
        if (text.empty() || text.size() > 600) throw yz::ApiError(422, "invalid_text", "留言须为 1 到 200 个字", json{{"field", "text"}});
        host().exec("INSERT INTO @ID@_messages(user_id, text, created_at) VALUES (?1, ?2, ?3)",
                    {req.auth().user_id, text, host().now_ms()});
        res.json(201, {{"saved", true}});
    }

    void list(yz::Request&, yz::Response& res) {
        res.json(200, {{"items", host().query("SELECT id, user_id, text FROM @ID@_messages ORDER BY id DESC LIMIT 50")}});
    }
};

}  // namespace

YZ_STATION(Station, YZ_STATION_ID, "@ID@", YZ_STATION_VERSION, "A station made with yizhan plugin new")
)yz";

const char* kTest = R"yz(// The @ID@ station's handlers against the SDK's fake host: no server, no dlopen.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <yz/plugin_testing.hpp>

using yz::testing::FakeHost;

TEST_CASE("anyone is greeted; a resident leaves a message that staff then read") {
    FakeHost host;
    REQUIRE(host.init());
    CHECK(host.call("GET", "/hello").body["message"] == "你好");
    CHECK(host.call("POST", "/messages", {{"text", "路灯坏了"}}, FakeHost::resident(3)).status == 201);
    CHECK(host.call("POST", "/messages", {{"text", ""}}, FakeHost::resident(3)).body["error"]["code"] == "invalid_text");
    auto list = host.call("GET", "/messages", nullptr, host.staff(9));
    REQUIRE(list.status == 200);
    REQUIRE(list.body["items"].size() == 1);
    CHECK(list.body["items"][0]["text"] == "路灯坏了");
}
)yz";

std::string fill(const char* text, const std::string& id) { return std::regex_replace(text, std::regex("@ID@"), id); }

}  // namespace

std::string scaffold_station(const std::string& id, const std::string& dir) {
    static const std::regex valid(R"(^[a-z][a-z0-9_]{1,31}$)");
    if (!std::regex_match(id, valid)) return "a station id is 2 to 32 of a-z, 0-9 and _, starting with a letter";
    std::error_code ec;
    if (fs::exists(dir, ec) && !fs::is_empty(dir, ec)) return dir + " already exists and is not empty";
    fs::create_directories(dir, ec);
    if (ec) return "cannot create " + dir + ": " + ec.message();
    for (const auto& [name, text] : {std::pair{std::string("CMakeLists.txt"), kCmake}, std::pair{id + ".cpp", kStation},
                                     std::pair{"test_" + id + ".cpp", kTest}}) {
        std::ofstream out(fs::path(dir) / name);
        out << fill(text, id);
        if (!out) return "cannot write " + (fs::path(dir) / name).string();
    }
    return "";
}

}  // namespace yz
