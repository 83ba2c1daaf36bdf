// SPDX-License-Identifier: MIT
// Shared set-up for the 志愿者工作站 integration tests (it-volunteer*.cpp): a real server with the
// station loaded, the clock fixed at Monday 2026-03-02 10:00 Beijing time, station staff (wang),
// staff of another station (zhao), a party member (zhang) and a resident (li) — both registered
// as volunteers — and helpers to publish projects and posts, claim, scan the screen's code, and
// look into the core's tables (ledger, jobs, outbox, audit).
#pragma once

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include <yz/calendar.hpp>

#include "../support/test_server.hpp"

namespace volunteer_test {

using nlohmann::json;
using yz::test::error_code;
using yz::test::Response;
using yz::test::TestServer;

// "2026-03-07 09:00" (Beijing) → UTC ms.
inline int64_t beijing(const std::string& local) {
    return yz::beijing_instant(*yz::Date::parse(local.substr(0, 10)), *yz::parse_hhmm(local.substr(11, 5)));
}
// "2026-03-07 09:00" (Beijing) → "2026-03-07T09:00:00+08:00", as the API speaks.
inline std::string iso(const std::string& local) { return local.substr(0, 10) + "T" + local.substr(11, 5) + ":00+08:00"; }

// 10 points per full hour; the 双报到 claim deadline is 31 March.
inline const json kConfig = json::parse(R"({
  "points": {"per_unit": 10, "unit_minutes": 60}, "claim_deadline": "03-31", "issuer": "幸福里社区党委",
  "checkin_early_minutes": 30, "auto_close_grace_minutes": 30, "shift_reminder_minutes": 1440})");

// A Saturday-morning shift: three spots at the crossing, withdrawal up to a day before.
inline json post_def(const json& overrides = json::object()) {
    json def = {{"role", "路口文明劝导"},
                {"description", "劝导行人遵守交通信号"},
                {"time_type", "shift"},
                {"starts_at", iso("2026-03-07 09:00")},
                {"ends_at", iso("2026-03-07 11:00")},
                {"location", "幸福路口"},
                {"spots", 3},
                {"withdraw_cutoff_minutes", 1440}};
    def.merge_patch(overrides);
    return def;
}

struct Station {
    static constexpr const char* kBase = "/api/v1/stations/volunteer";

    TestServer s{[](yz::Config& c) {
        c.stations.push_back(yz::StationConfig{"volunteer", "libstation_volunteer.so", true, kConfig});
        // The clock is fixed, so rate-limit buckets never refill; these tests are about volunteering.
        c.rate_limit_per_minute = 0;
    }};
    // Before anyone logs in, so sessions are issued (and expire) on the test's clock.
    bool clock_fixed = (s.app().clock().set_fixed(beijing("2026-03-02 10:00")), true);
    std::string staff = s.login("wang", {"staff:volunteer"});
    std::string other_staff = s.login("zhao", {"staff:convenience"});
    std::string zhang = volunteer("zhang", {"member"}, "张伟", "1980-05-01");
    std::string li = volunteer("li", {}, "李娜", "1990-09-15");

    std::string path(const std::string& rest) const { return kBase + rest; }
    std::string path(const std::string& what, int64_t id, const std::string& rest = "") const {
        return kBase + what + "/" + std::to_string(id) + rest;
    }
    void set_clock(const std::string& local) { s.app().clock().set_fixed(beijing(local)); }
    void set_clock_ms(int64_t ms) { s.app().clock().set_fixed(ms); }
    int64_t uid(const std::string& name) { return s.user_id(name); }

    // A user with `roles`, registered as a volunteer (birth date "" = not given).
    std::string volunteer(const std::string& name, const std::vector<std::string>& roles, const std::string& real_name,
                          const std::string& birth_date) {
        std::string token = s.login(name, roles);
        json form = {{"real_name", real_name}};
        if (!birth_date.empty()) form["birth_date"] = birth_date;
        Response r = s.put(path("/my/registration"), form, token);
        REQUIRE_MESSAGE(r.status == 201, r.text);
        return token;
    }

    int64_t project(const json& overrides = json::object()) {
        json def = {{"year", 2026}, {"title", "文明交通劝导"}, {"description", "周末路口劝导"}, {"unit_claimable", true}};
        def.merge_patch(overrides);
        Response r = s.post(path("/projects"), def, staff);
        REQUIRE_MESSAGE(r.status == 201, r.text);
        return r.body["id"].get<int64_t>();
    }
    int64_t post(int64_t project_id, const json& overrides = json::object()) {
        Response r = s.post(path("/projects", project_id, "/posts"), post_def(overrides), staff);
        REQUIRE_MESSAGE(r.status == 201, r.text);
        return r.body["id"].get<int64_t>();
    }
    Response claim(const std::string& token, int64_t post_id) { return s.post(path("/posts", post_id, "/claims"), json::object(), token); }
    int64_t claimed(const std::string& token, int64_t post_id) {
        Response r = claim(token, post_id);
        REQUIRE_MESSAGE(r.status == 201, r.text);
        return r.body["id"].get<int64_t>();
    }
    Response act(const std::string& token, const std::string& what, int64_t id, const std::string& action,
                 const json& body = json::object()) {
        return s.post(path(what, id, "/" + action), body, token);
    }
    // The code the station's screen shows now.
    std::string code(int64_t post_id, const std::string& place = "") {
        Response r = s.get(path("/posts", post_id, "/code" + (place.empty() ? "" : "?place=" + place)), staff);
        REQUIRE_MESSAGE(r.status == 200, r.text);
        return r.body["code"].get<std::string>();
    }
    Response scan(const std::string& token, int64_t post_id, const std::string& direction, const std::string& code_text) {
        return s.post(path("/posts", post_id, "/" + direction), {{"code", code_text}}, token);
    }
    // Checks in at `in` and out at `out` (Beijing) with fresh codes; returns the hours record id.
    int64_t serve(const std::string& token, int64_t post_id, const std::string& in, const std::string& out) {
        set_clock(in);
        Response a = scan(token, post_id, "check-in", code(post_id));
        REQUIRE_MESSAGE(a.status == 201, a.text);
        set_clock(out);
        Response b = scan(token, post_id, "check-out", code(post_id));
        REQUIRE_MESSAGE(b.status == 200, b.text);
        return b.body["hours_record_id"].get<int64_t>();
    }

    // The core's side of things, read straight from the database.
    int64_t count(const std::string& sql) { return s.scalar(sql); }
    int64_t ledger_taken(const std::string& resource) {
        return count("SELECT coalesce(sum(taken), 0) FROM core_capacity_resources WHERE station = 'volunteer' AND resource = '" + resource + "'");
    }
    // Notifications queued for the outbox, oldest first, each with its user_id.
    std::vector<json> notices(const std::string& template_key) { return s.queued_notices("volunteer", template_key); }
};

}  // namespace volunteer_test
