// SPDX-License-Identifier: MIT
// 便民服务站: staff changes and exports. Staff cancel a booking only with a reason, which the
// resident (and whoever booked for them) hear as "changed or cancelled by staff"; staff export
// bookings as CSV that Excel opens with its Chinese intact and quoted correctly.
#include "it-convenience-fixture.hpp"

using namespace convenience_test;

namespace {
// The CSV's lines without the byte-order mark, split on CRLF (quoted fields here hold no CRLF).
std::vector<std::string> lines_of(const std::string& csv) {
    std::vector<std::string> out;
    size_t at = 3;
    for (size_t end; (end = csv.find("\r\n", at)) != std::string::npos; at = end + 2) out.push_back(csv.substr(at, end - at));
    return out;
}
}  // namespace

TEST_CASE("staff cancel with a reason, and the resident and their proxy hear it was staff") {
    Station st;
    int64_t id = st.define({{"rules", {{"proxy_booking_allowed", true}}}});
    std::string grid = st.s.login("grid-chen", {"grid:3"});
    Response booked = st.s.post(st.path("/services/" + std::to_string(id) + "/bookings"),
                                {{"start", iso("2026-02-11 09:00")}, {"for_user_id", st.s.user_id("zhang")}}, grid,
                                {{"Idempotency-Key", "g"}});
    REQUIRE(booked.status == 201);
    int64_t booking = booked.body["id"];

    Response no_reason = st.act(st.staff, booking, "cancel");
    CHECK(no_reason.status == 422);
    CHECK(error_code(no_reason) == "reason_required");
    CHECK(st.booking(st.zhang, booking).body["state"] == "confirmed");

    Response cancelled = st.act(st.staff, booking, "cancel", {{"reason", "社保系统升级，暂停办理"}});
    REQUIRE(cancelled.status == 200);
    CHECK(cancelled.body["state"] == "cancelled");
    CHECK(cancelled.body["reason"] == "社保系统升级，暂停办理");
    auto told = st.notices("convenience.changed_by_staff");
    REQUIRE(told.size() == 2);
    CHECK(told[0]["user_id"] == st.s.user_id("zhang"));
    CHECK(told[1]["user_id"] == st.s.user_id("grid-chen"));
    for (const auto& t : told) {
        CHECK(t["change"] == "cancelled");
        CHECK(t["reason"] == "社保系统升级，暂停办理");
        CHECK(t["time"] == "2026-02-11 09:00-09:30");
    }
    CHECK(st.notices("convenience.cancelled").empty());
    CHECK(st.count("SELECT count(*) FROM core_audit WHERE station = 'convenience' AND action = 'convenience_booking.cancel' "
                   "AND json_extract(detail, '$.reason') = '社保系统升级，暂停办理'") == 1);
}

TEST_CASE("bookings export as CSV for Excel: BOM, CRLF, quoting, Chinese, formulas defused") {
    Station st;
    json form = json::parse(R"([{"name": "note", "label": "备注", "type": "text", "max_length": 200}])");
    int64_t id = st.define({{"form", form}});
    int64_t other = st.define({{"name", "理发"}});
    st.booked(st.zhang, id, "2026-02-11 09:00", "a", {{"note", "带\"户口本\", 身份证"}});
    int64_t second = st.booked(st.li, id, "2026-02-12 09:00", "b");
    st.booked(st.li, other, "2026-02-11 10:00", "c");
    st.booked(st.li, id, "2026-02-24 09:00", "d");  // outside the range asked for below
    // A reason a resident typed that a spreadsheet would run as a formula.
    REQUIRE(st.act(st.li, second, "cancel", {{"reason", "=HYPERLINK(\"http://x\",\"点我\")"}}).status == 200);

    Response r = st.s.get(st.path("/exports/bookings?from=2026-02-01&to=2026-02-20&service_id=" + std::to_string(id)), st.staff);
    REQUIRE(r.status == 200);
    CHECK(r.header("Content-Type").find("text/csv") == 0);
    CHECK(r.header("Content-Type").find("charset=utf-8") != std::string::npos);
    CHECK(r.header("Content-Disposition").find("attachment") == 0);
    REQUIRE(r.text.size() > 3);
    CHECK(r.text.substr(0, 3) == "\xEF\xBB\xBF");
    auto lines = lines_of(r.text);
    REQUIRE(lines.size() == 3);  // header and two bookings of this service from 1 to 20 February
    CHECK(lines[0].find("预约编号,预约码,服务,地点,时段,状态,居民编号,居民") == 0);
    CHECK(lines[1].find(",社保认证,一楼 3 号窗口,2026-02-11 09:00-09:30,已确认,") != std::string::npos);
    // A form answer with quotes and a comma: one quoted field, quotes doubled.
    CHECK(lines[1].find(R"("{""note"":""带\""户口本\"", 身份证""}")") != std::string::npos);
    CHECK(lines[2].find(",已取消,") != std::string::npos);
    CHECK(lines[2].find(R"csv(,"'=HYPERLINK(""http://x"",""点我"")",)csv") != std::string::npos);

    // All services, and a range with nothing in it.
    CHECK(lines_of(st.s.get(st.path("/exports/bookings?from=2026-02-01&to=2026-02-28"), st.staff).text).size() == 5);
    CHECK(lines_of(st.s.get(st.path("/exports/bookings?from=2026-01-01&to=2026-01-31"), st.staff).text).size() == 1);
    CHECK(error_code(st.s.get(st.path("/exports/bookings?from=2026-01-01&to=2027-06-01"), st.staff)) == "invalid_range");
    CHECK(st.s.get(st.path("/exports/bookings"), st.zhang).status == 403);
}
