// SPDX-License-Identifier: MIT
// 志愿者工作站 end to end, part 5: points and the 爱心超市. Approved hours earn points by the
// configured rule (10 per full hour here) and corrections earn the difference; redemptions spend
// them and reserve stock in the capacity ledger, so neither stock nor a balance is ever overspent
// however many requests race; staff hand items over; a cancelled order gives both back.
#include "../support/race.hpp"
#include "it-volunteer-fixture.hpp"

using namespace volunteer_test;
using yz::test::describe;
using yz::test::outcome;

namespace {
// Staff log `minutes` of walk-in service for `name`, approved at once; returns the record id.
int64_t earn(Station& st, const std::string& name, int64_t minutes) {
    Response r = st.s.post(st.path("/hours/walk-in"), {{"user_id", st.uid(name)}, {"project_id", 1}, {"date", "2026-03-01"}, {"minutes", minutes}},
                           st.staff);
    REQUIRE_MESSAGE(r.status == 201, r.text);
    return r.body["id"].get<int64_t>();
}
int64_t balance(Station& st, const std::string& token) { return st.s.get(st.path("/my/points"), token).body["balance"].get<int64_t>(); }
int64_t item(Station& st, const std::string& name, int64_t points, int64_t stock) {
    Response r = st.s.post(st.path("/shop/items"), {{"name", name}, {"points", points}, {"stock", stock}}, st.staff);
    REQUIRE_MESSAGE(r.status == 201, r.text);
    return r.body["id"].get<int64_t>();
}
Response redeem(Station& st, const std::string& token, int64_t item_id) {
    return st.s.post(st.path("/shop/items", item_id, "/orders"), json::object(), token);
}
}  // namespace

TEST_CASE("approved hours earn points by the rule and each correction earns the difference") {
    Station st;
    st.project();
    int64_t record = earn(st, "zhang", 150);  // 2 full hours: 20 points
    CHECK(balance(st, st.zhang) == 20);
    REQUIRE(st.act(st.staff, "/hours", record, "adjust", {{"minutes", 90}, {"reason", "核减"}}).status == 200);
    CHECK(balance(st, st.zhang) == 10);
    REQUIRE(st.act(st.staff, "/hours", record, "adjust", {{"minutes", 240}, {"reason", "补录"}}).status == 200);
    CHECK(balance(st, st.zhang) == 40);
    REQUIRE(st.act(st.staff, "/hours", record, "decline", {{"reason", "重复登记"}}).status == 200);
    CHECK(balance(st, st.zhang) == 0);

    Response ledger = st.s.get(st.path("/my/points"), st.zhang);
    std::vector<int64_t> deltas;
    for (const auto& e : ledger.body["entries"]) deltas.push_back(e["delta"].get<int64_t>());
    CHECK(deltas == std::vector<int64_t>{-40, 30, -10, 20});  // newest first
    for (const auto& e : ledger.body["entries"]) CHECK(e["hours_record_id"] == record);
    CHECK(balance(st, st.li) == 0);
}

TEST_CASE("a redemption spends points and reserves stock and a cancelled one gives both back") {
    Station st;
    st.project();
    earn(st, "zhang", 180);  // 30 points
    int64_t rice = item(st, "大米 5kg", 12, 2);

    Response poor = redeem(st, st.li, rice);
    CHECK(poor.status == 422);
    CHECK(poor.body["error"]["code"] == "insufficient_points");
    CHECK(poor.body["error"]["details"] == json{{"balance", 0}, {"points", 12}});

    Response first = redeem(st, st.zhang, rice);
    REQUIRE_MESSAGE(first.status == 201, first.text);
    CHECK(first.body["state"] == "reserved");
    Response second = redeem(st, st.zhang, rice);
    REQUIRE(second.status == 201);
    CHECK(balance(st, st.zhang) == 6);
    CHECK(st.s.get(st.path("/shop/items")).body["items"][0]["remaining"] == 0);
    earn(st, "li", 120);
    Response none_left = redeem(st, st.li, rice);
    CHECK(none_left.status == 409);
    CHECK(none_left.body["error"]["code"] == "out_of_stock");
    CHECK(balance(st, st.li) == 20);

    int64_t a = first.body["id"], b = second.body["id"];
    CHECK(st.act(st.li, "/orders", a, "hand-over").status == 403);
    CHECK(st.act(st.li, "/orders", a, "cancel").status == 404);
    Response handed = st.act(st.staff, "/orders", a, "hand-over");
    REQUIRE(handed.status == 200);
    CHECK(handed.body["state"] == "handed_over");
    CHECK(handed.body["volunteer"]["name"] == "张伟");
    CHECK(st.act(st.zhang, "/orders", a, "cancel").body["error"]["code"] == "invalid_transition");

    Response cancelled = st.act(st.zhang, "/orders", b, "cancel");
    REQUIRE(cancelled.status == 200);
    CHECK(cancelled.body["state"] == "cancelled");
    CHECK(balance(st, st.zhang) == 18);
    CHECK(redeem(st, st.li, rice).status == 201);
    CHECK(st.s.get(st.path("/orders?state=reserved"), st.staff).body["items"].size() == 1);

    Response restocked = st.s.post(st.path("/shop/items", rice, "/restock"), {{"units", 5}}, st.staff);
    REQUIRE(restocked.status == 200);
    CHECK(restocked.body["stocked"] == 7);
    CHECK(restocked.body["remaining"] == 5);
    CHECK(st.ledger_taken("item:" + std::to_string(rice)) == 2);
}

TEST_CASE("racing redemptions never hand out more than the stock nor spend more than the balance") {
    Station st;
    st.project();
    std::vector<std::string> tokens;
    for (int i = 0; i < 12; ++i) {
        std::string name = "r" + std::to_string(i);
        tokens.push_back(st.volunteer(name, {}, "志愿者" + std::to_string(i), "1990-01-01"));
        earn(st, name, 120);  // 20 points each
    }
    for (int round = 0; round < 3; ++round) {
        CAPTURE(round);
        int64_t soap = item(st, "洗衣皂 " + std::to_string(round), 5, 3);
        auto outcomes = yz::test::race(12, [&](int i) { return outcome(redeem(st, tokens[static_cast<size_t>(i)], soap), 201, "ok"); });
        INFO(describe(outcomes));
        CHECK(outcomes["ok"] == 3);
        CHECK(outcomes["409 out_of_stock"] == 9);
        CHECK(st.ledger_taken("item:" + std::to_string(soap)) == 3);
        CHECK(st.count("SELECT count(*) FROM volunteer_orders WHERE item_id = " + std::to_string(soap)) == 3);
    }
    // One volunteer with 20 points tapping "redeem" eight times at once for a 15-point item: one order.
    int64_t oil = item(st, "食用油", 15, 10);
    earn(st, "zhang", 120);
    auto outcomes = yz::test::race(8, [&](int) { return outcome(redeem(st, st.zhang, oil), 201, "ok"); });
    INFO(describe(outcomes));
    CHECK(outcomes["ok"] == 1);
    CHECK(outcomes["422 insufficient_points"] == 7);
    CHECK(balance(st, st.zhang) == 5);
}
