// SPDX-License-Identifier: MIT
// What the console's community-admin pages ask of the server: finding users (never by or with
// their openid), the audit log and the notification outbox with filters and paging, and the
// dashboard's counts. Each is the admin's alone: a resident and a station's staff are refused.
#include <doctest/doctest.h>

#include "../support/test_server.hpp"
#include "outbox.hpp"
#include "time_util.hpp"

using nlohmann::json;
using yz::test::TestServer;
using yz::test::error_code;

namespace {

std::vector<int64_t> ids_of(const json& items) {
    std::vector<int64_t> out;
    for (const auto& i : items) out.push_back(i["id"].get<int64_t>());
    return out;
}

int64_t beijing(const char* iso) { return *yz::time::parse_iso8601(iso); }

// Sends every due row with `send`; a row whose send says "retry" is dead after one attempt.
void send_all(TestServer& s, const yz::outbox::Sender& send) {
    yz::outbox::run_due(s.app().db().conn(), send, s.app().clock().now_ms(), 1);
}

}  // namespace

TEST_CASE("admins find users by part of the name, by id and by role, a page at a time") {
    TestServer s;
    std::string admin = s.login("boss", {"admin"});
    s.login("张阿姨");
    s.login("张师傅", {"member"});
    s.login("desk", {"staff:convenience"});
    s.login("helper", {"staff:volunteer"});
    s.login("100%_sure");

    auto zhang = s.get("/api/v1/admin/users?q=" + std::string("%E5%BC%A0"), admin);  // 张
    REQUIRE(zhang.status == 200);
    CHECK(ids_of(zhang.body["items"]) == std::vector<int64_t>{s.user_id("张师傅"), s.user_id("张阿姨")});
    CHECK(zhang.body["items"][0]["roles"] == json::array({"member", "resident"}));
    CHECK(zhang.body["next_before"].is_null());

    auto by_id = s.get("/api/v1/admin/users?q=" + std::to_string(s.user_id("desk")), admin);
    CHECK(ids_of(by_id.body["items"]) == std::vector<int64_t>{s.user_id("desk")});

    // A '%' or '_' typed in the box means itself, not "anything".
    auto literal = s.get("/api/v1/admin/users?q=%25_", admin);
    CHECK(ids_of(literal.body["items"]) == std::vector<int64_t>{s.user_id("100%_sure")});

    auto staff = s.get("/api/v1/admin/users?role=staff", admin);
    CHECK(ids_of(staff.body["items"]) == std::vector<int64_t>{s.user_id("helper"), s.user_id("desk")});
    auto desk = s.get("/api/v1/admin/users?role=staff:convenience", admin);
    CHECK(ids_of(desk.body["items"]) == std::vector<int64_t>{s.user_id("desk")});
    auto admins = s.get("/api/v1/admin/users?role=admin", admin);
    CHECK(ids_of(admins.body["items"]) == std::vector<int64_t>{s.user_id("boss")});

    // Paging: two at a time, newest first, until next_before is null.
    std::vector<int64_t> seen;
    std::string before;
    for (int page = 0; page < 10; ++page) {
        auto r = s.get("/api/v1/admin/users?limit=2" + before, admin);
        REQUIRE(r.status == 200);
        for (int64_t id : ids_of(r.body["items"])) seen.push_back(id);
        if (r.body["next_before"].is_null()) break;
        before = "&before=" + std::to_string(r.body["next_before"].get<int64_t>());
    }
    CHECK(seen.size() == 6);
    CHECK(std::is_sorted(seen.rbegin(), seen.rend()));

    CHECK(error_code(s.get("/api/v1/admin/users?role=wizard", admin)) == "invalid_role");
    CHECK(error_code(s.get("/api/v1/admin/users?limit=0", admin)) == "invalid_field");
    CHECK(error_code(s.get("/api/v1/admin/users?before=x", admin)) == "invalid_field");
    CHECK(error_code(s.get("/api/v1/admin/users?q=" + std::string(101, 'a'), admin)) == "too_long");
}

TEST_CASE("the user list never carries an openid, and an openid is not something to search by") {
    TestServer s;
    std::string admin = s.login("boss", {"admin"});
    s.login("ming");  // the test server's openids are "test-<name>"
    auto all = s.get("/api/v1/admin/users", admin);
    REQUIRE(all.status == 200);
    CHECK(all.body["items"].size() == 2);
    CHECK(all.text.find("test-") == std::string::npos);
    for (const auto& u : all.body["items"]) {
        CHECK_FALSE(u.contains("openid"));
        CHECK_FALSE(u.contains("unionid"));
        CHECK_FALSE(u.contains("phone"));
    }
    CHECK(s.get("/api/v1/admin/users?q=test-ming", admin).body["items"].empty());
}

TEST_CASE("the audit log is filtered by action, actor, station, record and time range") {
    TestServer s;
    std::string admin = s.login("boss", {"admin"});
    std::string other_admin = s.login("deputy", {"admin"});
    int64_t ming = s.app().identity().upsert_user("test-ming", "", "ming");
    std::string roles = "/api/v1/admin/users/" + std::to_string(ming) + "/roles";

    s.app().clock().set_fixed(beijing("2026-02-28T23:59:00+08:00"));
    REQUIRE(s.post(roles, {{"role", "member"}}, admin).status == 201);
    s.app().clock().set_fixed(beijing("2026-03-01T00:01:00+08:00"));
    REQUIRE(s.post(roles, {{"role", "grid:g1"}}, other_admin).status == 201);
    REQUIRE(s.del(roles + "/member", admin).status == 200);

    auto action = [&](const std::string& query) {
        auto r = s.get("/api/v1/admin/audit?" + query, admin);
        REQUIRE(r.status == 200);
        std::vector<std::string> out;
        for (const auto& i : r.body["items"]) out.push_back(i["action"].get<std::string>() + " " + i["detail"]["role"].get<std::string>());
        return out;
    };
    using V = std::vector<std::string>;
    CHECK(action("action=role.grant") == V{"role.grant grid:g1", "role.grant member"});
    CHECK(action("action=role") == V{"role.revoke member", "role.grant grid:g1", "role.grant member"});
    CHECK(action("action=rol").empty());  // a prefix is a whole dotted word, not any leading letters
    CHECK(action("actor=" + std::to_string(s.user_id("deputy"))) == V{"role.grant grid:g1"});
    CHECK(action("actor=system").empty());
    CHECK(action("record_type=user&record_id=" + std::to_string(ming)).size() == 3);
    CHECK(action("station=notices").empty());
    // A date is a day in Beijing: 23:59 on the 28th is before 1 March there, though not in UTC.
    CHECK(action("from=2026-03-01") == V{"role.revoke member", "role.grant grid:g1"});
    CHECK(action("to=2026-02-28") == V{"role.grant member"});
    CHECK(action("from=2026-03-01T00:00:00%2B08:00&to=2026-03-01") == V{"role.revoke member", "role.grant grid:g1"});

    auto first = s.get("/api/v1/admin/audit?action=role&limit=2", admin);
    REQUIRE(first.body["items"].size() == 2);
    REQUIRE(first.body["next_before"].is_number());
    auto rest = s.get("/api/v1/admin/audit?action=role&limit=2&before=" + std::to_string(first.body["next_before"].get<int64_t>()), admin);
    REQUIRE(rest.body["items"].size() == 1);
    CHECK(rest.body["items"][0]["detail"]["role"] == "member");
    CHECK(rest.body["next_before"].is_null());

    CHECK(error_code(s.get("/api/v1/admin/audit?from=yesterday", admin)) == "invalid_field");
    CHECK(error_code(s.get("/api/v1/admin/audit?to=2026-02-30", admin)) == "invalid_field");
    CHECK(error_code(s.get("/api/v1/admin/audit?actor=boss", admin)) == "invalid_field");
}

TEST_CASE("the outbox is filtered by state, station and template, and a dead letter shows its last error") {
    TestServer s;
    std::string admin = s.login("boss", {"admin"});
    int64_t ming = s.app().identity().upsert_user("test-ming", "", "ming");
    auto& c = s.app().db().conn();
    int64_t now = s.app().clock().now_ms();
    int64_t sent = yz::outbox::enqueue(c, "convenience", ming, "booked", json{{"slot", "9:00"}}, now);
    send_all(s, [](const yz::outbox::Job&) { return yz::outbox::SendResult{yz::outbox::Outcome::sent, 0, ""}; });
    int64_t dead = yz::outbox::enqueue(c, "convenience", ming, "reminder", json::object(), now);
    send_all(s, [](const yz::outbox::Job&) {
        return yz::outbox::SendResult{yz::outbox::Outcome::retry, 45015, "回复时间超过限制"};
    });
    int64_t queued = yz::outbox::enqueue(c, "volunteer", ming, "reminder", json::object(), now);

    auto ids = [&](const std::string& query) {
        auto r = s.get("/api/v1/admin/outbox?" + query, admin);
        REQUIRE(r.status == 200);
        return ids_of(r.body["items"]);
    };
    using V = std::vector<int64_t>;
    CHECK(ids("") == V{queued, dead, sent});
    CHECK(ids("state=dead") == V{dead});
    CHECK(ids("state=sent") == V{sent});
    CHECK(ids("station=volunteer") == V{queued});
    CHECK(ids("template=reminder") == V{queued, dead});
    CHECK(ids("station=convenience&template=reminder&state=dead") == V{dead});
    CHECK(ids("station=notices").empty());

    auto letter = s.get("/api/v1/admin/outbox?state=dead", admin).body["items"][0];
    CHECK(letter["last_errcode"] == 45015);
    CHECK(letter["last_error"] == "回复时间超过限制");

    auto page = s.get("/api/v1/admin/outbox?limit=2", admin);
    CHECK(page.body["next_before"] == dead);
    CHECK(ids("limit=2&before=" + std::to_string(dead)) == V{sent});

    CHECK(error_code(s.post("/api/v1/admin/outbox/" + std::to_string(sent) + "/retry", json::object(), admin)) == "not_retryable");
    REQUIRE(s.post("/api/v1/admin/outbox/" + std::to_string(dead) + "/retry", json::object(), admin).status == 200);
    CHECK(ids("state=dead").empty());
    CHECK(error_code(s.get("/api/v1/admin/outbox?state=lost", admin)) == "invalid_field");
}

TEST_CASE("the dashboard's counts: users by role, the outbox by state, stations by state") {
    TestServer s;
    std::string admin = s.login("boss", {"admin"});
    s.login("desk", {"staff:convenience"});
    s.login("ming");
    int64_t ming = s.user_id("ming");
    auto& c = s.app().db().conn();
    yz::outbox::enqueue(c, "convenience", ming, "booked", json::object(), s.app().clock().now_ms());
    yz::outbox::enqueue(c, "convenience", ming, "booked", json::object(), s.app().clock().now_ms());

    auto r = s.get("/api/v1/admin/summary", admin);
    REQUIRE(r.status == 200);
    CHECK(r.body["users"]["total"] == 3);
    CHECK(r.body["users"]["by_role"] == json{{"admin", 1}, {"resident", 3}, {"staff:convenience", 1}});
    CHECK(r.body["outbox"] == json{{"queued", 2}});
    int stations = 0;
    for (const auto& [state, n] : r.body["stations"].items()) stations += n.get<int>();
    CHECK(stations == static_cast<int>(s.get("/api/v1/admin/stations", admin).body["stations"].size()));
}

TEST_CASE("a resident and a station's staff are refused every community-admin list") {
    TestServer s;
    std::string resident = s.login("ming");
    std::string staff = s.login("desk", {"staff:convenience"});
    for (const char* path : {"/api/v1/admin/users", "/api/v1/admin/users?q=ming", "/api/v1/admin/audit?action=role",
                             "/api/v1/admin/audit?station=convenience", "/api/v1/admin/outbox?state=dead",
                             "/api/v1/admin/outbox?station=convenience", "/api/v1/admin/summary"}) {
        CAPTURE(path);
        auto r = s.get(path, resident);
        CHECK(r.status == 403);
        CHECK(error_code(r) == "forbidden");
        auto st = s.get(path, staff);
        CHECK(st.status == 403);
        CHECK(error_code(st) == "forbidden");
        CHECK(s.get(path).status == 401);
    }
}

TEST_CASE("the community's last admin cannot be revoked from the console, so nobody is locked out") {
    TestServer s;
    std::string boss = s.login("boss", {"admin"});
    auto revoke_admin = [&](const std::string& who, const std::string& token) {
        return s.del("/api/v1/admin/users/" + std::to_string(s.user_id(who)) + "/roles/admin", token);
    };
    auto last = revoke_admin("boss", boss);
    CHECK(last.status == 409);
    CHECK(error_code(last) == "last_admin");
    json roles = s.get("/api/v1/me", boss).body["roles"];
    CHECK(std::find(roles.begin(), roles.end(), "admin") != roles.end());

    std::string deputy = s.login("deputy", {"admin"});
    CHECK(revoke_admin("boss", deputy).status == 200);   // another admin remains: allowed
    CHECK(error_code(revoke_admin("deputy", deputy)) == "last_admin");
    CHECK(error_code(revoke_admin("boss", deputy)) == "role_not_held");
}
