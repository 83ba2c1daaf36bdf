// SPDX-License-Identifier: MIT
// The notices station's handlers against the SDK's fake host: no server, no dlopen.
#include <doctest/doctest.h>

#include <yz/plugin_testing.hpp>

using yz::json;
using yz::testing::FakeHost;

TEST_CASE("staff post, residents read, reads are counted once per resident") {
    FakeHost host;
    REQUIRE(host.init());
    host.add_user(7, "公告站小李");
    auto created = host.call("POST", "/items", {{"title", "停水通知"}, {"body", "明天上午停水"}}, host.staff(7));
    REQUIRE(created.status == 201);
    std::string id = std::to_string(created.body["id"].get<int64_t>());
    auto list = host.call("GET", "/items");
    REQUIRE(list.body["items"].size() == 1);
    CHECK(list.body["items"][0]["author"] == "公告站小李");
    CHECK(list.body["items"][0]["created_at"] == "2026-01-01T08:00:00+08:00");
    host.call("GET", "/items/" + id, nullptr, FakeHost::resident(3));
    host.call("GET", "/items/" + id, nullptr, FakeHost::resident(3));
    host.call("GET", "/items/" + id, nullptr, FakeHost::resident(4));
    CHECK(host.call("GET", "/items/" + id + "/reads", nullptr, host.staff(7)).body["reads"] == 2);
    REQUIRE(host.audits.size() == 1);
    CHECK(host.audits[0]["action"] == "notice.create");
}

TEST_CASE("withdrawn and unknown notices answer 404 notice_not_found, bad ids 404 not_found") {
    FakeHost host;
    REQUIRE(host.init());
    auto created = host.call("POST", "/items", {{"title", "t"}, {"body", "b"}}, host.staff(1));
    std::string path = "/items/" + std::to_string(created.body["id"].get<int64_t>());
    CHECK(host.call("DELETE", path, nullptr, host.staff(1)).status == 200);
    CHECK(host.call("GET", path).body["error"]["code"] == "notice_not_found");
    CHECK(host.call("DELETE", path, nullptr, host.staff(1)).status == 404);
    CHECK(host.call("GET", "/items/abc").body["error"]["code"] == "not_found");
    CHECK(host.call("GET", "/items", nullptr, nullptr, {{"before", "-1"}}).body["error"]["code"] == "invalid_field");
}

TEST_CASE("demo data is seeded once, only when asked") {
    FakeHost plain;
    REQUIRE(plain.init());
    CHECK(plain.call("GET", "/items").body["items"].empty());
    FakeHost demo;
    REQUIRE(demo.init({{"seed_demo", true}}));
    auto items = demo.call("GET", "/items").body["items"];
    REQUIRE(items.size() == 2);
    CHECK(items[0]["pinned"] == true);  // pinned first
}
