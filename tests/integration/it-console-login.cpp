// SPDX-License-Identifier: MIT
// Console sign-in without passwords, through real HTTP: the console's challenge, a staff member's
// confirmation from the mini-program, the one-time collection of the console session; the dev
// stand-in for the phone; and `yizhan user login-link` for the first admin.
#include <doctest/doctest.h>

#include <regex>

#include "../support/server_process.hpp"
#include "../support/test_server.hpp"
#include "console_login.hpp"

using nlohmann::json;
using yz::test::TestServer;
using yz::test::error_code;

namespace {

const std::string kBase = "/api/v1/console/challenges";

json challenge(TestServer& s) {
    auto r = s.post(kBase, json::object());
    REQUIRE(r.status == 201);
    CHECK(r.body["qr_text"] == "yizhan-console:" + r.body["id"].get<std::string>());
    return r.body;
}

yz::test::Response collect(TestServer& s, const json& ch, const std::string& secret = {}) {
    return s.post(kBase + "/" + ch["id"].get<std::string>() + "/session", {{"secret", secret.empty() ? ch["secret"].get<std::string>() : secret}});
}

yz::test::Response confirm(TestServer& s, const json& ch, const std::string& token) {
    return s.post(kBase + "/" + ch["id"].get<std::string>() + "/confirm", json::object(), token);
}

}  // namespace

TEST_CASE("staff confirm a console challenge with their phone and the console collects the session once") {
    TestServer s;
    std::string staff = s.login("xiaoli", {"staff:convenience"}), resident = s.login("zhang");
    json ch = challenge(s);

    auto waiting = collect(s, ch);
    CHECK(waiting.status == 202);
    CHECK(waiting.body["state"] == "pending");
    CHECK(error_code(confirm(s, ch, resident)) == "not_staff");
    CHECK(error_code(confirm(s, ch, "")) == "unauthorized");
    REQUIRE(confirm(s, ch, staff).status == 200);
    CHECK(error_code(confirm(s, ch, staff)) == "challenge_used");

    CHECK(error_code(collect(s, ch, std::string(43, 'x'))) == "challenge_not_found");  // only the page that asked
    auto in = collect(s, ch);
    REQUIRE(in.status == 200);
    std::string console = in.body["token"];
    auto me = s.get("/api/v1/me", console);
    REQUIRE(me.status == 200);
    CHECK(me.body["roles"].dump().find("staff:convenience") != std::string::npos);
    CHECK(error_code(collect(s, ch)) == "challenge_used");  // a second collection gets nothing
    // The sign-in is in the audit log, by and about that user.
    CHECK(s.scalar("SELECT count(*) FROM core_audit WHERE action = 'console.sign_in' AND actor_user_id = ?1 AND record_id = ?2",
                   {s.user_id("xiaoli"), s.user_id("xiaoli")}) == 1);

    json late = challenge(s);
    s.app().clock().advance(yz::console_login::kChallengeMs + 1);
    CHECK(error_code(confirm(s, late, staff)) == "challenge_expired");
    CHECK(error_code(collect(s, late)) == "challenge_expired");
}

TEST_CASE("in dev mode a demo user confirms from the console page itself, never outside dev mode") {
    TestServer prod;
    json ch = challenge(prod);
    CHECK(error_code(prod.post(kBase + "/" + ch["id"].get<std::string>() + "/dev-confirm", {{"user", "admin"}})) == "dev_mode_only");

    TestServer dev([](yz::Config& c) { c.dev = true; });
    REQUIRE(dev.post("/api/v1/auth/dev-login", {{"user", "admin"}}).status == 200);
    json dch = challenge(dev);
    CHECK(error_code(dev.post(kBase + "/" + dch["id"].get<std::string>() + "/dev-confirm", {{"user", "nobody"}})) == "invalid_field");
    CHECK(error_code(dev.post(kBase + "/" + dch["id"].get<std::string>() + "/dev-confirm", {{"user", 7}})) == "missing_field");
    CHECK(error_code(dev.post(kBase + "/" + dch["id"].get<std::string>() + "/dev-confirm", json::object())) == "missing_field");
    REQUIRE(dev.post(kBase + "/" + dch["id"].get<std::string>() + "/dev-confirm", {{"user", "admin"}}).status == 200);
    CHECK(collect(dev, dch).status == 200);
}

TEST_CASE("yizhan user login-link prints a one-time link that signs the first admin in") {
    yz::test::TempDir dir;
    TestServer s([&](yz::Config& c) { c.data_dir = dir.path; });
    s.login("boss", {"admin"});
    auto run = yz::test::run_command(yz::test::binary_dir() + "/yizhan user login-link test-boss --data-dir " + dir.path +
                                     " --url https://console.example");
    CHECK(run.code == 0);
    const std::string& out = run.out;
    std::smatch m;
    REQUIRE_MESSAGE(std::regex_search(out, m, std::regex(R"(https://console\.example/console/#link=([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+))")), out);
    json link = {{"id", m[1].str()}, {"secret", m[2].str()}};
    auto in = collect(s, link);
    REQUIRE(in.status == 200);
    CHECK(s.get("/api/v1/me", in.body["token"].get<std::string>()).body["roles"].dump().find("admin") != std::string::npos);
    CHECK(error_code(collect(s, link)) == "challenge_used");
}
