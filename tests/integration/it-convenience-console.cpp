// SPDX-License-Identifier: MIT
// 便民服务站: the routes the staff console adds — pending bookings across services (the approvals
// queue) and the month by month figures for the dashboard. The expected figures are worked out
// here from the bookings the test makes and from its own reading of the opening hours and the
// holiday calendar, not copied from a run.
#include <map>
#include <optional>
#include <set>

#include "it-convenience-fixture.hpp"

using namespace convenience_test;

namespace {
std::string text_of(int64_t n) { return std::to_string(n); }

std::vector<int64_t> ids_of(const json& items) {
    std::vector<int64_t> ids;
    for (const auto& b : items) ids.push_back(b["id"].get<int64_t>());
    return ids;
}

// A booking the stats test made, as it ended.
struct Made {
    std::string slot;  // Beijing "YYYY-MM-DD HH:MM"
    std::string state;
    std::optional<int> stars;
};

// A service as this test reads its definition: weekday (1 = Monday) → slots that day.
struct Offer {
    std::map<int, int> slots_by_weekday;
    int capacity;
    yz::Date from;   // the day it was defined
    yz::Date until;  // the day it was retired (not counted), or far ahead
};

// The 2026 calendar of the fixture: 15–23 February closed; 14 and 28 February worked with
// Monday's hours (the default makeup_workday_as).
int weekday_of_hours(yz::Date d) {
    static const yz::Date holiday_from = *yz::Date::parse("2026-02-15"), holiday_to = *yz::Date::parse("2026-02-23");
    if (d >= holiday_from && d <= holiday_to) return 0;
    if (d == *yz::Date::parse("2026-02-14") || d == *yz::Date::parse("2026-02-28")) return 1;
    return d.weekday();
}

int64_t places_in_month(const std::vector<Offer>& offers, const std::string& month) {
    int64_t places = 0;
    yz::Date first = *yz::Date::parse(month + "-01");
    for (yz::Date d = first; d.str().substr(0, 7) == month; d = d.plus_days(1))
        for (const auto& o : offers) {
            if (d < o.from || !(d < o.until)) continue;
            auto it = o.slots_by_weekday.find(weekday_of_hours(d));
            if (it != o.slots_by_weekday.end()) places += static_cast<int64_t>(it->second) * o.capacity;
        }
    return places;
}
}  // namespace

TEST_CASE("staff list pending bookings across services, and only this station's staff may") {
    Station st;
    int64_t social = st.define({{"rules", {{"approval_required", true}}}});
    int64_t legal = st.define({{"name", "法律咨询"}, {"rules", {{"approval_required", true}}}});
    int64_t haircut = st.define({{"name", "理发"}});
    int64_t later = st.booked(st.zhang, legal, "2026-02-12 09:00", "a");
    int64_t first = st.booked(st.li, social, "2026-02-11 09:00", "b");
    int64_t confirmed = st.booked(st.zhang, haircut, "2026-02-11 10:00", "c");
    int64_t next_month = st.booked(st.li, legal, "2026-02-24 09:00", "d");

    Response r = st.s.get(st.path("/bookings?state=pending"), st.staff);
    REQUIRE_MESSAGE(r.status == 200, r.text);
    CHECK(ids_of(r.body["items"]) == std::vector<int64_t>{first, later, next_month});  // by slot, across services
    CHECK(r.body["truncated"] == false);
    const json& b = r.body["items"][0];
    CHECK(b["state"] == "pending");
    CHECK(b["service"]["name"] == "社保认证");
    CHECK(b["resident"]["user_id"] == st.s.user_id("li"));
    CHECK(b["time"] == "2026-02-11 09:00-09:30");

    // A range and a service narrow it; every state is listed without ?state.
    CHECK(ids_of(st.s.get(st.path("/bookings?state=pending&from=2026-02-12&to=2026-02-20"), st.staff).body["items"]) ==
          std::vector<int64_t>{later});
    CHECK(ids_of(st.s.get(st.path("/bookings?state=pending&service_id=" + text_of(legal)), st.staff).body["items"]) ==
          std::vector<int64_t>{later, next_month});
    CHECK(ids_of(st.s.get(st.path("/bookings?from=2026-02-11&to=2026-02-11"), st.staff).body["items"]) ==
          std::vector<int64_t>{first, confirmed});

    // Approved and rejected bookings leave the queue.
    REQUIRE(st.act(st.staff, first, "approve").status == 200);
    REQUIRE(st.act(st.staff, later, "reject", {{"reason", "材料不全"}}).status == 200);
    CHECK(ids_of(st.s.get(st.path("/bookings?state=pending"), st.staff).body["items"]) == std::vector<int64_t>{next_month});

    Response bad_state = st.s.get(st.path("/bookings?state=done"), st.staff);
    CHECK(bad_state.status == 400);
    CHECK(error_code(bad_state) == "invalid_field");
    CHECK(bad_state.body["error"]["details"]["field"] == "state");
    CHECK(st.s.get(st.path("/bookings?from=2026-03-01&to=2026-02-01"), st.staff).status == 400);

    std::string other_staff = st.s.login("zhao", {"staff:volunteer"});
    for (const std::string& token : {other_staff, st.li}) {
        Response refused = st.s.get(st.path("/bookings?state=pending"), token);
        CHECK(refused.status == 403);
        CHECK(error_code(refused) == "forbidden");
    }
    // A resident still reads their own booking by id: /bookings and /bookings/{id} are two routes.
    CHECK(st.booking(st.li, next_month).status == 200);
}

TEST_CASE("monthly figures: bookings, capacity from the opening hours, no-shows and ratings per Beijing month") {
    Station st;
    // Mondays and Wednesdays 09:00-10:00 in 30-minute slots of three places: 6 places a day.
    st.set_clock("2026-01-05 08:00");
    int64_t desk = st.define({{"slot_minutes", 30},
                              {"capacity", 3},
                              // null drops the fixture's other weekdays (a merge patch)
                              {"hours", {{"weekly", {{"mon", {"09:00-10:00"}}, {"tue", nullptr}, {"wed", {"09:00-10:00"}},
                                                     {"thu", nullptr}, {"fri", nullptr}}}}},
                              {"rules", {{"min_notice_minutes", 0}, {"max_days_ahead", 60}}}});
    std::vector<Offer> offers = {{{{1, 2}, {3, 2}}, 3, *yz::Date::parse("2026-01-05"), *yz::Date::parse("2099-01-01")}};

    std::vector<Made> made;
    std::map<std::string, int64_t> ids;
    auto book = [&](const std::string& token, const std::string& slot, const std::string& key) {
        ids[key] = st.booked(token, desk, slot, key);
        made.push_back({slot, "confirmed", std::nullopt});
        return made.size() - 1;
    };
    size_t a1 = book(st.zhang, "2026-01-07 09:00", "a1");
    size_t a2 = book(st.li, "2026-01-07 09:00", "a2");
    size_t a3 = book(st.zhang, "2026-01-12 09:30", "a3");
    size_t a4 = book(st.zhang, "2026-02-02 09:00", "a4");
    size_t a5 = book(st.li, "2026-02-04 09:00", "a5");
    book(st.li, "2026-03-02 09:00", "a6");

    auto serve = [&](size_t i, const std::string& key, const std::string& token, int stars) {
        std::string code = st.booking(token, ids[key]).body["code"];
        REQUIRE(st.s.post(st.path("/checkin"), {{"code", code}}, st.staff).status == 200);
        REQUIRE(st.act(st.staff, ids[key], "complete").status == 200);
        REQUIRE(st.act(token, ids[key], "rating", {{"stars", stars}}).status == 201);
        made[i].state = "completed";
        made[i].stars = stars;
    };
    st.set_clock("2026-01-07 09:05");
    serve(a1, "a1", st.zhang, 5);
    serve(a2, "a2", st.li, 4);
    st.set_clock("2026-01-12 10:00");
    REQUIRE(st.act(st.staff, ids["a3"], "no-show").status == 200);
    made[a3].state = "no_show";
    st.set_clock("2026-02-02 09:10");
    serve(a4, "a4", st.zhang, 3);
    REQUIRE(st.act(st.li, ids["a5"], "cancel").status == 200);  // a cancelled booking takes no place
    made[a5].state = "cancelled";

    // Fridays 14:00-15:00, one slot of two places, from 10 February until retired on Friday 6 March
    // (sessions last 30 days from the fixture's 10 February, so the test ends before 12 March).
    st.set_clock("2026-02-10 10:00");
    int64_t repair = st.define({{"name", "家电维修"},
                                {"slot_minutes", 60},
                                {"capacity", 2},
                                {"hours", {{"weekly", {{"mon", nullptr}, {"tue", nullptr}, {"wed", nullptr}, {"thu", nullptr},
                                                       {"fri", {"14:00-15:00"}}}}}},
                                {"rules", {{"min_notice_minutes", 0}}}});
    offers.push_back({{{5, 1}}, 2, *yz::Date::parse("2026-02-10"), *yz::Date::parse("2026-03-06")});
    st.booked(st.li, repair, "2026-02-13 14:00", "b1");
    made.push_back({"2026-02-13 14:00", "confirmed", std::nullopt});
    st.set_clock("2026-03-06 10:00");
    REQUIRE(st.s.del(st.path("/services/" + text_of(repair)), st.staff).status == 200);

    st.set_clock("2026-03-11 10:00");
    Response r = st.s.get(st.path("/stats/monthly?months=4"), st.staff);
    REQUIRE_MESSAGE(r.status == 200, r.text);
    const json& months = r.body["months"];
    REQUIRE(months.size() == 4);
    std::vector<std::string> expected_months = {"2025-12", "2026-01", "2026-02", "2026-03"};
    for (size_t m = 0; m < months.size(); ++m) {
        const std::string& month = expected_months[m];
        CAPTURE(month);
        const json& got = months[m];
        CHECK(got["month"] == month);
        int64_t bookings = 0, no_shows = 0, ratings = 0, stars = 0;
        for (const auto& b : made) {
            if (b.slot.substr(0, 7) != month) continue;
            bookings += b.state != "cancelled" && b.state != "rejected";
            no_shows += b.state == "no_show";
            if (b.stars) ++ratings, stars += *b.stars;
        }
        int64_t capacity = places_in_month(offers, month);
        CHECK(got["bookings"] == bookings);
        CHECK(got["capacity"] == capacity);
        CHECK(got["no_shows"] == no_shows);
        CHECK(got["ratings"] == ratings);
        if (capacity > 0) CHECK(got["utilisation"].get<double>() == doctest::Approx(double(bookings) / capacity).epsilon(0.0001));
        else CHECK(got["utilisation"].is_null());
        if (ratings > 0) CHECK(got["rating_avg"].get<double>() == doctest::Approx(double(stars) / ratings).epsilon(0.001));
        else CHECK(got["rating_avg"].is_null());
    }
    // The months the test is about did have something in them.
    CHECK(months[1]["bookings"] == 3);
    CHECK(months[2]["capacity"].get<int64_t>() > months[1]["capacity"].get<int64_t>() / 2);

    // Twelve months by default, ending with this one; only staff of this station.
    Response year = st.s.get(st.path("/stats/monthly"), st.staff);
    REQUIRE(year.status == 200);
    REQUIRE(year.body["months"].size() == 12);
    CHECK(year.body["months"][0]["month"] == "2025-04");
    CHECK(year.body["months"][11] == months[3]);
    CHECK(st.s.get(st.path("/stats/monthly?months=0"), st.staff).status == 400);
    CHECK(st.s.get(st.path("/stats/monthly?months=25"), st.staff).status == 400);
    CHECK(st.s.get(st.path("/stats/monthly?months=x"), st.staff).status == 400);
    CHECK(st.s.get(st.path("/stats/monthly"), st.s.login("zhao", {"staff:volunteer"})).status == 403);
    CHECK(st.s.get(st.path("/stats/monthly"), st.zhang).status == 403);
}
