// SPDX-License-Identifier: MIT
// 便民服务站: ratings after a completed booking, with comments screened through the host's
// screen_text against the WeChat simulator (its word lists: "sim-risky" → risky, "sim-review" →
// review, anything else → pass). risky is refused and not stored, review is held until staff
// release it, pass is public at once; one rating per booking; staff export ratings as CSV.
#include "it-convenience-fixture.hpp"
#include "it-wechat-fixture.hpp"

using convenience_test::beijing;
using convenience_test::iso;
using convenience_test::service_def;
using nlohmann::json;
using yz::test::Response;
using yz::test::WechatFixture;

namespace {
constexpr const char* kBase = "/api/v1/stations/convenience";

// The WeChat fixture with the station loaded, the clock at Tuesday 2026-02-10 10:00 Beijing time,
// residents who logged in through WeChat (so WeChat can screen their text) and a staff member.
struct RatedStation {
    WechatFixture f{[](yz::Config& c) {
        c.stations.push_back(yz::StationConfig{"convenience", "libstation_convenience.so", true, json::object()});
        c.rate_limit_per_minute = 0;
    }};
    bool clock_fixed = (f.app().clock().set_fixed(beijing("2026-02-10 10:00")), true);
    std::string staff = f.s().login("wang", {"staff:convenience"});
    std::string alice = f.token_for("alice");
    std::string bob = f.token_for("bob");
    int64_t service = define();

    std::string path(const std::string& rest) const { return kBase + rest; }
    int64_t define() {
        Response r = f.s().post(path("/services"), service_def(), staff);
        REQUIRE_MESSAGE(r.status == 201, r.text);
        return r.body["id"];
    }
    // A booking of `token` at `local` today, checked in and completed.
    int64_t completed(const std::string& token, const std::string& local) {
        f.app().clock().set_fixed(beijing("2026-02-10 10:00"));
        Response b = f.s().post(path("/services/" + std::to_string(service) + "/bookings"), {{"start", iso(local)}}, token,
                                {{"Idempotency-Key", local}});
        REQUIRE_MESSAGE(b.status == 201, b.text);
        f.app().clock().set_fixed(beijing(local) + 5 * 60'000);
        REQUIRE(f.s().post(path("/checkin"), {{"code", b.body["code"]}}, staff).status == 200);
        REQUIRE(f.s().post(path("/bookings/" + std::to_string(b.body["id"].get<int64_t>()) + "/complete"), json::object(), staff)
                    .status == 200);
        return b.body["id"];
    }
    Response rate(const std::string& token, int64_t booking, const json& body) {
        return f.s().post(path("/bookings/" + std::to_string(booking) + "/rating"), body, token);
    }
};

}  // namespace

TEST_CASE("a completed booking is rated once, and its comment is screened before anyone sees it") {
    RatedStation st;
    int64_t a = st.completed(st.alice, "2026-02-10 13:30");
    int64_t b = st.completed(st.bob, "2026-02-10 14:00");
    int64_t c = st.completed(st.alice, "2026-02-10 14:30");

    Response risky = st.rate(st.alice, a, {{"stars", 1}, {"comment", "窗口人员 sim-risky"}});
    CHECK(risky.status == 422);
    CHECK(error_code(risky) == "text_rejected");
    CHECK(st.f.count("SELECT count(*) FROM convenience_ratings") == 0);

    Response shown = st.rate(st.alice, a, {{"stars", 5}, {"comment", "工作人员很耐心，十分钟就办好了"}});
    REQUIRE_MESSAGE(shown.status == 201, shown.text);
    CHECK(shown.body["state"] == "published");
    Response twice = st.rate(st.alice, a, {{"stars", 4}});
    CHECK(twice.status == 409);
    CHECK(error_code(twice) == "already_rated");

    Response held = st.rate(st.bob, b, {{"stars", 2}, {"comment", "排队太久 sim-review"}});
    REQUIRE_MESSAGE(held.status == 201, held.text);
    CHECK(held.body["state"] == "in_review");
    Response stars_only = st.rate(st.alice, c, {{"stars", 3}});
    REQUIRE(stars_only.status == 201);
    CHECK(stars_only.body["state"] == "published");

    json pub = st.f.s().get(st.path("/services/" + std::to_string(st.service) + "/ratings")).body;
    CHECK(pub["count"] == 2);
    CHECK(pub["average"] == 4.0);
    REQUIRE(pub["items"].size() == 2);
    CHECK(pub["items"][1]["comment"] == "工作人员很耐心，十分钟就办好了");
    CHECK_FALSE(pub["items"][0].contains("resident"));  // no names in public

    json review = st.f.s().get(st.path("/ratings"), st.staff).body;
    REQUIRE(review["items"].size() == 1);
    CHECK(review["items"][0]["comment"] == "排队太久 sim-review");
    CHECK(review["items"][0]["verdict"] == "review");
    int64_t held_id = review["items"][0]["id"];
    CHECK(st.f.s().post(st.path("/ratings/" + std::to_string(held_id) + "/release"), json::object(), st.bob).status == 403);
    REQUIRE(st.f.s().post(st.path("/ratings/" + std::to_string(held_id) + "/release"), json::object(), st.staff).status == 200);
    CHECK(st.f.s().post(st.path("/ratings/" + std::to_string(held_id) + "/release"), json::object(), st.staff).status == 409);
    pub = st.f.s().get(st.path("/services/" + std::to_string(st.service) + "/ratings")).body;
    CHECK(pub["count"] == 3);
    REQUIRE(pub["items"].size() == 3);
    CHECK(pub["items"][1]["comment"] == "排队太久 sim-review");  // newest first: c, b, a
    CHECK(st.f.s().get(st.path("/ratings"), st.staff).body["items"].empty());
}

TEST_CASE("only a completed booking can be rated, from 1 to 5 stars") {
    RatedStation st;
    int64_t done = st.completed(st.alice, "2026-02-10 13:30");
    st.f.app().clock().set_fixed(beijing("2026-02-10 10:00"));
    Response open = st.f.s().post(st.path("/services/" + std::to_string(st.service) + "/bookings"), {{"start", iso("2026-02-11 09:00")}},
                                  st.alice, {{"Idempotency-Key", "open"}});
    REQUIRE(open.status == 201);
    Response early = st.rate(st.alice, open.body["id"], {{"stars", 5}});
    CHECK(early.status == 409);
    CHECK(error_code(early) == "not_completed");
    for (const json& bad : {json{{"stars", 6}}, json{{"stars", 0}}, json{{"stars", 4.5}}, json::object()}) {
        Response r = st.rate(st.alice, done, bad);
        CHECK_MESSAGE(error_code(r) == "form_invalid", bad.dump());
    }
    CHECK(st.rate(st.bob, done, {{"stars", 5}}).status == 404);
    CHECK(st.rate(st.alice, done, {{"stars", 5}}).status == 201);
}

TEST_CASE("ratings export as CSV with comments quoted and formulas defused") {
    RatedStation st;
    int64_t a = st.completed(st.alice, "2026-02-10 13:30");
    int64_t b = st.completed(st.bob, "2026-02-10 14:00");
    REQUIRE(st.rate(st.alice, a, {{"stars", 5}, {"comment", "很好,\n下次还来"}}).status == 201);
    REQUIRE(st.rate(st.bob, b, {{"stars", 1}, {"comment", "=1+1"}}).status == 201);
    Response r = st.f.s().get(st.path("/exports/ratings?from=2026-02-01&to=2026-02-28"), st.staff);
    REQUIRE(r.status == 200);
    CHECK(r.header("Content-Type").find("text/csv") == 0);
    CHECK(r.text.substr(0, 3) == "\xEF\xBB\xBF");
    CHECK(r.text.find("评价编号,预约编号,服务,时段,居民编号,居民,星级,评语,评语状态,评价时间\r\n") == 3);
    CHECK(r.text.find(",5,\"很好,\n下次还来\",已公开,") != std::string::npos);
    CHECK(r.text.find(",1,'=1+1,已公开,") != std::string::npos);
    CHECK(r.text.find("2026-02-10 13:30-14:00") != std::string::npos);
    CHECK(st.f.s().get(st.path("/exports/ratings"), st.alice).status == 403);
}
