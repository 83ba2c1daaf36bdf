// SPDX-License-Identifier: MIT
// 便民服务站: who may see and do what. The booking code (the QR content) is shown to its resident,
// is random and unguessable; a resident can never see, cancel, move or rate another's booking
// (404, so its existence does not leak); staff of another station get 403 on every staff route,
// found from the OpenAPI document so a route added later is covered too.
#include <map>
#include <regex>
#include <set>
#include <tuple>

#include "it-convenience-fixture.hpp"

using namespace convenience_test;

TEST_CASE("every booking gets its own random code, shown only to those who may see the booking") {
    Station st;
    int64_t id = st.define({{"capacity", 50}, {"rules", {{"max_days_ahead", 14}}}});
    std::set<std::string> codes;
    std::map<char, int> letters;
    for (int i = 0; i < 40; ++i) {
        std::string who = st.s.login("r" + std::to_string(i));
        Response r = st.book(who, id, "2026-02-11 09:00", "k");
        REQUIRE(r.status == 201);
        std::string code = r.body["code"];
        CHECK(std::regex_match(code, std::regex("[A-HJKMNP-Z2-9]{8}")));  // no 0/O, 1/I/L look-alikes
        codes.insert(code);
        for (char c : code) ++letters[c];
        CHECK(st.booking(who, r.body["id"]).body["code"] == code);
    }
    CHECK(codes.size() == 40);
    // 320 characters drawn from 31: a sequential or constant generator would use a handful.
    CHECK(letters.size() >= 25);
    json first = st.s.get(st.path("/my/bookings"), st.s.login("r0")).body["items"][0];
    Response other = st.booking(st.zhang, first["id"]);
    CHECK(other.status == 404);
    CHECK(other.body["error"]["code"] == "booking_not_found");
    CHECK(other.text.find(first["code"].get<std::string>()) == std::string::npos);
}

TEST_CASE("a resident can never see, cancel, move or rate another resident's booking") {
    Station st;
    int64_t id = st.define();
    int64_t booking = st.booked(st.zhang, id, "2026-02-10 13:30", "a");
    std::string b = std::to_string(booking);
    for (const auto& [method, path, body] : std::vector<std::tuple<std::string, std::string, json>>{
             {"GET", "/bookings/" + b, json()},
             {"POST", "/bookings/" + b + "/cancel", json::object()},
             {"POST", "/bookings/" + b + "/reschedule", {{"start", iso("2026-02-11 09:00")}}},
             {"POST", "/bookings/" + b + "/rating", {{"stars", 1}}}}) {
        Response r = method == "GET" ? st.s.get(st.path(path), st.li) : st.s.post(st.path(path), body, st.li);
        CHECK_MESSAGE(r.status == 404, (method + " " + path + ": " + r.text));
        CHECK(r.body["error"]["code"] == "booking_not_found");
    }
    // Nor rate it once it is completed, nor see it in their lists.
    st.set_clock("2026-02-10 13:35");
    std::string code = st.booking(st.zhang, booking).body["code"];
    REQUIRE(st.s.post(st.path("/checkin"), {{"code", code}}, st.staff).status == 200);
    REQUIRE(st.act(st.staff, booking, "complete").status == 200);
    CHECK(st.s.post(st.path("/bookings/" + b + "/rating"), {{"stars", 1}}, st.li).status == 404);
    CHECK(st.s.get(st.path("/my/bookings"), st.li).body["items"].empty());
    CHECK(st.s.get(st.path("/my/proxy-bookings"), st.li).body["items"].empty());
    CHECK(st.booking(st.zhang, booking).body["state"] == "completed");
    CHECK(st.count("SELECT count(*) FROM convenience_ratings") == 0);
}

TEST_CASE("staff of another station get 403 on every staff route of this one") {
    Station st;
    int64_t id = st.define();
    int64_t booking = st.booked(st.zhang, id, "2026-02-11 09:00", "a");
    std::string other_staff = st.s.login("zhao", {"staff:notices"});
    std::string admin_token = st.s.login("boss", {"admin"});
    json doc = st.s.get("/openapi.json").body;
    std::set<std::string> tried;
    for (auto it = doc["paths"].begin(); it != doc["paths"].end(); ++it) {
        const std::string& templ = it.key();
        if (templ.rfind(Station::kBase, 0) != 0) continue;
        for (auto op = it.value().begin(); op != it.value().end(); ++op) {
            std::string permission = op.value().value("x-permission", "");
            if (permission != "staff" && permission != "staff|admin") continue;
            std::string path = std::regex_replace(templ, std::regex("\\{id\\}"), std::to_string(templ.find("/bookings/") != std::string::npos
                                                                                                      ? booking
                                                                                                      : id));
            std::string method = op.key();
            for (char& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            bool bodyless = method == "GET" || method == "DELETE";
            auto call = [&](const std::string& token) {
                return st.s.raw(method, path, bodyless ? "" : "{}", bodyless ? "" : "application/json",
                                {{"Authorization", "Bearer " + token}});
            };
            for (const std::string& token : {other_staff, st.li}) {
                Response r = call(token);
                CHECK_MESSAGE(r.status == 403, (method + " " + path + " answered " + std::to_string(r.status)));
            }
            // The same call by this station's staff gets past the permission check (and may then
            // be refused for its empty body, which is not what this test is about).
            Response ours = call(st.staff);
            CHECK_MESSAGE(ours.status != 403, (method + " " + path + " refused this station's staff"));
            // Admins read the reports (staff|admin) but do not work the station's desk (staff).
            Response admin = call(admin_token);
            if (permission == "staff") CHECK_MESSAGE(admin.status == 403, (method + " " + path + " let an admin operate"));
            else CHECK_MESSAGE(admin.status == 200, (method + " " + path + " refused an admin a report"));
            tried.insert(method + " " + templ.substr(std::string(Station::kBase).size()));
        }
    }
    // The document lists every staff route, the ones added with the waitlist, suspensions,
    // households, ratings and exports too.
    CHECK(tried.size() >= 19);
    for (const char* route : {"POST /services", "POST /bookings/{id}/approve", "POST /checkin", "POST /suspensions/{id}/lift",
                              "PUT /households/{id}", "POST /ratings/{id}/release", "GET /exports/bookings", "GET /exports/ratings",
                              "GET /stats/monthly"})
        CHECK_MESSAGE(tried.count(route) == 1, route);
    CHECK(st.booking(st.zhang, booking).body["state"] == "confirmed");
    // Nothing the refused callers sent left a trace: the only audit lines are this staff's.
    CHECK(st.count("SELECT count(*) FROM core_audit WHERE station = 'convenience' AND actor_user_id IN (?1)",
                   st.s.user_id("zhao")) == 0);
}
