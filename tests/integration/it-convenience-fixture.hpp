// SPDX-License-Identifier: MIT
// Shared set-up for the 便民服务站 integration tests (it-convenience*.cpp): a real server with the
// station loaded and the 2026 Spring Festival in its holiday calendar, the clock fixed at
// Tuesday 2026-02-10 10:00 Beijing time, a staff member, two residents, and helpers to define a
// service, book, reschedule and wait for it, run the scheduler's due jobs and look into the core's
// tables (ledger, jobs, outbox, audit). Station config (no-show policy, waitlist) may be merged in.
#pragma once

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include <yz/calendar.hpp>

#include "../support/test_server.hpp"

namespace convenience_test {

using nlohmann::json;
using yz::test::error_code;
using yz::test::Response;
using yz::test::TestServer;

// 春节 2026: Sunday 15 to Monday 23 February off; Saturdays 14 and 28 February are worked.
inline const json kHolidays2026 = json::parse(R"({
  "holidays": [{"from": "2026-02-15", "to": "2026-02-23", "name": "春节"}],
  "workdays": [{"date": "2026-02-14", "name": "春节调休"}, {"date": "2026-02-28", "name": "春节调休"}]})");

// A weekday service: 30-minute slots, five places each, closed for lunch.
inline json service_def(const json& overrides = json::object()) {
    json def = json::parse(R"({
      "name": "社保认证", "description": "养老金领取资格认证", "category": "社保", "location": "一楼 3 号窗口",
      "slot_minutes": 30, "capacity": 5,
      "hours": {"weekly": {"mon": ["08:30-11:30", "13:30-17:00"], "tue": ["08:30-11:30", "13:30-17:00"],
                           "wed": ["08:30-11:30", "13:30-17:00"], "thu": ["08:30-11:30", "13:30-17:00"],
                           "fri": ["08:30-11:30", "13:30-17:00"]}},
      "rules": {"min_notice_minutes": 60, "max_days_ahead": 14, "cancel_cutoff_minutes": 120}})");
    def.merge_patch(overrides);
    return def;
}

// "2026-02-11 09:00" (Beijing) → UTC ms.
inline int64_t beijing(const std::string& local) {
    return yz::beijing_instant(*yz::Date::parse(local.substr(0, 10)), *yz::parse_hhmm(local.substr(11, 5)));
}
// "2026-02-11 09:00" (Beijing) → "2026-02-11T09:00:00+08:00", as the API speaks.
inline std::string iso(const std::string& local) { return local.substr(0, 10) + "T" + local.substr(11, 5) + ":00+08:00"; }

struct Station {
    static constexpr const char* kBase = "/api/v1/stations/convenience";

    // `config` is merged into the station's config (no_show_policy, waitlist...).
    explicit Station(const json& config = json::object()) : config_(config) {}

    json config_;
    TestServer s{[this](yz::Config& c) {
        json config = {{"holidays", kHolidays2026}};
        config.merge_patch(config_);
        c.stations.push_back(yz::StationConfig{"convenience", "libstation_convenience.so", true, config});
        // The clock is fixed, so rate-limit buckets never refill; these tests are about bookings.
        c.rate_limit_per_minute = 0;
    }};
    // Before anyone logs in, so sessions are issued (and expire) on the test's clock.
    bool clock_fixed = (s.app().clock().set_fixed(beijing("2026-02-10 10:00")), true);
    // TestServer runs no scheduler thread: only the test runs the scheduler (run_jobs), on this clock.
    std::string staff = s.login("wang", {"staff:convenience"});
    std::string zhang = s.login("zhang");
    std::string li = s.login("li");

    std::string path(const std::string& rest) const { return kBase + rest; }
    // Sessions for n more residents, named prefix0..prefix<n-1>.
    std::vector<std::string> residents(int n, const std::string& prefix) {
        std::vector<std::string> tokens;
        for (int i = 0; i < n; ++i) tokens.push_back(s.login(prefix + std::to_string(i)));
        return tokens;
    }
    void set_clock(const std::string& local) { s.app().clock().set_fixed(beijing(local)); }
    // Runs the scheduler's due jobs (reminders, lapsed waitlist offers) as its loop would.
    int run_jobs() { return s.app().scheduler().run_due(); }

    int64_t define(const json& overrides = json::object()) {
        Response r = s.post(path("/services"), service_def(overrides), staff);
        REQUIRE_MESSAGE(r.status == 201, r.text);
        return r.body["id"].get<int64_t>();
    }
    Response book(const std::string& token, int64_t service, const std::string& local, const std::string& key,
                  const json& form = json::object()) {
        return s.post(path("/services/" + std::to_string(service) + "/bookings"), {{"start", iso(local)}, {"form", form}}, token,
                      {{"Idempotency-Key", key}});
    }
    int64_t booked(const std::string& token, int64_t service, const std::string& local, const std::string& key,
                   const json& form = json::object()) {
        Response r = book(token, service, local, key, form);
        REQUIRE_MESSAGE(r.status == 201, r.text);
        return r.body["id"].get<int64_t>();
    }
    Response act(const std::string& token, int64_t booking, const std::string& action, const json& body = json::object()) {
        return s.post(path("/bookings/" + std::to_string(booking) + "/" + action), body, token);
    }
    Response reschedule(const std::string& token, int64_t booking, const std::string& local, const json& extra = json::object()) {
        json body = {{"start", iso(local)}};
        body.merge_patch(extra);
        return act(token, booking, "reschedule", body);
    }
    Response join_waitlist(const std::string& token, int64_t service, const std::string& local, const std::string& key) {
        return s.post(path("/services/" + std::to_string(service) + "/waitlist"), {{"start", iso(local)}}, token,
                      {{"Idempotency-Key", key}});
    }
    Response booking(const std::string& token, int64_t id) { return s.get(path("/bookings/" + std::to_string(id)), token); }
    // One day of the slot list.
    json day(int64_t service, const std::string& date) {
        Response r = s.get(path("/services/" + std::to_string(service) + "/slots?from=" + date + "&to=" + date));
        REQUIRE_MESSAGE(r.status == 200, r.text);
        return r.body["days"][0];
    }
    // One slot of the slot list, by Beijing "YYYY-MM-DD HH:MM".
    json slot(int64_t service, const std::string& local) {
        json d = day(service, local.substr(0, 10));
        for (const auto& sl : d["slots"])
            if (sl["start"] == iso(local)) return sl;
        return json();
    }

    // The core's side of things, read straight from the database.
    int64_t count(const std::string& sql) { return s.scalar(sql); }
    int64_t count(const std::string& sql, int64_t param) { return s.scalar(sql, {param}); }
    int64_t ledger_taken(int64_t service, const std::string& local) {
        return count("SELECT coalesce(sum(taken), 0) FROM core_capacity_resources WHERE station = 'convenience' AND resource = 'svc:" +
                     std::to_string(service) + ":" + std::to_string(beijing(local)) + "'");
    }
    // Notifications queued for the outbox, oldest first.
    std::vector<json> notices(const std::string& template_key) { return s.queued_notices("convenience", template_key); }
};

}  // namespace convenience_test
