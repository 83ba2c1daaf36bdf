// SPDX-License-Identifier: MIT
// 便民服务站: 代约 — booking for an elderly resident. A family member registers the relation and the
// elder confirms it; a grid member may book for any resident; the service's rules say whether
// proxy booking is allowed at all. The booking is the elder's (their quota), records who booked it
// and as what, and both hear about it.
#include "it-convenience-fixture.hpp"

using namespace convenience_test;

namespace {
Response book_for(Station& st, const std::string& token, int64_t service, const std::string& local, const std::string& key,
                  int64_t resident) {
    return st.s.post(st.path("/services/" + std::to_string(service) + "/bookings"), {{"start", iso(local)}, {"for_user_id", resident}},
                     token, {{"Idempotency-Key", key}});
}

Response ask_link(Station& st, const std::string& token, const json& body) { return st.s.post(st.path("/family"), body, token); }
Response link_action(Station& st, const std::string& token, int64_t link, const std::string& action) {
    return st.s.post(st.path("/family/" + std::to_string(link) + "/" + action), json::object(), token);
}
}  // namespace

TEST_CASE("a family member the elder confirmed books for the elder, and both are told") {
    Station st;
    int64_t id = st.define({{"rules", {{"proxy_booking_allowed", true}, {"quota", {{"count", 1}, {"per", "week"}}}}}});
    int64_t zhang = st.s.user_id("zhang"), li = st.s.user_id("li");

    Response asked = ask_link(st, st.li, {{"elder_user_id", zhang}, {"relation", "子女"}});
    REQUIRE_MESSAGE(asked.status == 201, asked.text);
    int64_t link = asked.body["id"];
    CHECK(asked.body["state"] == "pending");
    CHECK(asked.body["elder"]["display_name"] == "zhang");
    REQUIRE(st.notices("convenience.family_request").size() == 1);
    CHECK(st.notices("convenience.family_request")[0]["user_id"] == zhang);
    CHECK(error_code(ask_link(st, st.li, {{"elder_user_id", zhang}, {"relation", "子女"}})) == "already_linked");
    CHECK(error_code(ask_link(st, st.li, {{"elder_user_id", li}, {"relation", "配偶"}})) == "invalid_field");
    CHECK(error_code(ask_link(st, st.li, {{"elder_user_id", 987654}, {"relation", "配偶"}})) == "resident_not_found");
    CHECK(error_code(ask_link(st, st.li, {{"elder_user_id", zhang}, {"relation", "朋友"}})) == "form_invalid");

    // Until the elder confirms, the link is worth nothing; only the elder can confirm it.
    CHECK(error_code(book_for(st, st.li, id, "2026-02-11 09:00", "early", zhang)) == "proxy_not_permitted");
    CHECK(link_action(st, st.li, link, "confirm").status == 404);
    CHECK(link_action(st, st.s.login("stranger"), link, "confirm").status == 404);
    json mine = st.s.get(st.path("/family"), st.zhang).body;
    REQUIRE(mine["as_elder"].size() == 1);
    CHECK(mine["as_elder"][0]["member"]["display_name"] == "li");
    Response confirmed = link_action(st, st.zhang, link, "confirm");
    REQUIRE(confirmed.status == 200);
    CHECK(confirmed.body["state"] == "confirmed");
    REQUIRE(st.notices("convenience.family_confirmed").size() == 1);
    CHECK(st.notices("convenience.family_confirmed")[0]["user_id"] == li);

    Response booked = book_for(st, st.li, id, "2026-02-11 09:00", "k1", zhang);
    REQUIRE_MESSAGE(booked.status == 201, booked.text);
    int64_t booking = booked.body["id"];
    CHECK(booked.body["resident"]["user_id"] == zhang);
    CHECK(booked.body["booked_by"]["user_id"] == li);
    CHECK(booked.body["booked_by"]["relation"] == "子女");
    CHECK(st.s.get(st.path("/my/bookings"), st.zhang).body["items"][0]["id"] == booking);
    CHECK(st.s.get(st.path("/my/bookings"), st.li).body["items"].empty());
    CHECK(st.s.get(st.path("/my/proxy-bookings"), st.li).body["items"][0]["id"] == booking);
    CHECK(st.booking(st.li, booking).status == 200);  // the proxy sees what they booked

    auto to_elder = st.notices("convenience.booked");
    REQUIRE(to_elder.size() == 1);
    CHECK(to_elder[0]["user_id"] == zhang);
    CHECK(to_elder[0]["booked_by"] == "li");
    CHECK(to_elder[0]["relation"] == "子女");
    CHECK(to_elder[0]["time"] == "2026-02-11 09:00-09:30");
    auto to_proxy = st.notices("convenience.proxy_booked");
    REQUIRE(to_proxy.size() == 1);
    CHECK(to_proxy[0]["user_id"] == li);
    CHECK(to_proxy[0]["resident"] == "zhang");
    CHECK(st.count("SELECT count(*) FROM core_audit WHERE station = 'convenience' AND action = 'booking.create_for' "
                   "AND json_extract(detail, '$.relation') = '子女'") == 1);

    // The booking counts against the elder's quota, not the proxy's.
    CHECK(error_code(st.book(st.zhang, id, "2026-02-12 09:00", "own")) == "quota_exceeded");
    CHECK(st.book(st.li, id, "2026-02-12 09:00", "li-own").status == 201);

    // The proxy may cancel what they booked; the elder is told who did.
    Response cancelled = st.act(st.li, booking, "cancel");
    REQUIRE(cancelled.status == 200);
    CHECK(cancelled.body["state"] == "cancelled");
    auto told = st.notices("convenience.cancelled");
    REQUIRE(told.size() == 1);
    CHECK(told[0]["user_id"] == zhang);
    CHECK(told[0]["cancelled_by"] == "li");
    CHECK(st.count("SELECT count(*) FROM core_audit WHERE station = 'convenience' AND action = 'convenience_booking.cancel_for'") == 1);

    // Once the elder ends the link, the family member may no longer book for them.
    REQUIRE(link_action(st, st.zhang, link, "revoke").status == 200);
    CHECK(error_code(book_for(st, st.li, id, "2026-02-13 09:00", "k2", zhang)) == "proxy_not_permitted");
}

TEST_CASE("a grid member books for any resident where the service allows proxy booking") {
    Station st;
    int64_t in_person = st.define({{"name", "社保认证"}});
    int64_t allowed = st.define({{"name", "老年证办理"}, {"rules", {{"proxy_booking_allowed", true}}}});
    std::string grid = st.s.login("grid-chen", {"grid:3"});
    int64_t zhang = st.s.user_id("zhang");

    Response refused = book_for(st, grid, in_person, "2026-02-11 09:00", "a", zhang);
    CHECK(refused.status == 422);
    CHECK(error_code(refused) == "proxy_not_allowed");
    CHECK(st.s.get(st.path("/services/" + std::to_string(in_person))).body["rules"]["proxy_booking_allowed"] == false);

    Response booked = book_for(st, grid, allowed, "2026-02-11 09:00", "b", zhang);
    REQUIRE_MESSAGE(booked.status == 201, booked.text);
    CHECK(booked.body["booked_by"]["relation"] == "网格员");
    CHECK(booked.body["booked_by"]["display_name"] == "grid-chen");
    CHECK(st.notices("convenience.proxy_booked")[0]["user_id"] == st.s.user_id("grid-chen"));

    // The same Idempotency-Key used by the resident themselves is a different request.
    Response own = st.book(st.zhang, allowed, "2026-02-11 10:00", "b");
    CHECK(own.status == 201);
    CHECK(own.body["id"] != booked.body["id"]);
    // A retry of the grid member's request replays the first answer.
    CHECK(book_for(st, grid, allowed, "2026-02-11 09:00", "b", zhang).body["id"] == booked.body["id"]);

    CHECK(error_code(book_for(st, st.li, allowed, "2026-02-11 09:30", "c", zhang)) == "proxy_not_permitted");
    CHECK(error_code(book_for(st, grid, allowed, "2026-02-11 09:30", "d", 987654)) == "resident_not_found");
    CHECK(st.count("SELECT count(*) FROM convenience_bookings") == 2);
}
