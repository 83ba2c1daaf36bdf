// SPDX-License-Identifier: MIT
// 便民服务站 end to end, part 1: staff define services as data, the holiday calendar shapes the
// slots (a 调休 Saturday opens, a holiday closes), and only this station's staff run it.
#include <set>

#include "it-convenience-fixture.hpp"

using namespace convenience_test;

TEST_CASE("staff define a service as data — residents list it and see its hours, rules and form") {
    Station st;
    json form = json::parse(R"([{"name": "phone", "label": "联系电话", "type": "phone", "required": true}])");
    int64_t id = st.define({{"form", form}, {"rules", {{"quota", {{"count", 2}, {"per", "week"}}}}}});
    Response list = st.s.get(st.path("/services"));
    REQUIRE(list.status == 200);
    REQUIRE(list.body["items"].size() == 1);
    CHECK(list.body["items"][0]["name"] == "社保认证");
    CHECK(list.body["items"][0]["capacity"] == 5);
    Response one = st.s.get(st.path("/services/" + std::to_string(id)));
    CHECK(one.body["hours"]["weekly"]["mon"] == json{"08:30-11:30", "13:30-17:00"});
    CHECK(one.body["hours"]["holidays"] == "closed");
    CHECK(one.body["rules"]["quota"] == json{{"count", 2}, {"per", "week"}});
    CHECK(one.body["rules"]["cancel_cutoff_minutes"] == 120);
    CHECK(one.body["form"] == form);

    // A change is a PUT of the whole definition; retiring hides it from residents, not staff.
    Response changed = st.s.put(st.path("/services/" + std::to_string(id)), service_def({{"capacity", 8}}), st.staff);
    REQUIRE(changed.status == 200);
    CHECK(changed.body["capacity"] == 8);
    CHECK(st.s.del(st.path("/services/" + std::to_string(id)), st.staff).status == 200);
    CHECK(st.s.get(st.path("/services")).body["items"].empty());
    CHECK(st.s.get(st.path("/services/" + std::to_string(id))).status == 404);
    CHECK(st.s.get(st.path("/services?all=1"), st.staff).body["items"].size() == 1);
    CHECK(st.book(st.zhang, id, "2026-02-11 09:00", "k1").body["error"]["code"] == "service_not_found");
    CHECK(st.count("SELECT count(*) FROM core_audit WHERE station = 'convenience' AND action LIKE 'service.%'") == 3);
}

TEST_CASE("a broken service definition is refused with every problem named") {
    Station st;
    json bad = service_def({{"name", ""},
                            {"capacity", 0},
                            {"hours", {{"weekly", {{"mon", json{"11:30-08:30"}}}}}},
                            {"rules", {{"max_days_ahead", -1}, {"quota", {{"count", 2}, {"per", "year"}}}, {"surprise", true}}},
                            {"form", json::parse(R"([{"name": "phone", "label": "电话", "type": "telephone"}])")},
                            {"colour", "red"}});
    Response r = st.s.post(st.path("/services"), bad, st.staff);
    REQUIRE(r.status == 422);
    CHECK(r.body["error"]["code"] == "invalid_service");
    std::set<std::string> fields;
    for (const auto& f : r.body["error"]["details"]["fields"]) fields.insert(f["field"].get<std::string>());
    for (const char* f : {"name", "capacity", "hours", "rules.max_days_ahead", "rules.quota.per", "rules.surprise", "form.phone", "colour"})
        CHECK_MESSAGE(fields.count(f) == 1, f);
    CHECK(st.s.get(st.path("/services")).body["items"].empty());
}

TEST_CASE("slots follow the calendar: a 调休 Saturday opens as a weekday, the Spring Festival closes") {
    Station st;
    int64_t id = st.define();
    Response r = st.s.get(st.path("/services/" + std::to_string(id) + "/slots?from=2026-02-13&to=2026-02-16"));
    REQUIRE(r.status == 200);
    json days = r.body["days"];
    REQUIRE(days.size() == 4);
    CHECK(days[0]["basis"] == "weekly");
    CHECK(days[0]["slots"].size() == 6 + 7);  // 08:30-11:30 and 13:30-17:00 in half hours
    CHECK(days[1]["date"] == "2026-02-14");
    CHECK(days[1]["weekday"] == 6);
    CHECK(days[1]["open"] == true);
    CHECK(days[1]["basis"] == "makeup_workday");
    CHECK(days[1]["note"] == "春节调休");
    CHECK(days[1]["hours"] == json{"08:30-11:30", "13:30-17:00"});
    CHECK(days[1]["slots"][0]["start"] == "2026-02-14T08:30:00+08:00");
    CHECK(days[2]["open"] == false);  // Sunday, and a holiday
    CHECK(days[3]["date"] == "2026-02-16");
    CHECK(days[3]["open"] == false);  // a Monday, closed for the festival
    CHECK(days[3]["basis"] == "holiday");
    CHECK(days[3]["note"] == "春节");

    CHECK(st.book(st.zhang, id, "2026-02-14 09:00", "sat").status == 201);
    Response holiday = st.book(st.zhang, id, "2026-02-16 09:00", "mon");
    CHECK(holiday.status == 422);
    CHECK(holiday.body["error"]["code"] == "slot_unavailable");

    // Staff replace the calendar (say the festival moved): the Monday opens, the Saturday closes.
    Response cal = st.s.put(st.path("/calendar"), json::parse(R"({"holidays": [{"date": "2026-02-17", "name": "春节"}]})"), st.staff);
    REQUIRE(cal.status == 200);
    CHECK(st.s.get(st.path("/calendar")).body["holidays"][0]["date"] == "2026-02-17");
    CHECK(st.day(id, "2026-02-16")["open"] == true);
    CHECK(st.day(id, "2026-02-14")["open"] == false);
    CHECK(st.s.put(st.path("/calendar"), json::parse(R"({"holidays": ["2026-02-30"]})"), st.staff).body["error"]["code"] ==
          "invalid_calendar");
}

TEST_CASE("exceptions close a day or open extra hours — times between slots are not slots") {
    Station st;
    json hours = service_def()["hours"];
    hours["exceptions"] = json::parse(R"([{"date": "2026-02-12", "closed": true, "note": "内部培训"},
                                          {"date": "2026-02-22", "hours": ["09:00-10:00"], "note": "春节值班"}])");
    int64_t id = st.define({{"hours", hours}});
    json closed = st.day(id, "2026-02-12");
    CHECK(closed["open"] == false);
    CHECK(closed["basis"] == "exception");
    CHECK(closed["note"] == "内部培训");
    json duty = st.day(id, "2026-02-22");  // a Sunday inside the holiday, opened by exception
    CHECK(duty["open"] == true);
    CHECK(duty["slots"].size() == 2);
    CHECK(st.book(st.zhang, id, "2026-02-22 09:30", "duty").status == 201);
    for (const char* when : {"2026-02-12 09:00", "2026-02-11 09:10", "2026-02-11 12:00", "2026-02-11 17:00"}) {
        Response r = st.book(st.zhang, id, when, std::string("x-") + when);
        CHECK_MESSAGE(r.body["error"]["code"] == "slot_unavailable", when);
    }
}

TEST_CASE("the slot list shows places left and what can be booked now") {
    Station st;
    int64_t id = st.define();
    st.booked(st.zhang, id, "2026-02-11 09:00", "a");
    st.booked(st.li, id, "2026-02-11 09:00", "b");
    json slot = st.slot(id, "2026-02-11 09:00");
    CHECK(slot["capacity"] == 5);
    CHECK(slot["remaining"] == 3);
    CHECK(slot["bookable"] == true);
    CHECK(st.ledger_taken(id, "2026-02-11 09:00") == 2);  // the ledger agrees
    CHECK(st.slot(id, "2026-02-10 10:30")["bookable"] == false);  // inside the hour's notice
    json today = st.day(id, "2026-02-10");
    CHECK(today["slots"][0]["bookable"] == false);  // 08:30, already past
    Response far = st.s.get(st.path("/services/" + std::to_string(id) + "/slots"));
    REQUIRE(far.status == 200);
    CHECK(far.body["days"].size() == 15);  // today and 14 days ahead
    CHECK(st.s.get(st.path("/services/" + std::to_string(id) + "/slots?from=2026-02-01&to=2026-03-15")).body["error"]["code"] ==
          "invalid_range");
    CHECK(st.s.get(st.path("/services/" + std::to_string(id) + "/slots?from=tomorrow")).status == 400);
}

TEST_CASE("only this station's staff run it — residents and other stations' staff are refused") {
    Station st;
    int64_t id = st.define();
    int64_t booking = st.booked(st.zhang, id, "2026-02-11 09:00", "k");
    std::string other = st.s.login("zhao", {"staff:notices"});
    std::string sid = std::to_string(id), bid = std::to_string(booking);
    for (const std::string& token : {other, st.li}) {
        CHECK(st.s.post(st.path("/services"), service_def(), token).status == 403);
        CHECK(st.s.put(st.path("/services/" + sid), service_def(), token).status == 403);
        CHECK(st.s.del(st.path("/services/" + sid), token).status == 403);
        CHECK(st.s.put(st.path("/calendar"), json::object(), token).status == 403);
        CHECK(st.s.get(st.path("/services/" + sid + "/day-sheet?date=2026-02-11"), token).status == 403);
        for (const char* action : {"approve", "reject", "complete", "no-show"}) CHECK(st.act(token, booking, action).status == 403);
        CHECK(st.s.post(st.path("/checkin"), {{"code", "ABCDEFGH"}}, token).status == 403);
        // As residents they cannot see or touch zhang's booking either.
        CHECK(st.s.get(st.path("/bookings/" + bid), token).status == 404);
        CHECK(st.act(token, booking, "cancel").status == 404);
    }
    CHECK(st.s.post(st.path("/services/" + sid + "/bookings"), {{"start", iso("2026-02-11 09:30")}}, "",
                    {{"Idempotency-Key", "anon"}})
              .status == 401);
    CHECK(st.s.get(st.path("/services/" + sid + "/day-sheet?date=2026-02-11"), st.staff).status == 200);
    CHECK(st.s.get(st.path("/bookings/" + bid), st.zhang).body["state"] == "confirmed");
}

TEST_CASE("the station's routes appear in OpenAPI with their permissions") {
    Station st;
    json doc = st.s.get("/openapi.json").body;
    CHECK(doc["paths"]["/api/v1/stations/convenience/services"]["post"]["x-permission"] == "staff");
    CHECK(doc["paths"]["/api/v1/stations/convenience/services/{id}/bookings"]["post"]["x-permission"] == "resident");
    CHECK(doc["paths"]["/api/v1/stations/convenience/services/{id}/slots"]["get"]["x-permission"] == "public");
    CHECK(st.s.get("/api/v1/stations").body["stations"][0]["name"] == "便民服务站");
}
