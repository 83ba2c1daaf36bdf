// SPDX-License-Identifier: MIT
// The core over real HTTP on loopback: the error model, authentication, roles, dev login,
// health, metrics, OpenAPI and the admin routes.
#include <doctest/doctest.h>

#include <httplib.h>

#include "../support/api_checks.hpp"
#include "../support/race.hpp"
#include "../support/test_server.hpp"
#include "retention.hpp"

using namespace yz;
using nlohmann::json;
using test::TestServer;

using test::check_error;

TEST_CASE("health, readiness and a request id on every answer") {
    TestServer s;
    auto h = s.get("/healthz");
    CHECK(h.status == 200);
    CHECK(h.body["status"] == "ok");
    CHECK(h.header("X-Request-Id").size() >= 16);
    auto r = s.get("/readyz");
    CHECK(r.status == 200);
    CHECK(r.body["checks"]["database"] == "ok");
    auto given = s.get("/healthz", "", {{"X-Request-Id", "abc-123"}});
    CHECK(given.header("X-Request-Id") == "abc-123");
    auto hostile = s.get("/healthz", "", {{"X-Request-Id", "bad id\twith\tspaces"}});
    CHECK(hostile.header("X-Request-Id") != "bad id\twith\tspaces");
}

TEST_CASE("unknown routes are 404 JSON and wrong methods 405 JSON") {
    TestServer s;
    check_error(s.get("/api/v1/nothing"), 404, "not_found");
    auto r = s.del("/api/v1/stations");
    check_error(r, 405, "method_not_allowed");
    CHECK(r.header("Allow") == "GET");
}

TEST_CASE("authentication: missing, malformed, unknown and revoked tokens") {
    TestServer s;
    check_error(s.get("/api/v1/me"), 401, "unauthorized");
    check_error(s.raw("GET", "/api/v1/me", "", "", {{"Authorization", "Basic abc"}}), 401, "invalid_token");
    check_error(s.get("/api/v1/me", std::string(43, 'A')), 401, "invalid_token");
    std::string token = s.login("zhang");
    auto me = s.get("/api/v1/me", token);
    CHECK(me.status == 200);
    CHECK(me.body["display_name"] == "zhang");
    CHECK(me.body["roles"] == json::array({"resident"}));
    CHECK(s.post("/api/v1/auth/logout", json::object(), token).status == 200);
    check_error(s.get("/api/v1/me", token), 401, "invalid_token");
}

TEST_CASE("sessions are stored hashed, expire, and slide when used") {
    TestServer s;
    std::string token = s.login("li");
    {
        Conn& c = s.app().db().conn();
        auto q = c.prepare("SELECT count(*) FROM core_sessions WHERE token_hash = ?1");
        q->bind(1, token);
        REQUIRE(q->executeStep());
        CHECK(q->getColumn(0).getInt() == 0);  // the clear token is nowhere in the database
    }
    int64_t ttl = s.app().config().session_ttl_s * 1000;
    s.app().clock().advance(ttl * 3 / 4);  // past half-life: this use renews
    CHECK(s.get("/api/v1/me", token).status == 200);
    s.app().clock().advance(ttl * 3 / 4);  // would have expired without the renewal
    CHECK(s.get("/api/v1/me", token).status == 200);
    s.app().clock().advance(ttl + 1);
    check_error(s.get("/api/v1/me", token), 401, "invalid_token");
}

TEST_CASE("a session is purged a month after it ended, a live one is kept") {
    TestServer s;
    std::string expired = s.login("li");
    std::string revoked = s.login("zhao");
    std::string live = s.login("wang");
    CHECK(s.post("/api/v1/auth/logout", json::object(), revoked).status == 200);
    int64_t ttl = s.app().config().session_ttl_s * 1000;
    auto pass = [&](int64_t ms) {  // time passes, and "wang" keeps using the app (renewing as it goes)
        for (int64_t step; ms > 0; ms -= step) {
            step = std::min(ms, ttl / 4);
            s.app().clock().advance(step);
            REQUIRE(s.get("/api/v1/me", live).status == 200);
        }
    };
    auto sessions = [&] { return s.scalar("SELECT count(*) FROM core_sessions"); };
    REQUIRE(sessions() == 3);
    pass(ttl + retention::kEndedSessionMs - 1000);  // "li" and "zhao" ended a month ago, less a second
    s.app().scheduler().tick();
    CHECK(sessions() == 3);
    pass(retention::kPurgeEveryMs);
    s.app().scheduler().tick();
    CHECK(sessions() == 1);
    check_error(s.get("/api/v1/me", expired), 401, "invalid_token");
    check_error(s.get("/api/v1/me", revoked), 401, "invalid_token");
}

TEST_CASE("dev login is refused unless the server runs in dev mode") {
    TestServer prod;
    check_error(prod.post("/api/v1/auth/dev-login", {{"user", "admin"}}), 403, "dev_mode_only");
    TestServer dev([](Config& c) { c.dev = true; });
    auto r = dev.post("/api/v1/auth/dev-login", {{"user", "zhang"}, {"display_name", "张阿姨"}});
    REQUIRE(r.status == 200);
    CHECK(r.body["token"].get<std::string>().size() == 43);
    CHECK(dev.get("/api/v1/me", r.body["token"]).body["display_name"] == "张阿姨");
    check_error(dev.post("/api/v1/auth/dev-login", {{"user", "Bad Name!"}}), 400, "invalid_field");
    check_error(dev.post("/api/v1/auth/dev-login", json::object()), 400, "missing_field");
}

TEST_CASE("bodies: wrong content type, malformed JSON, non-objects, oversized") {
    TestServer s([](Config& c) { c.dev = true; c.payload_max_bytes = 4096; });
    check_error(s.raw("POST", "/api/v1/auth/dev-login", "user=x", "application/x-www-form-urlencoded"), 415, "unsupported_media_type");
    check_error(s.raw("POST", "/api/v1/auth/dev-login", "{\"user\":", "application/json"), 400, "invalid_json");
    check_error(s.raw("POST", "/api/v1/auth/dev-login", "[1,2]", "application/json"), 400, "invalid_body");
    auto big = s.raw("POST", "/api/v1/auth/dev-login", std::string(10000, ' ') + "{}", "application/json");
    CHECK(big.status == 413);
    CHECK(big.body["error"]["code"] == "payload_too_large");
    // Nothing was created by any of them.
    Conn& c = s.app().db().conn();
    auto q = c.prepare("SELECT count(*) FROM core_users");
    REQUIRE(q->executeStep());
    CHECK(q->getColumn(0).getInt() == 0);
}

TEST_CASE("admin routes need the admin role, grants are audited") {
    TestServer s;
    std::string resident = s.login("zhang");
    std::string admin = s.login("boss", {"admin"});
    int64_t zhang = s.user_id("zhang");
    std::string path = "/api/v1/admin/users/" + std::to_string(zhang) + "/roles";
    check_error(s.post(path, {{"role", "admin"}}, resident), 403, "forbidden");
    check_error(s.post(path, {{"role", "staff"}}, admin), 400, "invalid_role");
    check_error(s.post(path, {{"role", "wizard"}}, admin), 400, "invalid_role");
    check_error(s.post("/api/v1/admin/users/999/roles", {{"role", "member"}}, admin), 404, "user_not_found");
    auto granted = s.post(path, {{"role", "staff:notices"}}, admin);
    CHECK(granted.status == 201);
    CHECK(granted.body["roles"] == json::array({"resident", "staff:notices"}));
    CHECK(s.get("/api/v1/me", resident).body["roles"] == json::array({"resident", "staff:notices"}));
    auto audit = s.get("/api/v1/admin/audit?record_type=user", admin);
    REQUIRE(audit.status == 200);
    REQUIRE(audit.body["items"].size() == 1);
    CHECK(audit.body["items"][0]["action"] == "role.grant");
    CHECK(audit.body["items"][0]["detail"]["role"] == "staff:notices");
    CHECK(s.del(path + "/staff:notices", admin).status == 200);
    check_error(s.del(path + "/staff:notices", admin), 404, "role_not_held");
}

TEST_CASE("metrics count requests by route template and status") {
    TestServer s;
    s.get("/healthz");
    s.get("/api/v1/nothing");
    auto m = s.get("/metrics");
    REQUIRE(m.status == 200);
    CHECK(m.header("Content-Type").find("text/plain") == 0);
    CHECK(m.text.find("yz_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 1") != std::string::npos);
    CHECK(m.text.find("route=\"unmatched\",status=\"404\"") != std::string::npos);
    CHECK(m.text.find("yz_http_request_duration_seconds_bucket{method=\"GET\",route=\"/healthz\",le=\"+Inf\"} 1") != std::string::npos);
}

TEST_CASE("the OpenAPI document lists core routes with their permissions") {
    TestServer s;
    auto r = s.get("/openapi.json");
    REQUIRE(r.status == 200);
    CHECK(r.body["openapi"] == "3.0.3");
    CHECK(r.body["paths"]["/api/v1/me"]["get"]["x-permission"] == "user");
    CHECK(r.body["paths"]["/api/v1/admin/stations/{id}/reload"]["post"]["parameters"][0]["name"] == "id");
}

TEST_CASE("rate limiting answers 429 with Retry-After") {
    TestServer s([](Config& c) { c.rate_limit_per_minute = 60; c.rate_limit_burst = 3; });
    for (int i = 0; i < 3; ++i) CHECK(s.get("/healthz").status == 200);
    auto r = s.get("/healthz");
    check_error(r, 429, "rate_limited");
    CHECK(std::stoi(r.header("Retry-After")) >= 1);
}

TEST_CASE("CORS headers only for the configured console origin") {
    TestServer s([](Config& c) { c.cors_origins = {"http://console.example"}; });
    auto ok = s.get("/healthz", "", {{"Origin", "http://console.example"}});
    CHECK(ok.header("Access-Control-Allow-Origin") == "http://console.example");
    auto other = s.get("/healthz", "", {{"Origin", "http://evil.example"}});
    CHECK(other.header("Access-Control-Allow-Origin").empty());
    auto pre = s.raw("OPTIONS", "/api/v1/me", "", "", {{"Origin", "http://console.example"}});
    CHECK(pre.status == 204);
    CHECK(pre.header("Access-Control-Allow-Headers").find("Authorization") != std::string::npos);
}

TEST_CASE("a burst of new connections is answered in full, none dropped by a short accept queue") {
    TestServer s([](Config& c) { c.rate_limit_per_minute = 0; });
    constexpr int kClients = 256;
    auto outcomes = yz::test::race(kClients, [&](int) {
        auto r = s.get("/healthz");
        return r.status == 200 ? std::string("answered") : std::to_string(r.status) + " " + r.text.substr(0, 80);
    });
    INFO(yz::test::describe(outcomes));
    CHECK(outcomes["answered"] == kClients);
}
