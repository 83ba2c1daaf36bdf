// SPDX-License-Identifier: MIT
// The notices station end to end: a real .so loaded by the real server, called over HTTP.
#include <doctest/doctest.h>

#include "../support/api_checks.hpp"
#include "../support/test_server.hpp"
#include "retention.hpp"

using namespace yz;
using nlohmann::json;
using test::check_error;
using test::TestServer;

namespace {
void with_notices(Config& c) { c.stations.push_back(StationConfig{"notices", "libstation_notices.so", true, json::object()}); }

// The same notice posted again and again, under the given Idempotency-Key.
test::Response post_once(TestServer& s, const std::string& token, const std::string& key) {
    return s.post("/api/v1/stations/notices/items", {{"title", "once"}, {"body", "only once"}}, token, {{"Idempotency-Key", key}});
}
}  // namespace

TEST_CASE("staff post a notice, residents list and read it, reads are counted") {
    TestServer s(with_notices);
    std::string staff = s.login("staff", {"staff:notices"});
    std::string resident = s.login("zhang");
    // Listed (and so cached) before the notice exists: the post must show at once all the same.
    REQUIRE(s.get("/api/v1/stations/notices/items").body["items"].empty());
    auto created = s.post("/api/v1/stations/notices/items", {{"title", "停水通知"}, {"body", "明天 9:00-12:00 停水"}, {"pinned", true}}, staff);
    REQUIRE(created.status == 201);
    int64_t id = created.body["id"];
    auto list = s.get("/api/v1/stations/notices/items");
    REQUIRE(list.status == 200);
    REQUIRE(list.body["items"].size() == 1);
    CHECK(list.body["items"][0]["title"] == "停水通知");
    CHECK(list.body["items"][0]["pinned"] == true);
    CHECK(list.body["items"][0]["created_at"].get<std::string>().ends_with("+08:00"));
    auto one = s.get("/api/v1/stations/notices/items/" + std::to_string(id), resident);
    CHECK(one.body["author"] == "staff");
    CHECK_FALSE(one.body.contains("seen"));
    // A notice read shows the same fields, types and times as the list.
    CHECK(one.body["id"] == id);
    CHECK(one.body["title"] == "停水通知");
    CHECK(one.body["body"] == "明天 9:00-12:00 停水");
    CHECK(one.body["pinned"] == true);
    CHECK(one.body["created_at"] == list.body["items"][0]["created_at"]);
    CHECK(one.body["updated_at"] == one.body["created_at"]);
    CHECK(one.body.size() == 7);
    auto again = s.get("/api/v1/stations/notices/items/" + std::to_string(id), resident);
    CHECK(again.body == one.body);
    auto reads = s.get("/api/v1/stations/notices/items/" + std::to_string(id) + "/reads", staff);
    CHECK(reads.body["reads"] == 1);  // a resident reading twice is one read
    s.get("/api/v1/stations/notices/items/" + std::to_string(id), s.login("ming"));
    CHECK(s.get("/api/v1/stations/notices/items/" + std::to_string(id) + "/reads", staff).body["reads"] == 2);
    // Read without logging in (a public page): shown, and counted for nobody.
    CHECK(s.get("/api/v1/stations/notices/items/" + std::to_string(id)).body == one.body);
    CHECK(s.get("/api/v1/stations/notices/items/" + std::to_string(id) + "/reads", staff).body["reads"] == 2);
}

TEST_CASE("residents and staff of other stations cannot post, invalid forms name each field") {
    TestServer s(with_notices);
    std::string resident = s.login("zhang");
    std::string other = s.login("vol", {"staff:volunteer"});
    std::string staff = s.login("staff", {"staff:notices"});
    json notice = {{"title", "t"}, {"body", "b"}};
    CHECK(s.post("/api/v1/stations/notices/items", notice).status == 401);
    CHECK(s.post("/api/v1/stations/notices/items", notice, resident).status == 403);
    CHECK(s.post("/api/v1/stations/notices/items", notice, other).status == 403);
    auto bad = s.post("/api/v1/stations/notices/items", {{"title", std::string(61, 'x')}, {"surprise", 1}}, staff);
    CHECK(bad.status == 422);
    CHECK(bad.body["error"]["code"] == "form_invalid");
    json fields = bad.body["error"]["details"]["fields"];
    std::map<std::string, std::string> codes;
    for (const auto& f : fields) codes[f["field"]] = f["code"];
    CHECK(codes["title"] == "too_long");
    CHECK(codes["body"] == "required");
    CHECK(codes["surprise"] == "unknown_field");
    CHECK(s.get("/api/v1/stations/notices/items").body["items"].empty());
}

TEST_CASE("withdrawing is audited and hides the notice") {
    TestServer s(with_notices);
    std::string staff = s.login("staff", {"staff:notices"});
    std::string admin = s.login("admin", {"admin"});
    int64_t id = s.post("/api/v1/stations/notices/items", {{"title", "a"}, {"body", "b"}}, staff).body["id"];
    std::string path = "/api/v1/stations/notices/items/" + std::to_string(id);
    CHECK(s.del(path, staff).status == 200);
    CHECK(s.get(path).status == 404);
    CHECK(s.del(path, staff).body["error"]["code"] == "notice_not_found");
    auto audit = s.get("/api/v1/admin/audit?station=notices", admin);
    REQUIRE(audit.body["items"].size() == 2);
    CHECK(audit.body["items"][0]["action"] == "notice.withdraw");
    CHECK(audit.body["items"][1]["action"] == "notice.create");
    CHECK(audit.body["items"][0]["actor_user_id"] == s.user_id("staff"));
}

TEST_CASE("the station's routes appear in OpenAPI and its state in the station list") {
    TestServer s(with_notices);
    auto doc = s.get("/openapi.json");
    CHECK(doc.body["paths"]["/api/v1/stations/notices/items"]["post"]["x-permission"] == "staff");
    CHECK(doc.body["paths"]["/api/v1/stations/notices/items/{id}"]["get"]["tags"][0] == "notices");
    auto st = s.get("/api/v1/stations");
    REQUIRE(st.body["stations"].size() == 1);
    CHECK(st.body["stations"][0]["name"] == "社区公告");
    CHECK(st.body["stations"][0]["state"] == "active");
}

TEST_CASE("a stored answer is replayed for a day, then purged: a retry after that runs again") {
    TestServer s(with_notices);
    std::string staff = s.login("staff", {"staff:notices"});
    auto old = post_once(s, staff, "old");
    REQUIRE(old.status == 201);
    s.app().clock().advance(retention::kIdempotencyAnswerMs - 3600'000);
    REQUIRE(post_once(s, staff, "young").status == 201);
    s.app().db().wait_for_queued_writes();  // answers are stored just after they are sent
    s.app().clock().advance(2 * 3600'000);  // "old" is now a day and an hour old, "young" an hour
    s.app().scheduler().tick();
    CHECK(s.scalar("SELECT count(*) FROM core_idempotency") == 1);
    CHECK(post_once(s, staff, "young").header("Idempotent-Replayed") == "true");
    auto again = post_once(s, staff, "old");
    CHECK(again.status == 201);
    CHECK(again.header("Idempotent-Replayed") == "");
    CHECK(again.body["id"] != old.body["id"]);
}

TEST_CASE("an answer stored before this process started is replayed by it") {
    TestServer first(with_notices);
    std::string staff = first.login("staff", {"staff:notices"});
    auto a = post_once(first, staff, "before-start");
    REQUIRE(a.status == 201);
    first.app().db().wait_for_queued_writes();  // the answer is stored just after it is sent
    // A second server on the same database, as after a restart: it learns the stored keys as it starts.
    TestServer second([&](Config& c) {
        with_notices(c);
        c.data_dir = first.data_dir();
    });
    auto b = post_once(second, staff, "before-start");
    CHECK(b.status == 201);
    CHECK(b.header("Idempotent-Replayed") == "true");
    CHECK(b.body["id"] == a.body["id"]);
    CHECK(second.scalar("SELECT count(*) FROM notices_items WHERE title = 'once'") == 1);
}

TEST_CASE("Idempotency-Key replays the first answer and refuses a different body") {
    TestServer s(with_notices);
    std::string staff = s.login("staff", {"staff:notices"});
    auto a = post_once(s, staff, "k-1");
    auto b = post_once(s, staff, "k-1");
    CHECK(a.status == 201);
    CHECK(b.status == 201);
    CHECK(b.body["id"] == a.body["id"]);
    CHECK(b.header("Idempotent-Replayed") == "true");
    CHECK(s.get("/api/v1/stations/notices/items").body["items"].size() == 1);
    auto c = s.post("/api/v1/stations/notices/items", {{"title", "other"}, {"body", "x"}}, staff, {{"Idempotency-Key", "k-1"}});
    CHECK(c.status == 422);
    CHECK(c.body["error"]["code"] == "idempotency_key_reused");
}

TEST_CASE("a station's route takes only a JSON object as its body, and changes nothing otherwise") {
    TestServer s(with_notices);
    std::string staff = s.login("staff", {"staff:notices"});
    std::map<std::string, std::string> auth{{"Authorization", "Bearer " + staff}};
    const std::string path = "/api/v1/stations/notices/items";
    check_error(s.raw("POST", path, "{\"title\":", "application/json", auth), 400, "invalid_json");
    check_error(s.raw("POST", path, "{\"title\":\"t\",\"body\":\"b\"} tail", "application/json", auth), 400, "invalid_json");
    check_error(s.raw("POST", path, "[{\"title\":\"t\",\"body\":\"b\"}]", "application/json", auth), 400, "invalid_body");
    check_error(s.raw("POST", path, " \"text\"", "application/json", auth), 400, "invalid_body");
    check_error(s.raw("POST", path, "title=t", "text/plain", auth), 415, "unsupported_media_type");
    CHECK(s.scalar("SELECT count(*) FROM notices_items") == 0);
    CHECK(s.raw("POST", path, "\n {\"title\":\"t\",\"body\":\"b\"}", "application/json", auth).status == 201);
    CHECK(s.scalar("SELECT count(*) FROM notices_items") == 1);
}

TEST_CASE("header names are matched whatever their case, by the core and for a station") {
    TestServer s(with_notices);
    std::string staff = s.login("staff", {"staff:notices"});
    std::map<std::string, std::string> lower{{"authorization", "Bearer " + staff}, {"idempotency-key", "case-1"}};
    auto first = s.raw("POST", "/api/v1/stations/notices/items", "{\"title\":\"t\",\"body\":\"b\"}", "application/json", lower);
    REQUIRE(first.status == 201);
    auto again = post_once(s, staff, "case-1");  // the same key, sent as Idempotency-Key
    CHECK(again.status == 422);                  // another body under that key: it was seen
    CHECK(again.body["error"]["code"] == "idempotency_key_reused");
    CHECK(s.scalar("SELECT count(*) FROM notices_items") == 1);
}
