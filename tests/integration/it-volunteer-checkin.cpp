// SPDX-License-Identifier: MIT
// 志愿者工作站 end to end, part 3: serving. The station's screen shows a rotating code signed by
// the server; a volunteer scans it to check in and out, and the time served becomes pending
// hours. An expired code, another post's code and a doctored code are refused; staff check people
// in by hand with an audited reason; a check-in nobody closed is closed by the scheduler, flagged.
#include "it-volunteer-fixture.hpp"

using namespace volunteer_test;

TEST_CASE("the screen's code checks a volunteer in and out and the time served becomes pending hours") {
    Station st;
    int64_t post = st.post(st.project());
    st.claimed(st.zhang, post);

    st.set_clock("2026-03-07 08:25");
    Response early = st.scan(st.zhang, post, "check-in", st.code(post));
    CHECK(early.status == 422);
    CHECK(early.body["error"]["code"] == "outside_window");
    CHECK(early.body["error"]["details"]["opens_at"] == iso("2026-03-07 08:30"));

    st.set_clock("2026-03-07 08:50");
    Response in = st.scan(st.zhang, post, "check-in", st.code(post));
    REQUIRE_MESSAGE(in.status == 201, in.text);
    CHECK(in.body["in_method"] == "qr");
    CHECK(in.body["place"] == "幸福路口");
    CHECK(in.body["checked_in_at"] == iso("2026-03-07 08:50"));
    CHECK(st.scan(st.zhang, post, "check-in", st.code(post)).body["error"]["code"] == "already_checked_in");
    // li has no claim on this post: a valid code is not enough.
    CHECK(st.scan(st.li, post, "check-in", st.code(post)).body["error"]["code"] == "not_claimed");
    CHECK(st.scan(st.li, post, "check-out", st.code(post)).body["error"]["code"] == "not_checked_in");

    st.set_clock("2026-03-07 11:10");
    Response out = st.scan(st.zhang, post, "check-out", st.code(post));
    REQUIRE_MESSAGE(out.status == 200, out.text);
    CHECK(out.body["out_method"] == "qr");
    CHECK(out.body["flagged"] == false);
    Response hours = st.s.get(st.path("/my/hours"), st.zhang);
    REQUIRE(hours.body["items"].size() == 1);
    json record = hours.body["items"][0];
    CHECK(record["id"] == out.body["hours_record_id"]);
    CHECK(record["status"] == "pending");
    // Counted from the shift's start to its end, not from the early arrival or the late scan.
    CHECK(record["started_at"] == iso("2026-03-07 09:00"));
    CHECK(record["ended_at"] == iso("2026-03-07 11:00"));
    CHECK(record["minutes"] == 120);
    CHECK(record["source"] == "shift");
    CHECK(hours.body["pending_minutes"] == 120);
    CHECK(st.count("SELECT count(*) FROM core_jobs WHERE station = 'volunteer' AND kind = 'auto_close' AND state = 'cancelled'") == 1);
}

TEST_CASE("an expired code and another post's code and a doctored code are refused") {
    Station st;
    int64_t project = st.project();
    int64_t post = st.post(project);
    int64_t other = st.post(project, {{"role", "公园巡查"}, {"location", "幸福公园"}});
    st.claimed(st.zhang, post);

    st.set_clock("2026-03-07 08:40");
    std::string code = st.code(post, "east-gate");
    std::string foreign = st.code(other, "east-gate");
    CHECK(code != foreign);
    Response wrong_post = st.scan(st.zhang, post, "check-in", foreign);
    CHECK(wrong_post.status == 422);
    CHECK(wrong_post.body["error"]["code"] == "code_wrong_post");

    // Any change to what was signed breaks the signature: the place, the tick, the post, a character.
    std::string moved = code.substr(0, code.rfind('.') + 1) + "home";
    CHECK(st.scan(st.zhang, post, "check-in", moved).body["error"]["code"] == "code_invalid");
    std::string retimed = code;
    size_t tick_end = retimed.find('.', retimed.find('.') + 1);
    retimed[tick_end - 1] = retimed[tick_end - 1] == '9' ? '8' : static_cast<char>(retimed[tick_end - 1] + 1);
    CHECK(st.scan(st.zhang, post, "check-in", retimed).body["error"]["code"] == "code_invalid");
    std::string resigned = code;
    resigned[tick_end + 5] = resigned[tick_end + 5] == 'A' ? 'B' : 'A';
    CHECK(st.scan(st.zhang, post, "check-in", resigned).body["error"]["code"] == "code_invalid");
    CHECK(st.scan(st.zhang, post, "check-in", "hello").body["error"]["code"] == "code_invalid");
    CHECK(st.count("SELECT count(*) FROM volunteer_attendance") == 0);

    // Shown at 08:40:00, the code still works 59 seconds later and not a second after that.
    st.set_clock_ms(beijing("2026-03-07 08:40") + 59'000);
    Response in = st.scan(st.zhang, post, "check-in", code);
    REQUIRE_MESSAGE(in.status == 201, in.text);
    CHECK(in.body["place"] == "east-gate");
    st.set_clock("2026-03-07 08:41");
    Response stale = st.scan(st.zhang, post, "check-out", code);
    CHECK(stale.status == 422);
    CHECK(stale.body["error"]["code"] == "code_expired");
    CHECK(st.count("SELECT count(*) FROM volunteer_attendance WHERE checked_out_at IS NULL") == 1);
}

TEST_CASE("staff check a volunteer in and out by hand with a reason and it is audited") {
    Station st;
    int64_t post = st.post(st.project());
    st.claimed(st.zhang, post);
    st.set_clock("2026-03-07 09:05");
    int64_t zhang = st.uid("zhang");
    CHECK(st.s.post(st.path("/posts", post, "/manual-check-in"), {{"user_id", zhang}}, st.staff).status == 422);
    CHECK(st.s.post(st.path("/posts", post, "/manual-check-in"), {{"user_id", st.uid("li")}, {"reason", "手机没电"}}, st.staff)
              .body["error"]["code"] == "not_claimed");
    CHECK(st.s.post(st.path("/posts", post, "/manual-check-in"), {{"user_id", zhang}, {"reason", "手机没电"}}, st.zhang).status == 403);
    Response in = st.s.post(st.path("/posts", post, "/manual-check-in"), {{"user_id", zhang}, {"reason", "手机没电"}}, st.staff);
    REQUIRE_MESSAGE(in.status == 201, in.text);
    CHECK(in.body["in_method"] == "manual");
    int64_t attendance = in.body["id"];

    st.set_clock("2026-03-07 12:00");
    Response out = st.s.post(st.path("/attendance", attendance, "/manual-check-out"), {{"reason", "忘记签退"}, {"at", iso("2026-03-07 10:30")}},
                             st.staff);
    REQUIRE_MESSAGE(out.status == 200, out.text);
    CHECK(out.body["out_method"] == "manual");
    CHECK(out.body["checked_out_at"] == iso("2026-03-07 10:30"));
    CHECK(st.s.get(st.path("/hours", out.body["hours_record_id"].get<int64_t>()), st.zhang).body["minutes"] == 85);
    CHECK(st.s.post(st.path("/attendance", attendance, "/manual-check-out"), {{"reason", "再来一次"}}, st.staff).status == 409);
    CHECK(st.count("SELECT count(*) FROM core_audit WHERE station = 'volunteer' AND action = 'attendance.manual_check_in' "
                   "AND json_extract(detail, '$.reason') = '手机没电' AND actor_user_id = " + std::to_string(st.uid("wang"))) == 1);
    CHECK(st.count("SELECT count(*) FROM core_audit WHERE station = 'volunteer' AND action = 'attendance.manual_check_out' "
                   "AND json_extract(detail, '$.reason') = '忘记签退'") == 1);
}

TEST_CASE("a check-in left open past the window is closed by the scheduler and flagged for review") {
    Station st;
    int64_t post = st.post(st.project());
    st.claimed(st.zhang, post);
    st.claimed(st.li, post);
    st.set_clock("2026-03-07 08:55");
    REQUIRE(st.scan(st.zhang, post, "check-in", st.code(post)).status == 201);
    int64_t li_record = st.serve(st.li, post, "2026-03-07 09:00", "2026-03-07 10:00");

    st.set_clock("2026-03-07 11:29");
    st.s.app().scheduler().run_due();  // the day-before shift reminders, not the auto-close yet
    CHECK(st.count("SELECT count(*) FROM volunteer_attendance WHERE checked_out_at IS NULL") == 1);
    st.set_clock("2026-03-07 11:30");
    CHECK(st.s.app().scheduler().run_due() == 1);
    Response list = st.s.get(st.path("/posts", post, "/attendance"), st.staff);
    REQUIRE(list.body["items"].size() == 2);
    json closed = list.body["items"][0];
    CHECK(closed["user_id"] == st.uid("zhang"));
    CHECK(closed["out_method"] == "auto");
    CHECK(closed["flagged"] == true);
    CHECK(closed["checked_out_at"] == iso("2026-03-07 11:00"));

    // Flagged records come first in the review queue, whatever their age.
    Response queue = st.s.get(st.path("/hours?status=pending"), st.staff);
    REQUIRE(queue.body["items"].size() == 2);
    CHECK(queue.body["items"][0]["flagged"] == true);
    CHECK(queue.body["items"][0]["source"] == "auto_closed");
    CHECK(queue.body["items"][0]["minutes"] == 120);
    CHECK(queue.body["items"][1]["id"] == li_record);
    CHECK(queue.body["items"][1]["flagged"] == false);

    // The scheduler promises at least once: running the job again closes nothing twice.
    {
        yz::Conn& c = st.s.app().db().conn();
        c.exec("INSERT INTO core_jobs(station, kind, due_at, payload, created_at) SELECT station, kind, due_at, payload, created_at "
               "FROM core_jobs WHERE station = 'volunteer' AND kind = 'auto_close' AND state = 'done'");
    }
    CHECK(st.s.app().scheduler().run_due() == 1);
    CHECK(st.count("SELECT count(*) FROM volunteer_hours") == 2);
}

TEST_CASE("an ongoing post takes check-ins any day and a forgotten one closes at midnight") {
    Station st;
    int64_t post = st.post(st.project(), {{"role", "楼栋联络员"}, {"time_type", "ongoing"}, {"starts_at", nullptr}, {"ends_at", nullptr}});
    st.claimed(st.zhang, post);
    REQUIRE(st.scan(st.zhang, post, "check-in", st.code(post)).status == 201);
    st.set_clock("2026-03-03 00:29");
    CHECK(st.s.app().scheduler().run_due() == 0);
    st.set_clock("2026-03-03 00:30");
    CHECK(st.s.app().scheduler().run_due() == 1);
    Response hours = st.s.get(st.path("/my/hours"), st.zhang);
    REQUIRE(hours.body["items"].size() == 1);
    CHECK(hours.body["items"][0]["minutes"] == 14 * 60);
    CHECK(hours.body["items"][0]["ended_at"] == iso("2026-03-03 00:00"));
    CHECK(hours.body["items"][0]["flagged"] == true);
}
