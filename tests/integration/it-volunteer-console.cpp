// SPDX-License-Identifier: MIT
// 志愿者工作站 end to end, part 8: what the staff console reads. The approval queue lists pending
// claims across posts; the dashboard's monthly figures — approved hours, claims made, check-ins —
// are cut by Beijing month (a check-in ten minutes after midnight on the 1st is the new month's)
// and match what the test itself did, month by month; this year's 双报到 completion matches the
// compliance reports. Both routes are the station's staff's alone.
#include <map>
#include <tuple>

#include "it-volunteer-fixture.hpp"

using namespace volunteer_test;

TEST_CASE("the approval queue lists pending claims across posts, oldest first, for the station's staff only") {
    Station st;
    int64_t project = st.project();
    int64_t a = st.post(project, {{"approval_required", true}});
    int64_t b = st.post(project, {{"role", "楼栋联络员"}, {"approval_required", true}});
    int64_t c = st.post(project, {{"role", "垃圾分类督导"}});
    int64_t on_a = st.claimed(st.zhang, a);
    int64_t on_b = st.claimed(st.li, b);
    int64_t on_c = st.claimed(st.zhang, c);  // no approval needed: approved at once

    Response pending = st.s.get(st.path("/claims"), st.staff);
    REQUIRE_MESSAGE(pending.status == 200, pending.text);
    REQUIRE(pending.body["items"].size() == 2);
    CHECK(pending.body["items"][0]["id"] == on_a);
    CHECK(pending.body["items"][0]["volunteer"]["name"] == "张伟");
    CHECK(pending.body["items"][0]["post"]["role"] == "路口文明劝导");
    CHECK(pending.body["items"][1]["id"] == on_b);
    CHECK(pending.body["items"][1]["volunteer"]["name"] == "李娜");

    Response approved = st.s.get(st.path("/claims?state=approved"), st.staff);
    REQUIRE(approved.body["items"].size() == 1);
    CHECK(approved.body["items"][0]["id"] == on_c);
    Response one_post = st.s.get(st.path("/claims?state=pending&post_id=" + std::to_string(b)), st.staff);
    REQUIRE(one_post.body["items"].size() == 1);
    CHECK(one_post.body["items"][0]["id"] == on_b);

    REQUIRE(st.act(st.staff, "/claims", on_a, "approve").status == 200);
    Response after = st.s.get(st.path("/claims?state=pending"), st.staff);
    REQUIRE(after.body["items"].size() == 1);
    CHECK(after.body["items"][0]["id"] == on_b);

    CHECK(error_code(st.s.get(st.path("/claims?state=lost"), st.staff)) == "invalid_field");
    CHECK(st.s.get(st.path("/claims"), st.other_staff).status == 403);
    CHECK(st.s.get(st.path("/claims"), st.zhang).status == 403);
    CHECK(st.s.get(st.path("/claims"), st.li).status == 403);
}

namespace {
struct Month {
    int64_t minutes = 0, claims = 0, check_ins = 0;
};

// What the test did, month by month ("2026-01"), kept as it does it. Hours are kept per record
// (a later decision replaces the earlier one) and summed at the end.
struct Tally {
    std::map<std::string, Month> months;
    std::map<int64_t, std::pair<std::string, int64_t>> approved_records;  // id → (month, minutes)

    static std::string month_of(const std::string& local) { return local.substr(0, 7); }
    void claim(const std::string& local) { ++months[month_of(local)].claims; }
    void check_in(const std::string& local) { ++months[month_of(local)].check_ins; }
    void decided(const Response& r) {
        REQUIRE_MESSAGE(r.status / 100 == 2, r.text);
        int64_t id = r.body["id"];
        if (r.body["status"] == "approved")
            approved_records[id] = {r.body["service_date"].get<std::string>().substr(0, 7), r.body["minutes"].get<int64_t>()};
        else
            approved_records.erase(id);
    }
    Month expected(const std::string& month) const {
        Month m = months.count(month) ? months.at(month) : Month{};
        for (const auto& [id, record] : approved_records)
            if (record.first == month) m.minutes += record.second;
        return m;
    }
};
}  // namespace

TEST_CASE("the dashboard's monthly figures count approved hours, claims and check-ins per Beijing month") {
    Station st;
    Tally tally;
    auto claim_at = [&](const std::string& local, const std::string& token, int64_t post) {
        st.set_clock(local);
        int64_t id = st.claimed(token, post);
        tally.claim(local);
        return id;
    };
    auto check_in_at = [&](const std::string& local, const std::string& token, int64_t post) {
        st.set_clock(local);
        Response r = st.scan(token, post, "check-in", st.code(post));
        REQUIRE_MESSAGE(r.status == 201, r.text);
        tally.check_in(local);
    };
    auto check_out_at = [&](const std::string& local, const std::string& token, int64_t post) {
        st.set_clock(local);
        Response r = st.scan(token, post, "check-out", st.code(post));
        REQUIRE_MESSAGE(r.status == 200, r.text);
        return r.body["hours_record_id"].get<int64_t>();
    };

    // Thirteen months before "now" (2026-03): served and approved, but outside the twelve months asked for.
    st.set_clock("2025-03-01 10:00");
    int64_t old_post = st.post(st.project({{"year", 2025}}), {{"starts_at", iso("2025-03-15 09:00")}, {"ends_at", iso("2025-03-15 11:00")}});
    claim_at("2025-03-01 10:00", st.zhang, old_post);
    check_in_at("2025-03-15 09:00", st.zhang, old_post);
    tally.decided(st.act(st.staff, "/hours", check_out_at("2025-03-15 11:00", st.zhang, old_post), "approve"));

    // A night shift across the turn of the month: zhang checks in on 31 January, li ten minutes
    // into 1 February Beijing time — still 31 January in UTC.
    st.set_clock("2026-01-20 10:00");
    int64_t project = st.project();
    int64_t night = st.post(project, {{"role", "夜间巡逻"}, {"starts_at", iso("2026-01-31 23:00")}, {"ends_at", iso("2026-02-01 02:00")}});
    claim_at("2026-01-20 10:05", st.zhang, night);
    claim_at("2026-01-31 08:00", st.li, night);
    check_in_at("2026-01-31 23:50", st.zhang, night);
    check_in_at("2026-02-01 00:10", st.li, night);
    int64_t zhang_night = check_out_at("2026-02-01 01:50", st.zhang, night);
    int64_t li_night = check_out_at("2026-02-01 01:30", st.li, night);
    tally.decided(st.act(st.staff, "/hours", zhang_night, "approve"));
    tally.decided(st.act(st.staff, "/hours", zhang_night, "adjust", {{"minutes", 100}, {"reason", "提前离岗"}}));
    tally.decided(st.act(st.staff, "/hours", li_night, "decline", {{"reason", "未在岗"}}));  // declined: no hours

    // Walk-ins logged by staff are approved as they are logged; a pending record counts for nothing.
    st.set_clock("2026-03-02 10:00");
    for (const auto& [name, date, minutes] : {std::tuple{"li", "2025-12-05", 45}, std::tuple{"zhang", "2026-03-01", 90},
                                             std::tuple{"zhang", "2025-04-01", 30}})
        tally.decided(st.s.post(st.path("/hours/walk-in"), {{"user_id", st.uid(name)}, {"project_id", project}, {"date", date}, {"minutes", minutes}},
                                st.staff));
    std::string wang = st.volunteer("wang", {"staff:volunteer"}, "王芳", "1985-01-01");
    REQUIRE(st.s.post(st.path("/hours/walk-in"), {{"user_id", st.uid("wang")}, {"project_id", project}, {"date", "2026-03-01"}, {"minutes", 60}},
                      wang)
                .body["status"] == "pending");  // one's own walk-in waits for someone else
    // A claim made and withdrawn is still a claim made this month.
    int64_t saturday = st.post(project);
    int64_t gone = claim_at("2026-03-02 10:00", st.li, saturday);
    REQUIRE(st.act(st.li, "/claims", gone, "withdraw").status == 200);

    Response r = st.s.get(st.path("/stats/monthly?months=12"), st.staff);
    REQUIRE_MESSAGE(r.status == 200, r.text);
    const json& lines = r.body["months"];
    REQUIRE(lines.size() == 12);
    CHECK(lines.front()["month"] == "2025-04");
    CHECK(lines.back()["month"] == "2026-03");
    int64_t total_claims = 0;
    for (const auto& line : lines) {
        std::string month = line["month"];
        Month want = tally.expected(month);
        INFO("month " << month << ": " << line.dump());
        CHECK(line["minutes"] == want.minutes);
        CHECK(line["hours"].get<double>() == doctest::Approx(static_cast<double>(want.minutes) / 60.0).epsilon(0.01));
        CHECK(line["claims"] == want.claims);
        CHECK(line["check_ins"] == want.check_ins);
        total_claims += line["claims"].get<int64_t>();
    }
    // The tally's own arithmetic, checked by hand once: two on the night shift, li's withdrawn one
    // (the March 2025 claim is outside the twelve months).
    CHECK(total_claims == 3);
    CHECK(tally.expected("2026-02").check_ins == 1);  // the Beijing-midnight case really is in the data

    Response three = st.s.get(st.path("/stats/monthly?months=3"), st.staff);
    REQUIRE(three.body["months"].size() == 3);
    CHECK(three.body["months"][0]["month"] == "2026-01");
    CHECK(three.body["months"][0]["check_ins"] == tally.expected("2026-01").check_ins);
    CHECK(error_code(st.s.get(st.path("/stats/monthly?months=0"), st.staff)) == "invalid_field");
    CHECK(error_code(st.s.get(st.path("/stats/monthly?months=37"), st.staff)) == "invalid_field");
}

TEST_CASE("the dashboard's 双报到 completion for this year matches the compliance reports") {
    Station st;
    int64_t project = st.project();
    int64_t post = st.post(project);
    st.s.login("chen", {"unit_contact"});
    st.s.login("zhou", {"unit_contact"});
    int64_t unit_a = st.s.post(st.path("/units"), {{"name", "区税务局机关党委"}, {"contact_user_id", st.uid("chen")}}, st.staff).body["id"];
    REQUIRE(st.s.post(st.path("/units"), {{"name", "市第一医院党委"}, {"contact_user_id", st.uid("zhou")}}, st.staff).status == 201);
    // zhang declares and claims (complies); ma holds the member role and has not declared (does not).
    REQUIRE(st.s.put(st.path("/my/declaration"), {{"year", 2026}, {"unit_id", unit_a}, {"in_service", true}}, st.zhang).status == 200);
    st.claimed(st.zhang, post);
    st.volunteer("ma", {"member"}, "马明", "1982-01-01");
    // Unit A completes the project it claimed; unit B claims nothing.
    int64_t unit_claim = st.s.post(st.path("/projects", project, "/unit-claims"), json::object(), st.s.login("chen", {"unit_contact"})).body["id"];
    REQUIRE(st.act(st.staff, "/unit-claims", unit_claim, "complete").status == 200);

    Response r = st.s.get(st.path("/stats/monthly"), st.staff);
    REQUIRE_MESSAGE(r.status == 200, r.text);
    const json& c = r.body["compliance"];
    CHECK(c["year"] == 2026);
    CHECK(c["members"] == json{{"compliant", 1}, {"total", 2}});
    CHECK(c["units"] == json{{"compliant", 1}, {"total", 2}});
    json members = st.s.get(st.path("/reports/compliance/members?year=2026"), st.staff).body["summary"];
    json units = st.s.get(st.path("/reports/compliance/units?year=2026"), st.staff).body["summary"];
    CHECK(c["members"]["compliant"] == members["compliant"]);
    CHECK(c["members"]["total"] == members["members"]);
    CHECK(c["units"]["compliant"] == units["compliant"]);
    CHECK(c["units"]["total"] == units["units"]);

    CHECK(st.s.get(st.path("/stats/monthly"), st.other_staff).status == 403);
    CHECK(st.s.get(st.path("/stats/monthly"), st.zhang).status == 403);
    CHECK(st.s.get(st.path("/stats/monthly"), st.li).status == 403);

    // A community admin reads the same figures and reports, but works none of the station's queues.
    std::string admin = st.s.login("boss", {"admin"});
    Response seen = st.s.get(st.path("/stats/monthly"), admin);
    REQUIRE(seen.status == 200);
    CHECK(seen.body["compliance"] == c);
    CHECK(st.s.get(st.path("/reports/compliance/units?year=2026"), admin).body["summary"] == units);
    CHECK(st.s.get(st.path("/exports/service-records?year=2026"), admin).status == 200);
    CHECK(st.s.get(st.path("/claims"), admin).status == 403);
    CHECK(st.s.get(st.path("/hours"), admin).status == 403);
}
