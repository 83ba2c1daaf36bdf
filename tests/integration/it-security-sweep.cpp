// SPDX-License-Identifier: MIT
// Every route the server publishes in /openapi.json — the core's and every built station's — called
// as an anonymous client, with a forged token, with an admin's expired token, as a plain resident
// and as staff of another station.
// Each must be refused unless its declared permission lets that caller in, and a refusal must be
// the JSON error (401 or 403) the route's permission implies, never a handler's answer. New routes
// and new stations are swept without touching this file.
#include <doctest/doctest.h>

#include <filesystem>
#include <regex>
#include <set>

#include "../support/test_server.hpp"

using namespace yz;
using nlohmann::json;
using test::TestServer;
namespace fs = std::filesystem;

namespace {

// Every station built next to the server (build/stations/libstation_<id>.so).
std::vector<StationConfig> built_stations() {
    std::vector<StationConfig> out;
    for (const auto& e : fs::directory_iterator(test::stations_dir())) {
        std::string name = e.path().filename().string();
        std::smatch m;
        static const std::regex file(R"(^libstation_([a-z][a-z0-9_]*)\.so$)");
        if (!std::regex_match(name, m, file)) continue;
        StationConfig sc;
        sc.id = m[1];
        sc.file = name;
        out.push_back(sc);
    }
    return out;
}

struct Op {
    std::string method, path, permission;
    std::set<std::string> words() const {
        std::set<std::string> w;
        size_t start = 0;
        while (start <= permission.size()) {
            size_t bar = permission.find('|', start);
            w.insert(permission.substr(start, bar == std::string::npos ? std::string::npos : bar - start));
            if (bar == std::string::npos) break;
            start = bar + 1;
        }
        return w;
    }
};

// A concrete path for a template: every {param} becomes 1.
std::string concrete(const std::string& tpl) { return std::regex_replace(tpl, std::regex(R"(\{[^}]+\})"), "1"); }

test::Response call(TestServer& s, const Op& op, const std::string& token) {
    std::string path = concrete(op.path);
    std::map<std::string, std::string> h;
    if (!token.empty()) h["Authorization"] = "Bearer " + token;
    std::string body = op.method == "GET" || op.method == "DELETE" ? "" : "{}";
    return s.raw(op.method, path, body, body.empty() ? "" : "application/json", h);
}

void refused(const test::Response& r, int status, const Op& op, const std::string& as) {
    INFO(as << " " << op.method << " " << op.path << " (" << op.permission << ") → " << r.status << " " << r.text.substr(0, 200));
    CHECK(r.status == status);
    REQUIRE(r.body.is_object());
    CHECK(r.body["error"]["code"].is_string());
    CHECK(r.body["error"]["request_id"] == r.header("X-Request-Id"));
}

}  // namespace

TEST_CASE("every published route refuses callers its permission does not name") {
    auto stations = built_stations();
    REQUIRE_FALSE(stations.empty());
    TestServer s([&](Config& c) {
        c.stations = stations;
        c.rate_limit_per_minute = 0;
    });
    auto spec = s.get("/openapi.json");
    REQUIRE(spec.status == 200);
    std::vector<Op> ops;
    for (const auto& [path, methods] : spec.body["paths"].items())
        for (const auto& [method, op] : methods.items()) {
            std::string m = method;
            for (auto& ch : m) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
            ops.push_back({m, path, op.value("x-permission", std::string())});
        }
    // The sweep is only as good as its coverage: every loaded station's routes are in the spec.
    for (const auto& st : stations) {
        bool listed = false;
        for (const auto& op : ops) listed = listed || op.path.rfind("/api/v1/stations/" + st.id + "/", 0) == 0;
        INFO("station " << st.id);
        CHECK(listed);
    }

    const std::string forged = std::string(43, 'A');
    // An admin's session that has run out: it must open nothing, not even what any user may call.
    std::string expired = s.login("sweep-admin", {"admin"});
    s.app().clock().advance(s.app().config().session_ttl_s * 1000 + 1);
    std::string resident = s.login("sweep-resident", {"resident"});
    std::string outsider = s.login("sweep-outsider", {"resident", "staff:nobody_station"});
    int checked = 0;
    for (const auto& op : ops) {
        auto w = op.words();
        if (w.count("public")) continue;
        refused(call(s, op, ""), 401, op, "anonymous");
        refused(call(s, op, forged), 401, op, "forged token");
        refused(call(s, op, expired), 401, op, "expired admin token");
        ++checked;
        bool resident_may = w.count("user") || w.count("resident");
        if (!resident_may) refused(call(s, op, resident), 403, op, "resident");
        bool outsider_may = resident_may;  // staff of another station is, here, only a resident
        if (!outsider_may) refused(call(s, op, outsider), 403, op, "staff of another station");
    }
    CHECK(checked > 10);
}
