// SPDX-License-Identifier: MIT
// 便民服务站: the household quota. Staff register households (户); a service's household quota
// counts the bookings of all members together, on top of the per-resident quota; a resident in no
// household is a household of one.
#include "it-convenience-fixture.hpp"

using namespace convenience_test;

TEST_CASE("a household shares its quota, on top of each member's own") {
    Station st;
    int64_t id = st.define({{"rules", {{"quota", {{"count", 2}, {"per", "week"}}}, {"household_quota", {{"count", 3}, {"per", "week"}}}}}});
    int64_t zhang = st.s.user_id("zhang"), li = st.s.user_id("li");
    std::string wang = st.s.login("wang2");
    Response made = st.s.post(st.path("/households"), {{"name", "幸福里 3-2-501"}, {"members", {zhang, li}}}, st.staff);
    REQUIRE_MESSAGE(made.status == 201, made.text);
    int64_t household = made.body["id"];
    CHECK(made.body["members"].size() == 2);
    CHECK(st.s.get(st.path("/services/" + std::to_string(id))).body["rules"]["household_quota"] == json{{"count", 3}, {"per", "week"}});

    st.booked(st.zhang, id, "2026-02-11 09:00", "a");
    st.booked(st.zhang, id, "2026-02-12 09:00", "b");
    Response own = st.book(st.zhang, id, "2026-02-13 09:00", "c");
    CHECK(error_code(own) == "quota_exceeded");
    CHECK(own.body["error"]["details"]["scope"] == "resident");
    st.booked(st.li, id, "2026-02-11 09:00", "d");
    Response shared = st.book(st.li, id, "2026-02-12 09:00", "e");  // li's second, the household's fourth
    CHECK(shared.status == 422);
    CHECK(error_code(shared) == "quota_exceeded");
    CHECK(shared.body["error"]["details"]["scope"] == "household");
    CHECK(shared.body["error"]["details"]["count"] == 3);
    CHECK(st.book(st.li, id, "2026-02-24 09:00", "f").status == 201);  // next week

    // Someone in no household is a household of one: their own two, then the household limit
    // of three is never the one that bites.
    CHECK(st.book(wang, id, "2026-02-11 09:00", "g").status == 201);
    CHECK(st.book(wang, id, "2026-02-12 09:00", "h").status == 201);
    CHECK(st.book(wang, id, "2026-02-13 09:00", "i").body["error"]["details"]["scope"] == "resident");

    // Moving a booking within the week does not count it twice against the household.
    int64_t lis = st.s.get(st.path("/my/bookings"), st.li).body["items"].back()["id"];
    CHECK(st.reschedule(st.li, lis, "2026-02-13 10:00").status == 200);

    // A resident belongs to one household; members are replaced as a whole.
    Response twice = st.s.post(st.path("/households"), {{"name", "另一户"}, {"members", {li}}}, st.staff);
    CHECK(twice.status == 409);
    CHECK(error_code(twice) == "already_in_household");
    CHECK(error_code(st.s.post(st.path("/households"), {{"name", "空户"}, {"members", {987654}}}, st.staff)) == "resident_not_found");
    CHECK(error_code(st.s.post(st.path("/households"), {{"name", "x"}, {"members", json::array()}}, st.staff)) == "invalid_field");
    Response moved_out = st.s.put(st.path("/households/" + std::to_string(household)), {{"name", "幸福里 3-2-501"}, {"members", {zhang}}},
                                  st.staff);
    REQUIRE(moved_out.status == 200);
    CHECK(moved_out.body["members"].size() == 1);
    CHECK(st.book(st.li, id, "2026-02-12 09:00", "j").status == 201);  // li now counts alone
    CHECK(st.s.get(st.path("/households/" + std::to_string(household)), st.staff).body["members"][0]["user_id"] == zhang);
    CHECK(st.count("SELECT count(*) FROM core_audit WHERE station = 'convenience' AND action LIKE 'household.%'") == 2);
}
