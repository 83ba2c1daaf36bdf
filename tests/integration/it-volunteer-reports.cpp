// SPDX-License-Identifier: MIT
// 志愿者工作站 end to end, part 6: the year's reports. 双报到 compliance for a seeded year matches
// the numbers worked out by hand, per member and per unit, filtered and as CSV; the claim-deadline
// job reminds exactly the members and unit contacts who have not claimed, once; a volunteer's
// certificate is checked at a public URL that shows only name, hours, period and issuer; approved
// service records export as CSV for the national volunteer system.
#include <set>

#include "it-volunteer-fixture.hpp"

using namespace volunteer_test;

namespace {
int64_t unit(Station& st, const std::string& name, const std::string& contact) {
    st.s.login(contact, {"unit_contact"});
    Response r = st.s.post(st.path("/units"), {{"name", name}, {"contact_user_id", st.uid(contact)}}, st.staff);
    REQUIRE_MESSAGE(r.status == 201, r.text);
    return r.body["id"].get<int64_t>();
}
void declare(Station& st, const std::string& token, int64_t year, const json& unit_id, bool in_service, const std::string& org = "") {
    Response r = st.s.put(st.path("/my/declaration"), {{"year", year}, {"unit_id", unit_id}, {"in_service", in_service}, {"public_org", org}}, token);
    REQUIRE_MESSAGE(r.status == 200, r.text);
}
int64_t walk_in(Station& st, const std::string& name, int64_t project, const std::string& date, int64_t minutes) {
    Response r = st.s.post(st.path("/hours/walk-in"), {{"user_id", st.uid(name)}, {"project_id", project}, {"date", date}, {"minutes", minutes}},
                           st.staff);
    REQUIRE_MESSAGE(r.status == 201, r.text);
    return r.body["id"].get<int64_t>();
}
std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    size_t at = 0;
    while (at < text.size()) {
        size_t end = text.find("\r\n", at);
        if (end == std::string::npos) end = text.size();
        out.push_back(text.substr(at, end - at));
        at = end + 2;
    }
    return out;
}
json by_name(const json& items, const std::string& key, const std::string& name) {
    for (const auto& it : items)
        if (it[key] == name) return it;
    FAIL("no row for " << name);
    return json();
}

// 2026, worked out by hand:
//   unit A (税务局): zhang claimed X and served 2 h; ma claimed X, served nothing. A completed P1.
//   unit B (医院):   he joined 蓝天救援队 instead; luo's claim on Y is still pending; gao did nothing.
//                   B claimed P1 but has not completed it.
//   unit C (教育局): no members, no claim.
//   Noise that must not count: zhang's 1 h on a 2025 project, tang declared only for 2025.
struct SeededYear {
    Station& st;
    int64_t a, b, c, p1, p0, x, y;
    std::string ma, he, luo, gao, tang;
    explicit SeededYear(Station& s) : st(s) {
        a = unit(st, "区税务局机关党委", "chen");
        b = unit(st, "市第一医院党委", "zhou");
        c = unit(st, "区教育局党委", "qian");
        p1 = st.project();
        p0 = st.project({{"year", 2025}, {"title", "2025 旧项目"}});
        x = st.post(p1, {{"spots", 10}});
        y = st.post(p1, {{"role", "楼栋联络员"}, {"time_type", "ongoing"}, {"starts_at", nullptr}, {"ends_at", nullptr}, {"approval_required", true}});
        int64_t z = st.post(p0, {{"time_type", "ongoing"}, {"starts_at", nullptr}, {"ends_at", nullptr}});
        ma = st.volunteer("ma", {"member"}, "马明", "1982-01-01");
        he = st.volunteer("he", {"member"}, "何平", "1960-01-01");
        luo = st.volunteer("luo", {"member"}, "罗兰", "1988-01-01");
        gao = st.volunteer("gao", {"member"}, "高远", "1979-01-01");
        tang = st.volunteer("tang", {"member"}, "唐宁", "1970-01-01");
        declare(st, st.zhang, 2026, a, true);
        declare(st, ma, 2026, a, true);
        declare(st, he, 2026, b, false, "蓝天救援队");
        declare(st, luo, 2026, b, true);
        declare(st, gao, 2026, b, true);
        declare(st, tang, 2025, a, true);
        st.claimed(st.zhang, x);
        st.claimed(ma, x);
        st.claimed(luo, y);
        st.claimed(tang, z);
        walk_in(st, "zhang", p0, "2025-11-01", 60);
        int64_t uc_a = st.s.post(st.path("/projects", p1, "/unit-claims"), json::object(), st.s.login("chen", {"unit_contact"})).body["id"];
        REQUIRE(st.s.post(st.path("/projects", p1, "/unit-claims"), json::object(), st.s.login("zhou", {"unit_contact"})).status == 201);
        REQUIRE(st.act(st.staff, "/unit-claims", uc_a, "complete").status == 200);
        int64_t served = st.serve(st.zhang, x, "2026-03-07 09:00", "2026-03-07 11:00");
        REQUIRE(st.act(st.staff, "/hours", served, "approve").status == 200);
    }
};
}  // namespace

TEST_CASE("compliance numbers for a seeded year match the hand-computed ones") {
    Station st;
    SeededYear year(st);

    Response members = st.s.get(st.path("/reports/compliance/members?year=2026"), st.staff);
    REQUIRE_MESSAGE(members.status == 200, members.text);
    // Five declared for 2026; tang, a member who declared only for 2025, is listed as not declared.
    CHECK(members.body["summary"] ==
          json{{"members", 6}, {"declared", 5}, {"claimed", 2}, {"served", 1}, {"compliant", 3}, {"minutes", 120}, {"hours", 2.0}});
    json items = members.body["items"];
    json zhang = by_name(items, "name", "张伟");
    CHECK(zhang["claimed"] == true);
    CHECK(zhang["served"] == true);
    CHECK(zhang["minutes"] == 120);
    CHECK(zhang["unit_name"] == "区税务局机关党委");
    json ma = by_name(items, "name", "马明");
    CHECK(ma["claimed"] == true);
    CHECK(ma["served"] == false);
    CHECK(by_name(items, "name", "何平")["compliant"] == true);
    CHECK(by_name(items, "name", "何平")["claimed"] == false);
    CHECK(by_name(items, "name", "罗兰")["compliant"] == false);
    CHECK(by_name(items, "name", "罗兰")["pending_claims"] == 1);
    CHECK(by_name(items, "name", "高远")["compliant"] == false);
    json tang = by_name(items, "name", "唐宁");
    CHECK(tang["declared"] == false);
    CHECK(tang["compliant"] == false);
    CHECK(tang["unit_id"].is_null());
    CHECK(tang["in_service"].is_null());

    std::set<std::string> not_compliant;
    Response failing = st.s.get(st.path("/reports/compliance/members?year=2026&compliant=0"), st.staff);
    for (const auto& m : failing.body["items"]) not_compliant.insert(m["name"].get<std::string>());
    CHECK(not_compliant == std::set<std::string>{"罗兰", "高远", "唐宁"});
    CHECK(st.s.get(st.path("/reports/compliance/members?year=2026&unit_id=" + std::to_string(year.a)), st.staff).body["items"].size() == 2);
    CHECK(st.s.get(st.path("/reports/compliance/members?year=2026&in_service=0"), st.staff).body["items"][0]["name"] == "何平");
    // The 2025 list is tang alone, with 2025's claim (roles are known as of now, so a past year lists
    // only who declared); zhang's 2025 hour is not 2026's.
    Response last_year = st.s.get(st.path("/reports/compliance/members?year=2025"), st.staff);
    REQUIRE(last_year.body["items"].size() == 1);
    CHECK(last_year.body["items"][0]["name"] == "唐宁");
    CHECK(last_year.body["items"][0]["claimed"] == true);

    Response units = st.s.get(st.path("/reports/compliance/units?year=2026"), st.staff);
    REQUIRE(units.status == 200);
    CHECK(units.body["summary"] == json{{"units", 3}, {"claimed", 2}, {"compliant", 1}});
    json a = by_name(units.body["items"], "unit_name", "区税务局机关党委");
    CHECK(a["claimed_projects"] == 1);
    CHECK(a["completed_projects"] == 1);
    CHECK(a["members_declared"] == 2);
    CHECK(a["members_compliant"] == 2);
    CHECK(a["compliant"] == true);
    json b = by_name(units.body["items"], "unit_name", "市第一医院党委");
    CHECK(b["claimed"] == true);
    CHECK(b["compliant"] == false);
    CHECK(b["members_declared"] == 3);
    CHECK(b["members_compliant"] == 1);
    CHECK(by_name(units.body["items"], "unit_name", "区教育局党委")["claimed"] == false);
    CHECK(st.s.get(st.path("/reports/compliance/units?year=2026&compliant=1"), st.staff).body["items"].size() == 1);
}

TEST_CASE("compliance downloads as CSV with a UTF-8 byte-order mark") {
    Station st;
    SeededYear year(st);
    Response csv = st.s.get(st.path("/reports/compliance/members?year=2026&format=csv"), st.staff);
    REQUIRE(csv.status == 200);
    CHECK(csv.header("Content-Type").find("text/csv") == 0);
    CHECK(csv.header("Content-Disposition").find("compliance-members-2026.csv") != std::string::npos);
    REQUIRE(csv.text.substr(0, 3) == "\xEF\xBB\xBF");
    auto rows = lines(csv.text.substr(3));
    REQUIRE(rows.size() == 7);
    CHECK(rows[0] == "姓名,是否报到,报到单位,是否在职,认领岗位数,是否已认领,是否已服务,服务时长(小时),公益组织,是否达标");
    std::set<std::string> body(rows.begin() + 1, rows.end());
    CHECK(body.count("张伟,是,区税务局机关党委,是,1,是,是,2.00,,是") == 1);
    CHECK(body.count("何平,是,市第一医院党委,否,0,否,否,0.00,蓝天救援队,是") == 1);
    CHECK(body.count("高远,是,市第一医院党委,是,0,否,否,0.00,,否") == 1);
    CHECK(body.count("唐宁,否,,,0,否,否,0.00,,否") == 1);

    Response units = st.s.get(st.path("/reports/compliance/units?year=2026&format=csv"), st.staff);
    auto unit_rows = lines(units.text.substr(3));
    REQUIRE(unit_rows.size() == 4);
    CHECK(std::set<std::string>(unit_rows.begin() + 1, unit_rows.end()).count("区税务局机关党委,chen,1,1,2,2,是") == 1);
}

TEST_CASE("the claim-deadline job reminds exactly the members who have not claimed or not declared, and unit contacts, only once") {
    Station st;
    SeededYear year(st);
    CHECK(st.count("SELECT count(*) FROM core_jobs WHERE station = 'volunteer' AND kind = 'claim_deadline' AND dedupe_key = 'claim_deadline:2026' "
                   "AND due_at = " + std::to_string(beijing("2026-03-31 09:00"))) == 1);
    st.set_clock("2026-03-31 08:59");
    st.s.app().scheduler().run_due();  // shift reminders and auto-closes long due, not the deadline yet
    CHECK(st.notices("volunteer.claim_reminder").empty());

    st.set_clock("2026-03-31 09:00");
    CHECK(st.s.app().scheduler().run_due() == 1);
    auto members = st.notices("volunteer.claim_reminder");
    REQUIRE(members.size() == 1);  // gao: not luo (claim pending), not he (public-interest organisation)
    CHECK(members[0]["user_id"] == st.uid("gao"));
    CHECK(members[0]["year"] == 2026);
    CHECK(members[0]["deadline"] == "2026-03-31");
    // tang holds the member role and declared only for 2025: asked to declare for 2026.
    auto undeclared = st.notices("volunteer.declare_reminder");
    REQUIRE(undeclared.size() == 1);
    CHECK(undeclared[0]["user_id"] == st.uid("tang"));
    CHECK(undeclared[0]["deadline"] == "2026-03-31");
    auto units = st.notices("volunteer.unit_claim_reminder");
    REQUIRE(units.size() == 1);
    CHECK(units[0]["user_id"] == st.uid("qian"));
    CHECK(units[0]["unit"] == "区教育局党委");

    {
        yz::Conn& c = st.s.app().db().conn();
        c.exec("INSERT INTO core_jobs(station, kind, due_at, payload, created_at) SELECT station, kind, due_at, payload, created_at "
               "FROM core_jobs WHERE station = 'volunteer' AND kind = 'claim_deadline' AND state = 'done'");
    }
    CHECK(st.s.app().scheduler().run_due() == 1);
    CHECK(st.notices("volunteer.claim_reminder").size() == 1);
    CHECK(st.notices("volunteer.declare_reminder").size() == 1);
    CHECK(st.notices("volunteer.unit_claim_reminder").size() == 1);
}

TEST_CASE("a certificate is checked at a public URL that shows only name hours period and issuer") {
    Station st;
    int64_t project = st.project();
    walk_in(st, "zhang", project, "2026-03-01", 90);
    st.set_clock("2026-03-05 18:00");
    walk_in(st, "zhang", project, "2026-03-05", 150);

    Response record = st.s.get(st.path("/my/record"), st.zhang);
    REQUIRE(record.status == 200);
    CHECK(record.body["total_minutes"] == 240);
    CHECK(record.body["total_hours"] == 4.0);
    REQUIRE(record.body["projects"].size() == 1);
    CHECK(record.body["projects"][0]["title"] == "文明交通劝导");
    CHECK(st.s.get(st.path("/volunteers", st.uid("zhang"), "/record"), st.staff).body == record.body);

    Response none = st.s.post(st.path("/my/certificates"), {{"from", "2026-04-01"}}, st.zhang);
    CHECK(none.status == 422);
    CHECK(none.body["error"]["code"] == "no_service");
    Response cert = st.s.post(st.path("/my/certificates"), json::object(), st.zhang);
    REQUIRE_MESSAGE(cert.status == 201, cert.text);
    CHECK(cert.body["hours"] == 4.0);
    CHECK(cert.body["period"] == json{{"from", "2026-03-01"}, {"to", "2026-03-05"}});
    std::string code = cert.body["code"];
    CHECK(code.size() == 12);

    Response check = st.s.get(cert.body["verify_url"].get<std::string>());
    REQUIRE(check.status == 200);
    CHECK(check.body == json{{"name", "张伟"}, {"hours", 4.0}, {"period", {{"from", "2026-03-01"}, {"to", "2026-03-05"}}}, {"issuer", "幸福里社区党委"}});
    std::string typed;
    for (char ch : code) typed += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    typed.insert(4, "-");
    CHECK(st.s.get(st.path("/certificates/" + typed)).body["name"] == "张伟");
    CHECK(st.s.get(st.path("/certificates/ABCDEFGHJKMN")).status == 404);

    Response partial = st.s.post(st.path("/my/certificates"), {{"from", "2026-03-02"}, {"to", "2026-03-31"}}, st.zhang);
    CHECK(partial.body["hours"] == 2.5);
    CHECK(partial.body["period"] == json{{"from", "2026-03-02"}, {"to", "2026-03-31"}});

    int64_t id = cert.body["id"];
    Response page = st.s.get(st.path("/my/certificates", id), st.zhang);
    REQUIRE(page.status == 200);
    CHECK(page.header("Content-Type").find("text/html") == 0);
    CHECK(page.text.find("张伟") != std::string::npos);
    CHECK(page.text.find(code) != std::string::npos);
    CHECK(page.text.find("幸福里社区党委") != std::string::npos);
    CHECK(st.s.get(st.path("/my/certificates", id), st.li).status == 404);
}

TEST_CASE("approved service records export as CSV with volunteer project date start end hours approver") {
    Station st;
    int64_t project = st.project();
    int64_t post = st.post(project);
    st.claimed(st.zhang, post);
    st.claimed(st.li, post);
    std::string sun = st.volunteer("sun", {}, "孙丽", "1985-01-01");
    st.claimed(sun, post);
    walk_in(st, "zhang", project, "2026-03-01", 90);
    int64_t zhang = st.serve(st.zhang, post, "2026-03-07 09:00", "2026-03-07 11:00");
    int64_t li = st.serve(st.li, post, "2026-03-07 09:30", "2026-03-07 10:40");
    st.serve(sun, post, "2026-03-07 09:10", "2026-03-07 10:00");  // left pending: not exported
    REQUIRE(st.act(st.staff, "/hours", zhang, "approve").status == 200);
    REQUIRE(st.act(st.staff, "/hours", li, "adjust", {{"minutes", 60}, {"reason", "中途离开 10 分钟"}}).status == 200);

    Response csv = st.s.get(st.path("/exports/service-records?year=2026"), st.staff);
    REQUIRE(csv.status == 200);
    CHECK(csv.header("Content-Type").find("text/csv") == 0);
    REQUIRE(csv.text.substr(0, 3) == "\xEF\xBB\xBF");
    auto rows = lines(csv.text.substr(3));
    REQUIRE(rows.size() == 4);
    CHECK(rows[0] == "志愿者姓名,服务项目,服务日期,开始时间,结束时间,服务时长(小时),审核人");
    CHECK(rows[1] == "张伟,文明交通劝导,2026-03-01,,,1.50,wang");
    CHECK(rows[2] == "张伟,文明交通劝导,2026-03-07,09:00,11:00,2.00,wang");
    CHECK(rows[3] == "李娜,文明交通劝导,2026-03-07,09:30,10:40,1.00,wang");

    Response day = st.s.get(st.path("/exports/service-records?from=2026-03-07&to=2026-03-07"), st.staff);
    CHECK(lines(day.text.substr(3)).size() == 3);
    CHECK(st.s.get(st.path("/exports/service-records?year=2025"), st.staff).text.substr(3) ==
          "志愿者姓名,服务项目,服务日期,开始时间,结束时间,服务时长(小时),审核人\r\n");
}
