// SPDX-License-Identifier: MIT
// The staff console as a browser fetches it: its static files under /console/ with the security
// headers a page that holds an admin's session needs, and the sign-in QR code image.
#include <doctest/doctest.h>

#include "../support/test_server.hpp"

using nlohmann::json;
using yz::test::TestServer;

TEST_CASE("the console's files are served under /console/ with a strict content security policy") {
    TestServer s([](yz::Config& c) { c.console_dir = yz::test::source_dir() + "/web/console"; });
    auto page = s.get("/console/");
    REQUIRE(page.status == 200);
    CHECK(page.header("Content-Type").find("text/html") == 0);
    CHECK(page.text.find("管理后台") != std::string::npos);
    CHECK(page.text.find("console.js") != std::string::npos);
    CHECK(page.header("Content-Security-Policy").find("default-src 'self'") != std::string::npos);
    CHECK(page.header("X-Frame-Options") == "DENY");
    auto script = s.get("/console/console.js");
    REQUIRE(script.status == 200);
    CHECK(script.header("Content-Type").find("javascript") != std::string::npos);
    auto module = s.get("/console/lib/api.js");  // pages import modules from folders
    REQUIRE(module.status == 200);
    CHECK(module.header("Content-Type").find("javascript") != std::string::npos);
    CHECK(s.get("/console/nothing-here.js").status == 404);
    CHECK(s.get("/console/../CMakeLists.txt").status != 200);  // nothing outside the console's folder
}

TEST_CASE("a sign-in challenge is shown as a QR code image, which is a real QR symbol") {
    TestServer s;
    auto ch = s.post("/api/v1/console/challenges", json::object());
    REQUIRE(ch.status == 201);
    auto img = s.get("/api/v1/console/challenges/" + ch.body["id"].get<std::string>() + "/qr.svg");
    REQUIRE(img.status == 200);
    CHECK(img.header("Content-Type") == "image/svg+xml");
    CHECK(img.header("Cache-Control") == "no-store");
    CHECK(img.text.rfind("<svg", 0) == 0);
    // Every QR symbol starts with the top-left finder pattern: a run of 7 dark modules, here after
    // the 4-module quiet zone.
    CHECK(img.text.find("M4 4h7v1h-7z") != std::string::npos);
    CHECK(yz::test::error_code(s.get("/api/v1/console/challenges/bad%20id/qr.svg")) == "challenge_not_found");
}

TEST_CASE("staff turn any short text into a QR image, residents and strangers cannot") {
    TestServer s;
    std::string staff = s.login("desk", {"staff:convenience"});
    std::string resident = s.login("ming");
    auto img = s.get("/api/v1/console/qr.svg?text=volunteer.12.345.abc", staff);
    REQUIRE(img.status == 200);
    CHECK(img.header("Content-Type") == "image/svg+xml");
    CHECK(img.text.find("M4 4h7v1h-7z") != std::string::npos);
    CHECK(s.get("/api/v1/console/qr.svg?text=x").status == 401);
    CHECK(yz::test::error_code(s.get("/api/v1/console/qr.svg?text=x", resident)) == "not_staff");
    CHECK(yz::test::error_code(s.get("/api/v1/console/qr.svg", staff)) == "missing_field");
    CHECK(yz::test::error_code(s.get("/api/v1/console/qr.svg?text=" + std::string(257, 'a'), staff)) == "too_long");
}
