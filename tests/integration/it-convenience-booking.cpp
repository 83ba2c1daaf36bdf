// SPDX-License-Identifier: MIT
// 便民服务站 end to end, part 2: the booking path. Every broken rule has its own code; a cancel
// inside the cut-off is refused, one before it frees the place; approvals, check-in by code,
// completed and no-show go through the workflow, which audits them; residents are told.
#include "it-convenience-fixture.hpp"

using namespace convenience_test;

TEST_CASE("a booking answers with its code, Beijing times and a queued 'booked' notice") {
    Station st;
    int64_t id = st.define();
    Response r = st.book(st.zhang, id, "2026-02-11 09:00", "k1");
    REQUIRE(r.status == 201);
    CHECK(r.body["state"] == "confirmed");
    CHECK(r.body["start"] == "2026-02-11T09:00:00+08:00");
    CHECK(r.body["end"] == "2026-02-11T09:30:00+08:00");
    CHECK(r.body["service"]["name"] == "社保认证");
    CHECK(r.body["cancellable"] == true);
    std::string code = r.body["code"];
    CHECK(code.size() == 8);
    auto booked = st.notices("convenience.booked");
    REQUIRE(booked.size() == 1);
    CHECK(booked[0]["user_id"] == st.s.user_id("zhang"));
    CHECK(booked[0]["time"] == "2026-02-11 09:00-09:30");
    CHECK(booked[0]["start"] == "2026-02-11T09:00:00+08:00");
    CHECK(booked[0]["code"] == code);
    CHECK(booked[0]["location"] == "一楼 3 号窗口");
    Response mine = st.s.get(st.path("/my/bookings"), st.zhang);
    REQUIRE(mine.body["items"].size() == 1);
    CHECK(mine.body["items"][0]["code"] == code);
    CHECK(st.s.get(st.path("/my/bookings"), st.li).body["items"].empty());
    CHECK(st.count("SELECT count(*) FROM core_audit WHERE station = 'convenience' AND action = 'booking.create'") == 1);
}

TEST_CASE("each broken rule has its own code") {
    Station st;
    json form = json::parse(R"([{"name": "phone", "label": "联系电话", "type": "phone", "required": true},
                                {"name": "topic", "label": "咨询事项", "type": "choice", "options": ["婚姻家庭", "劳动纠纷"]}])");
    int64_t id = st.define({{"form", form}, {"rules", {{"quota", {{"count", 2}, {"per", "week"}}}}}});
    json ok_form = {{"phone", "13800138000"}, {"topic", "劳动纠纷"}};

    SUBCASE("too_late: inside the minimum notice, or already past") {
        Response soon = st.book(st.zhang, id, "2026-02-10 10:30", "a", ok_form);
        CHECK(soon.status == 422);
        CHECK(error_code(soon) == "too_late");
        CHECK(error_code(st.book(st.zhang, id, "2026-02-10 09:00", "b", ok_form)) == "too_late");
        CHECK(st.book(st.zhang, id, "2026-02-10 11:00", "c", ok_form).status == 201);  // exactly an hour ahead
    }
    SUBCASE("too_far_ahead: beyond max_days_ahead Beijing days") {
        Response far = st.book(st.zhang, id, "2026-02-25 09:00", "a", ok_form);
        CHECK(far.status == 422);
        CHECK(error_code(far) == "too_far_ahead");
        CHECK(far.body["error"]["details"]["last_date"] == "2026-02-24");
        CHECK(st.book(st.zhang, id, "2026-02-24 16:30", "b", ok_form).status == 201);
    }
    SUBCASE("quota_exceeded: two a week per resident, counted by Beijing week") {
        st.booked(st.zhang, id, "2026-02-11 09:00", "a", ok_form);
        st.booked(st.zhang, id, "2026-02-12 09:00", "b", ok_form);
        Response third = st.book(st.zhang, id, "2026-02-13 09:00", "c", ok_form);
        CHECK(third.status == 422);
        CHECK(error_code(third) == "quota_exceeded");
        CHECK(third.body["error"]["details"]["per"] == "week");
        CHECK(st.book(st.li, id, "2026-02-13 09:00", "d", ok_form).status == 201);     // someone else's quota
        CHECK(st.book(st.zhang, id, "2026-02-24 09:00", "e", ok_form).status == 201);  // next week
        // Cancelling gives a booking back to the quota.
        Response mine = st.s.get(st.path("/my/bookings"), st.zhang);
        int64_t first = mine.body["items"].back()["id"];
        CHECK(st.act(st.zhang, first, "cancel").status == 200);
        CHECK(st.book(st.zhang, id, "2026-02-13 09:00", "f", ok_form).status == 201);
    }
    SUBCASE("form_invalid: per-field errors from the core's forms block") {
        Response bad = st.book(st.zhang, id, "2026-02-11 09:00", "a", {{"topic", "其他"}});
        CHECK(bad.status == 422);
        CHECK(error_code(bad) == "form_invalid");
        std::map<std::string, std::string> codes;
        for (const auto& f : bad.body["error"]["details"]["fields"]) codes[f["field"]] = f["code"];
        CHECK(codes["phone"] == "required");
        CHECK(codes["topic"] == "invalid_choice");
        CHECK(st.count("SELECT count(*) FROM core_capacity_holds WHERE station = 'convenience'") == 0);
        Response good = st.book(st.zhang, id, "2026-02-11 09:00", "b", ok_form);
        REQUIRE(good.status == 201);
        CHECK(good.body["form"] == ok_form);
    }
    SUBCASE("already_booked: one place per resident per slot") {
        st.booked(st.zhang, id, "2026-02-11 09:00", "a", ok_form);
        Response twice = st.book(st.zhang, id, "2026-02-11 09:00", "b", ok_form);
        CHECK(twice.status == 409);
        CHECK(error_code(twice) == "already_booked");
    }
    SUBCASE("the request itself: Idempotency-Key and a zoned start time are required") {
        Response no_key = st.s.post(st.path("/services/" + std::to_string(id) + "/bookings"),
                                    {{"start", iso("2026-02-11 09:00")}, {"form", ok_form}}, st.zhang);
        CHECK(no_key.status == 400);
        CHECK(error_code(no_key) == "idempotency_key_required");
        Response local = st.s.post(st.path("/services/" + std::to_string(id) + "/bookings"),
                                   {{"start", "2026-02-11T09:00:00"}, {"form", ok_form}}, st.zhang, {{"Idempotency-Key", "z"}});
        CHECK(local.status == 400);
        CHECK(local.body["error"]["details"]["field"] == "start");
        // The same instant written in UTC is the same slot.
        Response utc = st.s.post(st.path("/services/" + std::to_string(id) + "/bookings"),
                                 {{"start", "2026-02-11T01:00:00Z"}, {"form", ok_form}}, st.zhang, {{"Idempotency-Key", "y"}});
        CHECK(utc.status == 201);
        CHECK(utc.body["start"] == "2026-02-11T09:00:00+08:00");
    }
}

TEST_CASE("residents cancel before the cut-off and the place is freed — after it only staff can") {
    Station st;
    int64_t id = st.define({{"capacity", 1}});
    int64_t early = st.booked(st.zhang, id, "2026-02-11 09:00", "a");
    CHECK(st.slot(id, "2026-02-11 09:00")["remaining"] == 0);
    Response cancelled = st.act(st.zhang, early, "cancel", {{"reason", "临时有事"}});
    REQUIRE(cancelled.status == 200);
    CHECK(cancelled.body["state"] == "cancelled");
    CHECK(cancelled.body["reason"] == "临时有事");
    CHECK(st.slot(id, "2026-02-11 09:00")["remaining"] == 1);
    CHECK(st.ledger_taken(id, "2026-02-11 09:00") == 0);
    CHECK(st.act(st.zhang, early, "cancel").body["error"]["code"] == "invalid_transition");

    int64_t late = st.booked(st.zhang, id, "2026-02-10 13:30", "b");
    st.set_clock("2026-02-10 11:45");  // 105 minutes before: inside the 120-minute cut-off
    Response refused = st.act(st.zhang, late, "cancel");
    CHECK(refused.status == 422);
    CHECK(refused.body["error"]["code"] == "cancel_too_late");
    CHECK(refused.body["error"]["details"]["deadline"] == "2026-02-10T11:30:00+08:00");
    CHECK(st.s.get(st.path("/bookings/" + std::to_string(late)), st.zhang).body["cancellable"] == false);
    Response by_staff = st.act(st.staff, late, "cancel", {{"reason", "窗口临时关闭"}});
    REQUIRE(by_staff.status == 200);
    CHECK(by_staff.body["resident"]["display_name"] == "zhang");
    auto told = st.notices("convenience.changed_by_staff");
    REQUIRE(told.size() == 1);
    CHECK(told[0]["change"] == "cancelled");
    CHECK(told[0]["reason"] == "窗口临时关闭");
    CHECK(st.ledger_taken(id, "2026-02-10 13:30") == 0);
}

TEST_CASE("bookings that need approval wait — staff approve or reject with a reason, audited") {
    Station st;
    int64_t id = st.define({{"name", "法律咨询"}, {"capacity", 2}, {"rules", {{"approval_required", true}}}});
    Response r = st.book(st.zhang, id, "2026-02-11 09:00", "a");
    REQUIRE(r.status == 201);
    CHECK(r.body["state"] == "pending");
    int64_t a = r.body["id"], b = st.booked(st.li, id, "2026-02-11 09:00", "b");
    CHECK(st.slot(id, "2026-02-11 09:00")["remaining"] == 0);  // pending bookings hold their places

    CHECK(st.act(st.staff, a, "complete").body["error"]["code"] == "invalid_transition");
    Response approved = st.act(st.staff, a, "approve");
    REQUIRE(approved.status == 200);
    CHECK(approved.body["state"] == "confirmed");
    CHECK(st.act(st.staff, a, "approve").status == 409);
    REQUIRE(st.notices("convenience.approved").size() == 1);
    CHECK(st.notices("convenience.approved")[0]["user_id"] == st.s.user_id("zhang"));

    Response no_reason = st.act(st.staff, b, "reject");
    CHECK(no_reason.status == 422);
    CHECK(no_reason.body["error"]["code"] == "reason_required");
    Response rejected = st.act(st.staff, b, "reject", {{"reason", "材料不全，请带身份证原件"}});
    REQUIRE(rejected.status == 200);
    CHECK(rejected.body["state"] == "rejected");
    CHECK(st.slot(id, "2026-02-11 09:00")["remaining"] == 1);  // the place is back
    auto told = st.notices("convenience.rejected");
    REQUIRE(told.size() == 1);
    CHECK(told[0]["reason"] == "材料不全，请带身份证原件");
    CHECK(told[0]["user_id"] == st.s.user_id("li"));

    CHECK(st.count("SELECT count(*) FROM core_audit WHERE station = 'convenience' AND action = 'convenience_booking.approve' "
                   "AND record_type = 'booking' AND record_id = '" + std::to_string(a) + "'") == 1);
    CHECK(st.count("SELECT count(*) FROM core_audit WHERE station = 'convenience' AND action = 'convenience_booking.reject' "
                   "AND json_extract(detail, '$.reason') = '材料不全，请带身份证原件'") == 1);
}

TEST_CASE("at the desk: the day sheet, check-in by code on the day, completed and no-show") {
    Station st;
    int64_t id = st.define({{"name", "理发"}, {"capacity", 2}});
    Response first = st.book(st.zhang, id, "2026-02-10 13:30", "a");
    int64_t second = st.booked(st.li, id, "2026-02-10 14:00", "b");
    Response tomorrow = st.book(st.zhang, id, "2026-02-11 09:00", "c");
    std::string code = first.body["code"];

    Response sheet = st.s.get(st.path("/services/" + std::to_string(id) + "/day-sheet?date=2026-02-10"), st.staff);
    REQUIRE(sheet.status == 200);
    CHECK(sheet.body["day"]["open"] == true);
    CHECK(sheet.body["slots"].size() == 13);
    json at_1330 = sheet.body["slots"][6];
    CHECK(at_1330["start"] == "2026-02-10T13:30:00+08:00");
    CHECK(at_1330["taken"] == 1);
    CHECK(at_1330["bookings"][0]["resident"]["display_name"] == "zhang");
    CHECK(at_1330["bookings"][0]["code"] == code);
    CHECK(sheet.body["counts"]["confirmed"] == 2);

    std::string typed = code.substr(0, 4) + "-" + code.substr(4);
    for (char& c : typed) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    Response in = st.s.post(st.path("/checkin"), {{"code", typed}}, st.staff);
    REQUIRE(in.status == 200);
    CHECK(in.body["state"] == "checked_in");
    CHECK(st.s.post(st.path("/checkin"), {{"code", code}}, st.staff).body["error"]["code"] == "invalid_transition");
    CHECK(st.s.post(st.path("/checkin"), {{"code", "AAAAAAAA"}}, st.staff).status == 404);
    Response wrong_day = st.s.post(st.path("/checkin"), {{"code", tomorrow.body["code"]}}, st.staff);
    CHECK(wrong_day.status == 422);
    CHECK(wrong_day.body["error"]["code"] == "not_today");
    Response done = st.act(st.staff, first.body["id"], "complete");
    REQUIRE(done.status == 200);
    CHECK(done.body["state"] == "completed");

    CHECK(st.act(st.staff, second, "no-show").body["error"]["code"] == "too_early");
    st.set_clock("2026-02-10 14:10");
    Response missed = st.act(st.staff, second, "no-show");
    REQUIRE(missed.status == 200);
    CHECK(missed.body["state"] == "no_show");
    CHECK(st.ledger_taken(id, "2026-02-10 14:00") == 1);  // a begun slot's place is not given back
    CHECK(st.count("SELECT count(*) FROM core_audit WHERE station = 'convenience' AND action LIKE 'convenience_booking.%'") == 3);
}

TEST_CASE("a booking is decided on the service as it now is, not on the reading the checks used") {
    Station st;
    int64_t id = st.define();
    REQUIRE(st.book(st.zhang, id, "2026-02-11 09:00", "first").status == 201);
    // A refusal reads the service after that write and changes nothing: the reading stays cached.
    REQUIRE(error_code(st.book(st.li, id, "2026-02-11 03:00", "too-early")) == "slot_unavailable");
    auto change = [&](const std::string& set) {
        yz::Conn& c = st.s.app().db().conn();
        c.exec("UPDATE convenience_services SET " + set + " WHERE id = " + std::to_string(id));  // as another process would
    };
    SUBCASE("a change that moved updated_at is seen: the booking now waits for approval") {
        change("rules = json_set(rules, '$.approval_required', json('true')), updated_at = updated_at + 1");
        Response r = st.book(st.li, id, "2026-02-11 10:00", "second");
        REQUIRE(r.status == 201);
        CHECK(r.body["state"] == "pending");
    }
    SUBCASE("a service retired meanwhile takes no booking") {
        change("active = 0, updated_at = updated_at + 1");
        Response r = st.book(st.li, id, "2026-02-11 10:00", "second");
        CHECK(error_code(r) == "service_not_found");
        CHECK(st.count("SELECT count(*) FROM convenience_bookings") == 1);
    }
}

TEST_CASE("staff's change of the hours or of the calendar reaches the very next booking's checks") {
    Station st;
    int64_t id = st.define();
    // The checks read the service and the calendar once and keep them past bookings and refusals;
    // the test clock stands still, so only the change itself can make them read again.
    REQUIRE(st.book(st.zhang, id, "2026-02-11 09:00", "first").status == 201);
    REQUIRE(error_code(st.book(st.li, id, "2026-02-11 17:30", "evening")) == "slot_unavailable");
    REQUIRE(error_code(st.book(st.li, id, "2026-02-16 09:00", "festival")) == "slot_unavailable");
    REQUIRE(st.book(st.zhang, id, "2026-02-12 09:00", "second").status == 201);

    json later = service_def({{"hours", {{"weekly", {{"wed", {"08:30-11:30", "13:30-18:00"}}}}}}});
    REQUIRE(st.s.put(st.path("/services/" + std::to_string(id)), later, st.staff).status == 200);
    CHECK(st.book(st.li, id, "2026-02-11 17:30", "evening").status == 201);

    Response cal = st.s.put(st.path("/calendar"), json::parse(R"({"holidays": [{"date": "2026-02-17", "name": "春节"}]})"), st.staff);
    REQUIRE(cal.status == 200);
    CHECK(st.book(st.li, id, "2026-02-16 09:00", "festival").status == 201);
    CHECK(error_code(st.book(st.zhang, id, "2026-02-17 09:00", "moved")) == "slot_unavailable");
}

TEST_CASE("a service's updated_at grows with every change, even two within one millisecond") {
    Station st;
    int64_t id = st.define();
    auto stamp = [&] { return st.count("SELECT updated_at FROM convenience_services WHERE id = " + std::to_string(id)); };
    int64_t before = stamp();
    json def = service_def({{"capacity", 7}});
    REQUIRE(st.s.put(st.path("/services/" + std::to_string(id)), def, st.staff).status == 200);
    int64_t after_one = stamp();
    REQUIRE(st.s.put(st.path("/services/" + std::to_string(id)), def, st.staff).status == 200);  // the test clock has not moved
    CHECK(after_one > before);
    CHECK(stamp() > after_one);
}
