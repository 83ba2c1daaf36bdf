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
