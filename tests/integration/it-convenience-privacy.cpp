// SPDX-License-Identifier: MIT
// 便民服务站: a resident's data rights. GET /me/export carries the station's part (bookings with
// their form answers, waitlist entries); DELETE /me erases it in the same transaction as the
// core's part: a booking still ahead is cancelled and its place goes to whoever waits, form
// answers are wiped, and the past stays only as counts.
#include "it-convenience-fixture.hpp"

using namespace convenience_test;

TEST_CASE("a resident's bookings are in their export, and erasing the account frees their places for the waitlist") {
    Station st;
    json form = json::parse(R"([{"name": "phone", "label": "联系电话", "type": "phone", "required": true}])");
    int64_t id = st.define({{"capacity", 1}, {"form", form}});
    int64_t ahead = st.booked(st.zhang, id, "2026-02-11 09:00", "z", {{"phone", "13800138000"}});
    Response waits = st.s.post(st.path("/services/" + std::to_string(id) + "/waitlist"),
                               {{"start", iso("2026-02-11 09:00")}, {"form", {{"phone", "13900139000"}}}}, st.li, {{"Idempotency-Key", "l"}});
    REQUIRE_MESSAGE(waits.status == 201, waits.text);

    Response exported = st.s.get("/api/v1/me/export", st.zhang);
    REQUIRE_MESSAGE(exported.status == 200, exported.text);
    json mine = exported.body["stations"]["convenience"];
    REQUIRE(mine["bookings"].size() == 1);
    CHECK(mine["bookings"][0]["id"] == ahead);
    CHECK(mine["bookings"][0]["form"]["phone"] == "13800138000");
    CHECK(mine["bookings"][0]["slot_start"] == iso("2026-02-11 09:00"));
    CHECK(mine["waitlist"].empty());
    // li's export holds li's waiting entry and none of zhang's booking.
    json lis = st.s.get("/api/v1/me/export", st.li).body["stations"]["convenience"];
    CHECK(lis["bookings"].empty());
    CHECK(lis["waitlist"].size() == 1);

    Response erased = st.s.del("/api/v1/me", st.zhang);
    REQUIRE_MESSAGE(erased.status == 200, erased.text);
    CHECK(st.count("SELECT count(*) FROM convenience_bookings WHERE id = ?1 AND state = 'cancelled' AND form = '{}'", ahead) == 1);
    CHECK(st.count("SELECT count(*) FROM core_audit WHERE action = 'booking.cancel_erased'") == 1);
    // The place went on to li, held for li to confirm; the reminders for zhang's booking are gone.
    auto offers = st.notices("convenience.waitlist_offer");
    REQUIRE(offers.size() == 1);
    CHECK(offers[0]["user_id"] == st.s.user_id("li"));
    CHECK(st.ledger_taken(id, "2026-02-11 09:00") == 1);
    // zhang's session is gone with the account.
    CHECK(st.s.get("/api/v1/me", st.zhang).status == 401);
    // And no reminder of the cancelled booking reaches anyone (li never confirmed the offer).
    st.set_clock("2026-02-11 08:00");
    CHECK(st.run_jobs() >= 2);  // the slot's two reminders, and li's lapsed offer
    CHECK(st.notices("convenience.reminder").empty());
}
