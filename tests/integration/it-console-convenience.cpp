// SPDX-License-Identifier: MIT
// The 便民服务站 pages of the staff console, from the server's side: every module the console
// imports is served (a missing one blanks the whole console, not just one page), and what the
// service editor and the holiday-calendar page send is accepted and read back in the shape they
// read it, so a page reopened shows what staff saved.
#include <regex>
#include <set>

#include "it-convenience-fixture.hpp"

using namespace convenience_test;

namespace {
// The relative module specifiers a file imports: `import … from "./x.js"` and `import "./y.js"`.
std::vector<std::string> imports_of(const std::string& source) {
    static const std::regex kImport(R"(import\s+(?:[^"';]*?\s+from\s+)?["'](\.{1,2}/[^"']+)["'])");
    std::vector<std::string> out;
    for (std::sregex_iterator it(source.begin(), source.end(), kImport), end; it != end; ++it) out.push_back((*it)[1]);
    return out;
}

// "/console/pages/convenience/day-sheet.js" + "../../lib/ui.js" → "/console/lib/ui.js"
std::string resolve(const std::string& from, const std::string& spec) {
    std::vector<std::string> parts;
    std::string dir = from.substr(0, from.rfind('/'));
    for (size_t at = 1, next; at <= dir.size(); at = next + 1) {
        next = dir.find('/', at);
        if (next == std::string::npos) next = dir.size();
        parts.push_back(dir.substr(at, next - at));
    }
    for (size_t at = 0, next; at < spec.size(); at = next + 1) {
        next = spec.find('/', at);
        if (next == std::string::npos) next = spec.size();
        std::string part = spec.substr(at, next - at);
        if (part == "..") parts.pop_back();
        else if (part != ".") parts.push_back(part);
    }
    std::string path;
    for (const auto& p : parts) path += "/" + p;
    return path;
}
}  // namespace

TEST_CASE("every module the console imports is served, the station's pages among them") {
    TestServer s([](yz::Config& c) { c.console_dir = yz::test::source_dir() + "/web/console"; });
    std::set<std::string> seen;
    std::vector<std::string> todo = {"/console/console.js"};
    while (!todo.empty()) {
        std::string path = todo.back();
        todo.pop_back();
        if (!seen.insert(path).second) continue;
        auto file = s.get(path);
        INFO("module " << path);
        REQUIRE(file.status == 200);
        CHECK(file.header("Content-Type").find("javascript") != std::string::npos);
        for (const auto& spec : imports_of(file.text)) todo.push_back(resolve(path, spec));
    }
    // The walk reached the station's pages through the page registry, not by luck.
    for (const char* page : {"index", "day-sheet", "checkin", "approvals", "booking-actions", "services", "service-list",
                             "service-editor", "hours-editor", "intake-form-editor", "calendar", "households", "ratings",
                             "suspensions", "dashboard"})
        CHECK_MESSAGE(seen.count("/console/pages/convenience/" + std::string(page) + ".js") == 1, page);
    for (const char* lib : {"form", "confirm", "chart"}) CHECK_MESSAGE(seen.count("/console/lib/" + std::string(lib) + ".js") == 1, lib);
}

TEST_CASE("a service as the console's editor sends it is saved and read back field for field") {
    Station st;
    // What service-editor.js sends: every rule, an empty quota as null, the hours' holiday settings,
    // exceptions from its rows, and a choice field from its form editor.
    json sent = json::parse(R"({
      "name": "家电维修", "category": "生活", "location": "二楼维修点", "description": "小家电免费检修",
      "slot_minutes": 60, "capacity": 2,
      "hours": {"weekly": {"sat": ["09:00-12:00", "14:00-17:00"]}, "holidays": "ignore", "makeup_workday_as": "fri",
                "exceptions": [{"date": "2026-02-21", "closed": true, "note": "培训"},
                               {"date": "2026-02-22", "hours": ["09:00-12:00"], "note": "周日加开"}]},
      "rules": {"min_notice_minutes": 120, "max_days_ahead": 7, "cancel_cutoff_minutes": 30,
                "quota": null, "household_quota": {"count": 2, "per": "month"},
                "approval_required": true, "proxy_booking_allowed": false},
      "form": [{"name": "appliance", "label": "电器类型", "type": "choice", "required": true,
                "options": ["冰箱", "洗衣机", "电视"]}]})");
    Response created = st.s.post(st.path("/services"), sent, st.staff);
    REQUIRE_MESSAGE(created.status == 201, created.text);
    Response read = st.s.get(st.path("/services/" + std::to_string(created.body["id"].get<int64_t>())), st.staff);
    REQUIRE(read.status == 200);
    const json& got = read.body;
    for (const char* key : {"name", "category", "location", "description", "slot_minutes", "capacity", "form"})
        CHECK_MESSAGE(got[key] == sent[key], key);
    CHECK(got["hours"]["weekly"]["sat"] == sent["hours"]["weekly"]["sat"]);
    CHECK(got["hours"]["holidays"] == "ignore");
    CHECK(got["hours"]["makeup_workday_as"] == "fri");
    CHECK(got["hours"]["exceptions"] == sent["hours"]["exceptions"]);
    CHECK(got["rules"] == sent["rules"]);
    // Saved as sent, it opens on the weekday it names and the exception it was given.
    CHECK(st.day(created.body["id"], "2026-02-21")["open"] == false);
    CHECK(st.day(created.body["id"], "2026-02-22")["hours"] == json::array({"09:00-12:00"}));
}

TEST_CASE("the holiday calendar as the console's page sends it is kept, and read back as the page lists it") {
    Station st;
    json sent = {{"holidays", json::array({{{"date", "2026-01-01"}, {"name", "元旦"}},
                                           {{"from", "2026-10-01"}, {"to", "2026-10-07"}, {"name", "国庆节"}}})},
                 {"workdays", json::array({{{"date", "2026-10-10"}, {"name", "国庆节调休"}}})}};
    Response put = st.s.put(st.path("/calendar"), sent, st.staff);
    REQUIRE_MESSAGE(put.status == 200, put.text);
    Response got = st.s.get(st.path("/calendar"));
    REQUIRE(got.status == 200);
    CHECK(got.body == sent);
    CHECK(st.s.put(st.path("/calendar"), sent, st.zhang).status == 403);
}
