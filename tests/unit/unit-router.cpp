// SPDX-License-Identifier: MIT
// Route templates, permissions and the route table's 404/405 decisions.
#include <doctest/doctest.h>

#include "router.hpp"

using namespace yz;

namespace {
Route make(const std::string& method, const std::string& path) {
    Route r;
    r.method = method;
    r.path = path;
    r.tmpl = *PathTemplate::parse(path);
    r.permission = *Permission::parse("public");
    return r;
}
}  // namespace

TEST_CASE("templates parse literal and {param} segments, and refuse malformed ones") {
    auto t = PathTemplate::parse("/bookings/{id}/cancel");
    REQUIRE(t);
    CHECK(t->params == std::vector<std::string>{"id"});
    CHECK_FALSE(PathTemplate::parse("bookings"));
    CHECK_FALSE(PathTemplate::parse("/a//b"));
    CHECK_FALSE(PathTemplate::parse("/a/{ID}"));
    CHECK_FALSE(PathTemplate::parse("/a/{id}/{id}"));
    CHECK_FALSE(PathTemplate::parse("/a/{id"));
    CHECK_FALSE(PathTemplate::parse("/a/b?c"));
}

TEST_CASE("matching binds parameters, prefers literals, and tells 404 from 405") {
    RouteTable table({make("GET", "/items/{id}"), make("GET", "/items/new"), make("POST", "/items")});
    auto m = table.match("GET", "/items/42");
    REQUIRE(m.route);
    CHECK(m.params.at(0).second == "42");
    auto lit = table.match("GET", "/items/new");
    REQUIRE(lit.route);
    CHECK(lit.route->path == "/items/new");
    auto head = table.match("HEAD", "/items/7");
    CHECK(head.route);
    auto wrong = table.match("DELETE", "/items");
    CHECK_FALSE(wrong.route);
    CHECK(wrong.allowed_methods == std::vector<std::string>{"POST"});
    auto none = table.match("GET", "/nothing/here");
    CHECK_FALSE(none.route);
    CHECK(none.allowed_methods.empty());
}

TEST_CASE("permissions parse known words only") {
    auto p = Permission::parse("staff|admin");
    REQUIRE(p);
    CHECK(p->staff_of_station);
    CHECK(p->roles == std::vector<std::string>{"admin"});
    CHECK(Permission::parse("public")->is_public);
    CHECK_FALSE(Permission::parse("root"));
    CHECK_FALSE(Permission::parse("staff|"));
}

// The table's index (method, segment count, fourth segment) must choose exactly what one scan of
// the whole table in order would: checked on station-shaped paths, where a {param} in the fourth
// segment and a literal one both take a request.
TEST_CASE("the route index chooses what a scan of the whole table would") {
    std::vector<Route> routes = {
        make("GET", "/api/v1/stations/notices/items/{id}"), make("GET", "/api/v1/stations/notices/items/new"),
        make("GET", "/api/v1/stations/{station}/items/new"), make("GET", "/api/v1/stations/{station}/about"),
        make("GET", "/api/v1/stations/notices/{what}/new"),  make("POST", "/api/v1/stations/notices/items"),
        make("GET", "/api/v1/me"),                            make("GET", "/"),
    };
    RouteTable table(routes);
    auto scan = [&](std::string_view method, std::string_view path) -> std::string {
        auto segs = split_path(path);
        for (const Route& r : table.routes()) {  // the table's own order: fewer parameters first
            std::vector<std::pair<std::string, std::string>> params;
            if (r.method == method && r.tmpl.match(segs, params)) return r.path;
        }
        return "";
    };
    for (std::string path : {"/api/v1/stations/notices/items/7", "/api/v1/stations/notices/items/new",
                             "/api/v1/stations/volunteer/items/new", "/api/v1/stations/notices/about",
                             "/api/v1/stations/notices/posts/new", "/api/v1/stations/{}/items/new", "/api/v1/me", "/",
                             "/api/v1/stations/notices/items", "/api/v1/stations/volunteer/items/7"}) {
        CAPTURE(path);
        auto m = table.match("GET", path);
        CHECK((m.route ? m.route->path : std::string()) == scan("GET", path));
    }
    CHECK(table.match("GET", "/api/v1/stations/volunteer/items/new").route->path == "/api/v1/stations/{station}/items/new");
    CHECK(table.match("GET", "/api/v1/stations/notices/items/new").route->path == "/api/v1/stations/notices/items/new");
    CHECK(table.match("GET", "/api/v1/stations/notices/posts/new").route->path == "/api/v1/stations/notices/{what}/new");
    CHECK(table.match("POST", "/api/v1/stations/notices/items").route);
    CHECK(table.match("GET", "/api/v1/stations/notices/items").allowed_methods == std::vector<std::string>{"POST"});
}
