// SPDX-License-Identifier: MIT
// Subscribe messages end to end against the simulator: consent accounting (client reports, popup
// and change pushes, sends, 43101), value checks before sending, backoff and dead-lettering,
// delivery reports, and a queued notification surviving a server restart.
#include <doctest/doctest.h>

#include "../support/race.hpp"
#include "it-wechat-fixture.hpp"
#include "outbox.hpp"
#include "wechat_service.hpp"

using namespace yz;
using nlohmann::json;
using test::WechatFixture;

namespace {

json booking(const std::string& what = "党群服务中心活动室") { return {{"thing1", what}, {"time2", "2026年5月1日 15:00"}}; }

int64_t enqueue(WechatFixture& f, int64_t uid, const json& data, const std::string& key = WechatFixture::kTemplateKey) {
    return outbox::enqueue(f.app().db().conn(), "convenience", uid, key, data, f.app().clock().now_ms());
}

json row(WechatFixture& f, int64_t id) {
    for (const auto& r : outbox::list(f.app().db().conn(), "", 0, 500))
        if (r["id"] == id) return r;
    FAIL("no outbox row " << id);
    return nullptr;
}

int credits(WechatFixture& f, const std::string& token) {
    auto r = f.s().get("/api/v1/me/subscriptions", token);
    REQUIRE(r.status == 200);
    return r.body["credits"].value(WechatFixture::kTemplateId, 0);
}

size_t inbox(WechatFixture& f, const std::string& user) {
    return f.sim_get("/sim/messages?user=" + user)["messages"].size();
}

}  // namespace

TEST_CASE("consent: each accept is one send, with none left the row is no_consent and WeChat is not called") {
    WechatFixture f;
    std::string token = f.token_for("alice");
    int64_t uid = f.user_id_of("alice");
    f.sim.grant_subscribe("alice", WechatFixture::kTemplateId, 5);  // WeChat's side of the same taps

    auto r = f.s().post("/api/v1/me/subscriptions", {{"results", {{WechatFixture::kTemplateId, "accept"}}}}, token);
    REQUIRE(r.status == 200);
    CHECK(r.body["credits"][WechatFixture::kTemplateId] == 1);
    f.s().post("/api/v1/me/subscriptions", {{"results", {{WechatFixture::kTemplateId, "accept"}}}}, token);
    CHECK(f.s().post("/api/v1/me/subscriptions", {{"results", {{WechatFixture::kTemplateId, "reject"}}}}, token).status == 200);
    CHECK(credits(f, token) == 2);
    CHECK(f.s().post("/api/v1/me/subscriptions", {{"results", {{"TPL_UNKNOWN", "accept"}}}}, token).status == 400);

    int64_t a = enqueue(f, uid, booking()), b = enqueue(f, uid, booking()), c = enqueue(f, uid, booking());
    f.app().scheduler().tick();
    CHECK(row(f, a)["state"] == "sent");
    CHECK(row(f, b)["state"] == "sent");
    CHECK(row(f, c)["state"] == "no_consent");
    CHECK(f.sim.call_count("/cgi-bin/message/subscribe/send") == 2);
    CHECK(inbox(f, "alice") == 2);
    CHECK(credits(f, token) == 0);
    auto msg = f.sim_get("/sim/messages?user=alice")["messages"][0];
    CHECK(msg["template_id"] == WechatFixture::kTemplateId);
    CHECK(msg["page"] == "pages/booking/detail?id=1");
    CHECK(msg["data"]["thing1"]["value"] == "党群服务中心活动室");
}

TEST_CASE("consent: popup pushes grant, a reject change zeroes, and 43101 zeroes our count") {
    WechatFixture f;
    std::string token = f.token_for("alice");
    int64_t uid = f.user_id_of("alice");
    // The user taps "accept" twice; WeChat pushes subscribe_msg_popup_event each time.
    for (int i = 0; i < 2; ++i) {
        auto g = f.sim_post("/sim/subscribe/grant",
                            {{"user", "alice"}, {"template_id", WechatFixture::kTemplateId}, {"push", {{"url", f.push_url()}}}});
        CHECK(g["push"]["status"] == 200);
        CHECK(g["push"]["body"] == "success");
        f.sim.advance_clock(1);  // the dedupe key of an event is (user, CreateTime, Event)
    }
    CHECK(credits(f, token) == 2);

    SUBCASE("subscribe_msg_change_event reject → 0") {
        json change = {{"FromUserName", f.sim.openid_for("alice")}, {"MsgType", "event"}, {"Event", "subscribe_msg_change_event"},
                       {"List", {{"TemplateId", WechatFixture::kTemplateId}, {"SubscribeStatusString", "reject"}}}};
        auto p = f.sim_post("/sim/push", {{"url", f.push_url()}, {"message", change}});
        CHECK(p["status"] == 200);
        CHECK(credits(f, token) == 0);
    }
    SUBCASE("43101 from WeChat (the user cancelled there) → no_consent, credits 0, no retry") {
        f.fault("/cgi-bin/message/subscribe/send", 43101);
        int64_t id = enqueue(f, uid, booking());
        f.app().scheduler().tick();
        CHECK(row(f, id)["state"] == "no_consent");
        CHECK(row(f, id)["last_errcode"] == 43101);
        CHECK(credits(f, token) == 0);
        f.app().clock().advance(3'600'000);
        f.app().scheduler().tick();
        CHECK(f.sim.call_count("/cgi-bin/message/subscribe/send") == 1);
    }
    // The ledger only ever grows.
    Conn& c = f.app().db().conn();
    CHECK_THROWS(c.exec("DELETE FROM core_wechat_consent"));
}

TEST_CASE("values are checked per keyword type before sending: invalid, and no call") {
    WechatFixture f;
    std::string token = f.token_for("alice");
    int64_t uid = f.user_id_of("alice");
    f.sim.grant_subscribe("alice", WechatFixture::kTemplateId, 5);
    for (int i = 0; i < 5; ++i)
        f.s().post("/api/v1/me/subscriptions", {{"results", {{WechatFixture::kTemplateId, "accept"}}}}, token);

    int64_t bad_time = enqueue(f, uid, {{"thing1", "活动室"}, {"time2", "明天下午"}});
    int64_t missing = enqueue(f, uid, {{"thing1", "活动室"}});
    int64_t extra = enqueue(f, uid, {{"thing1", "活动室"}, {"time2", "15:00"}, {"name3", "张三"}});
    int64_t unknown = enqueue(f, uid, booking(), "no_such_template");
    // A long `thing` is cut to 20 characters rather than refused (PROTOCOL §4).
    int64_t long_thing = enqueue(f, uid, booking("一二三四五六七八九十一二三四五六七八九十一二三"));
    f.app().scheduler().tick();
    for (int64_t id : {bad_time, missing, extra, unknown}) {
        CAPTURE(id);
        CHECK(row(f, id)["state"] == "invalid");
        CHECK_FALSE(row(f, id)["last_error"].get<std::string>().empty());
    }
    CHECK(row(f, bad_time)["last_error"].get<std::string>().find("time2") != std::string::npos);
    CHECK(row(f, long_thing)["state"] == "sent");
    CHECK(f.sim.call_count("/cgi-bin/message/subscribe/send") == 1);
    CHECK(f.count("SELECT COALESCE(SUM(delta), 0) FROM core_wechat_consent WHERE user_id = ?1", uid) == 4);
}

TEST_CASE("outbox: -1 and HTTP errors back off exponentially, then the row is dead after max attempts") {
    WechatFixture f([](Config& c) { c.wechat.outbox_max_attempts = 3; });
    std::string token = f.token_for("alice");
    int64_t uid = f.user_id_of("alice");
    f.sim.grant_subscribe("alice", WechatFixture::kTemplateId, 5);
    f.s().post("/api/v1/me/subscriptions", {{"results", {{WechatFixture::kTemplateId, "accept"}}}}, token);

    SUBCASE("retried after the backoff, then sent") {
        f.sim_post("/sim/fault", {{"path", "/cgi-bin/message/subscribe/send"}, {"http_status", 503}});
        int64_t id = enqueue(f, uid, booking());
        f.app().scheduler().tick();
        CHECK(row(f, id)["state"] == "queued");
        CHECK(row(f, id)["attempts"] == 1);
        CHECK(credits(f, token) == 1);  // the reserved credit came back
        f.app().scheduler().tick();     // not due yet
        CHECK(f.sim.call_count("/cgi-bin/message/subscribe/send") == 1);
        f.app().clock().advance(2'001);
        f.app().scheduler().tick();
        CHECK(row(f, id)["state"] == "sent");
        CHECK(credits(f, token) == 0);
    }
    SUBCASE("dead after wechat.outbox_max_attempts") {
        f.fault("/cgi-bin/message/subscribe/send", -1, 10);
        int64_t id = enqueue(f, uid, booking());
        for (int i = 0; i < 5; ++i) {
            f.app().scheduler().tick();
            f.app().clock().advance(3'600'000);
        }
        CHECK(row(f, id)["state"] == "dead");
        CHECK(row(f, id)["last_errcode"] == -1);
        CHECK(f.sim.call_count("/cgi-bin/message/subscribe/send") == 3);
        CHECK(credits(f, token) == 1);
    }
}

TEST_CASE("a queued notification is delivered after the server is destroyed and started again") {
    WechatFixture f;
    std::string token = f.token_for("alice");
    int64_t uid = f.user_id_of("alice");
    f.sim.grant_subscribe("alice", WechatFixture::kTemplateId, 1);
    f.s().post("/api/v1/me/subscriptions", {{"results", {{WechatFixture::kTemplateId, "accept"}}}}, token);
    int64_t id = enqueue(f, uid, booking("周六义诊"));
    CHECK(inbox(f, "alice") == 0);
    CHECK(row(f, id)["state"] == "queued");  // nothing was sent before the first server went away

    f.restart();
    // The new server's scheduler may already have run its first tick; one more changes nothing.
    f.app().scheduler().tick();
    CHECK(row(f, id)["state"] == "sent");
    auto messages = f.sim_get("/sim/messages?user=alice")["messages"];
    REQUIRE(messages.size() == 1);
    CHECK(messages[0]["data"]["thing1"]["value"] == "周六义诊");
}

TEST_CASE("subscribe_msg_sent_event: a failed delivery is recorded on the outbox row") {
    WechatFixture f;
    std::string token = f.token_for("alice");
    int64_t uid = f.user_id_of("alice");
    f.sim.grant_subscribe("alice", WechatFixture::kTemplateId, 2);
    f.s().post("/api/v1/me/subscriptions", {{"results", {{WechatFixture::kTemplateId, "accept"}}}}, token);
    f.s().post("/api/v1/me/subscriptions", {{"results", {{WechatFixture::kTemplateId, "accept"}}}}, token);
    int64_t first = enqueue(f, uid, booking()), second = enqueue(f, uid, booking());
    f.app().scheduler().tick();
    REQUIRE(row(f, first)["state"] == "sent");
    REQUIRE(row(f, second)["state"] == "sent");
    json event = {{"FromUserName", f.sim.openid_for("alice")}, {"MsgType", "event"}, {"Event", "subscribe_msg_sent_event"},
                  {"List", {{"TemplateId", WechatFixture::kTemplateId}, {"MsgID", "2210530123456789012"},
                            {"ErrorCode", "10005"}, {"ErrorStatus", "fail:user refuse to accept"}}}};
    CHECK(f.sim_post("/sim/push", {{"url", f.push_url()}, {"message", event}})["status"] == 200);
    CHECK(row(f, first)["last_errcode"] == 10005);
    CHECK(row(f, first)["last_error"] == "delivery failed: fail:user refuse to accept");
    CHECK(row(f, second)["last_errcode"] == 0);
    CHECK(f.count("SELECT count(*) FROM core_wechat_deliveries WHERE status = 'failed' AND msg_id = '2210530123456789012'") == 1);
}

TEST_CASE("a station's own record reaches WeChat through the registry's mapping, times in Beijing") {
    WechatFixture f([](Config& c) {
        c.wechat.templates["convenience.booked"] =
            WechatTemplate{"TPL_MAPPED", "", {{"thing1", "thing"}, {"time2", "time"}}, {{"thing1", "service"}, {"time2", "start"}}};
    });
    f.sim.add_template("TPL_MAPPED", {"thing1", "time2"});
    std::string token = f.token_for("alice");
    int64_t uid = f.user_id_of("alice");
    f.sim.grant_subscribe("alice", "TPL_MAPPED", 1);
    f.s().post("/api/v1/me/subscriptions", {{"results", {{"TPL_MAPPED", "accept"}}}}, token);
    // What a station sends: its own names, extra fields, an ISO-8601 instant in UTC.
    int64_t id = enqueue(f, uid, {{"service", "社保认证"}, {"start", "2026-12-08T00:30:00Z"}, {"booking_id", 7}, {"code", "K7PX3M9Q"}},
                         "convenience.booked");
    f.app().scheduler().tick();
    CHECK(row(f, id)["state"] == "sent");
    auto messages = f.sim_get("/sim/messages?user=alice")["messages"];
    REQUIRE(messages.size() == 1);
    CHECK(messages[0]["data"]["thing1"]["value"] == "社保认证");
    CHECK(messages[0]["data"]["time2"]["value"] == "2026-12-08 08:30");  // 00:30 UTC is 08:30 in Beijing

    // A field the mapping needs but the station did not send: recorded as invalid, WeChat not called.
    int64_t calls = f.sim.call_count("/cgi-bin/message/subscribe/send");
    int64_t bad = enqueue(f, uid, {{"service", "理发"}}, "convenience.booked");
    f.app().scheduler().tick();
    CHECK(row(f, bad)["state"] == "invalid");
    CHECK(row(f, bad)["last_error"].get<std::string>().find("field 'start'") != std::string::npos);
    CHECK(f.sim.call_count("/cgi-bin/message/subscribe/send") == calls);
}

TEST_CASE("two workers on one database: each queued notice is claimed and sent once, the token refreshed once") {
    WechatFixture f;
    auto second = f.another_server();  // a second worker process, as far as the database can tell
    std::string token = f.token_for("alice");
    int64_t uid = f.user_id_of("alice");
    constexpr int kNotices = 24;
    f.sim.grant_subscribe("alice", WechatFixture::kTemplateId, kNotices);
    for (int i = 0; i < kNotices; ++i)
        REQUIRE(f.s().post("/api/v1/me/subscriptions", {{"results", {{WechatFixture::kTemplateId, "accept"}}}}, token).status == 200);
    for (int i = 0; i < kNotices; ++i) enqueue(f, uid, booking("活动" + std::to_string(i)));

    // Both schedulers tick at once, each several times, as two workers' would.
    auto ticks = test::race(2, [&](int worker) {
        App& app = worker == 0 ? f.app() : second->app();
        for (int t = 0; t < 4; ++t) app.scheduler().tick();
        return std::string("ticked");
    });
    CHECK(ticks["ticked"] == 2);
    CHECK(f.count("SELECT count(*) FROM core_outbox WHERE state = 'sent'") == kNotices);
    CHECK(f.sim.call_count("/cgi-bin/message/subscribe/send") == kNotices);
    CHECK(inbox(f, "alice") == kNotices);

    // The access token both share runs out: together they fetch exactly one new one.
    int64_t refreshes = f.sim.call_count("/cgi-bin/stable_token");
    f.app().clock().advance(7200LL * 1000);
    second->app().clock().advance(7200LL * 1000);
    auto got = test::race(40, [&](int i) {
        App& app = i % 2 ? f.app() : second->app();
        return std::string(app.wechat()->tokens().get().ok() ? "ok" : "failed");
    });
    CHECK(got["ok"] == 40);
    CHECK(f.sim.call_count("/cgi-bin/stable_token") == refreshes + 1);
}
