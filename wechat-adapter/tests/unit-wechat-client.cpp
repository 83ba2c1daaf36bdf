// SPDX-License-Identifier: MIT
// yz::wechat::Client over real loopback HTTP against the simulator: each API's happy path, the
// errcode → Action mapping for every code in PROTOCOL.md's tables (via fault injection), transport
// failures, and the rules the simulator enforces (single-use codes, stable tokens, grants).
#include <doctest/doctest.h>

#include <chrono>
#include <yz/wechat/signature.hpp>

#include "sim_fixture.hpp"

using namespace yz::wechat;
using yz::wechat::testing::SimFixture;
using Failure = ApiStatus::Failure;

namespace {

void check_wechat_error(const ApiStatus& s, int errcode, Action action) {
    CAPTURE(errcode);
    CHECK(s.failure == Failure::wechat);
    CHECK(s.errcode == errcode);
    CHECK(to_string(s.action) == to_string(action));
    CHECK_FALSE(s.errmsg.empty());
}

SubscribeMessage booking_message(const std::string& openid) {
    return {
        openid,
        "TPL_BOOKED",
        "pages/booking/detail?id=1",
        {{"thing1", "党群服务中心活动室"}, {"time2", "2024年5月1日 15:00"}, {"phrase3", "已预约"}},
        "",
        ""};
}

}  // namespace

TEST_CASE_FIXTURE(SimFixture, "login: code2Session returns openid, session_key and unionid") {
    const auto code = control("/sim/login-code", {{"user", "alice"}});
    const auto s = client().code_to_session(code["code"].get<std::string>());
    REQUIRE(s.ok());
    CHECK(s.status.errcode == 0);  // the success body has no errcode at all
    CHECK(s.value.openid == sim.openid_for("alice"));
    CHECK(s.value.openid == code["openid"]);
    CHECK(s.value.openid.size() == 28);
    CHECK(s.value.session_key.size() == 24);
    CHECK_FALSE(s.value.unionid.empty());
    CHECK(sim.openid_for("alice") != sim.openid_for("bob"));
}

TEST_CASE_FIXTURE(SimFixture, "login: codes are single-use and live five minutes") {
    const auto code = sim.mint_login_code("alice");
    REQUIRE(client().code_to_session(code).ok());
    check_wechat_error(client().code_to_session(code).status, 40163, Action::duplicate_code);
    check_wechat_error(client().code_to_session("no-such-code").status, 40029, Action::relogin);

    const auto late = sim.mint_login_code("alice");
    sim.advance_clock(301);
    check_wechat_error(client().code_to_session(late).status, 40029, Action::relogin);
}

TEST_CASE_FIXTURE(
    SimFixture,
    "login: wrong secret or appid is a configuration error, and the secret never leaks") {
    auto o = client_options();
    o.secret = "wrong-secret-value";
    const auto s = Client(o).code_to_session(sim.mint_login_code("alice"));
    check_wechat_error(s.status, 40125, Action::config_error);
    CHECK(s.status.detail.find("wrong-secret-value") == std::string::npos);
    CHECK(s.status.errmsg.find("wrong-secret-value") == std::string::npos);
    o = client_options();
    o.appid = "wx0000000000000000";
    check_wechat_error(Client(o).code_to_session(sim.mint_login_code("alice")).status, 40013,
                       Action::config_error);
}

TEST_CASE_FIXTURE(SimFixture,
                  "stable_token: same token while valid, rolled with overlap near expiry") {
    const auto first = client().stable_token();
    REQUIRE(first.ok());
    CHECK(first.value.expires_in == 7200);
    CHECK(client().stable_token().value.access_token == first.value.access_token);
    CHECK(sim.call_count("/cgi-bin/stable_token") == 2);

    const auto alice = login("alice");
    sim.advance_clock(7200 - 299);  // inside the last 5 minutes
    const auto rolled = client().stable_token();
    REQUIRE(rolled.ok());
    CHECK(rolled.value.access_token != first.value.access_token);
    CHECK(client().check_session(first.value.access_token, alice.openid, alice.session_key).ok());
    CHECK(client().check_session(rolled.value.access_token, alice.openid, alice.session_key).ok());

    sim.advance_clock(300);  // the old token has now expired
    check_wechat_error(
        client().check_session(first.value.access_token, alice.openid, alice.session_key).status,
        42001, Action::token_invalid);
    CHECK(client().check_session(rolled.value.access_token, alice.openid, alice.session_key).ok());
}

TEST_CASE_FIXTURE(SimFixture, "token invalidation gives 40001, and one refresh heals it") {
    const auto alice = login("alice");
    const auto old_token = token();
    control("/sim/tokens/invalidate");
    check_wechat_error(client().check_session(old_token, alice.openid, alice.session_key).status,
                       40001, Action::token_invalid);
    const auto fresh = token();
    CHECK(fresh != old_token);
    CHECK(client().check_session(fresh, alice.openid, alice.session_key).ok());
    CHECK(control_get("/sim/calls?path=/cgi-bin/stable_token")["count"] == 2);
}

TEST_CASE_FIXTURE(SimFixture,
                  "phone number: countryCode as number or string, single use, watermark") {
    const auto tok = token();
    const auto alice = login("alice");
    for (bool as_string : {false, true}) {
        CAPTURE(as_string);
        const auto code =
            control("/sim/phone-code", {{"user", "alice"},
                                        {"phone_number", "13800138000"},
                                        {"country_code_as_string", as_string}})["code"]
                .get<std::string>();
        const auto p = client().phone_number(tok, code, alice.openid);
        REQUIRE(p.ok());
        CHECK(p.value.phone_number == "13800138000");
        CHECK(p.value.pure_phone_number == "13800138000");
        CHECK(p.value.country_code == "86");
        CHECK(p.value.watermark_timestamp > 0);
        check_wechat_error(client().phone_number(tok, code).status, 40029, Action::relogin);
    }
    const auto code = control("/sim/phone-code", {{"user", "alice"}, {"phone_number", "1"}})["code"]
                          .get<std::string>();
    auto o = client_options();
    o.appid = "wx0000000000000000";  // our appid differs from the watermark's
    const auto p = Client(o).phone_number(tok, code);
    CHECK(p.status.failure == Failure::bad_response);
}

TEST_CASE_FIXTURE(SimFixture, "subscribe: a grant allows exactly one send, then 43101") {
    const auto tok = token();
    const auto alice = login("alice");
    control("/sim/templates",
            {{"template_id", "TPL_BOOKED"}, {"keywords", {"thing1", "time2", "phrase3"}}});
    check_wechat_error(client().send_subscribe(tok, booking_message(alice.openid)).status, 43101,
                       Action::consent_refused);
    control("/sim/subscribe/grant", {{"user", "alice"}, {"template_id", "TPL_BOOKED"}});
    REQUIRE(client().send_subscribe(tok, booking_message(alice.openid)).ok());
    check_wechat_error(client().send_subscribe(tok, booking_message(alice.openid)).status, 43101,
                       Action::consent_refused);

    const auto inbox = control_get("/sim/messages?user=alice");
    REQUIRE(inbox["messages"].size() == 1);
    CHECK(inbox["messages"][0]["template_id"] == "TPL_BOOKED");
    CHECK(inbox["messages"][0]["data"]["thing1"]["value"] == "党群服务中心活动室");
    CHECK(inbox["messages"][0]["page"] == "pages/booking/detail?id=1");
}

TEST_CASE_FIXTURE(SimFixture, "subscribe: invalid values are refused locally, naming the keyword") {
    auto msg = booking_message("oAnyone");
    msg.data[0].second = std::string(21 * 3, 'x');
    const auto r = client().send_subscribe("unused", msg);
    CHECK(r.status.failure == Failure::local_check);
    CHECK(to_string(r.status.action) == "invalid_param");
    CHECK(r.status.detail.find("thing1") != std::string::npos);
    CHECK(sim.call_count("/cgi-bin/message/subscribe/send") == 0);  // never sent
}

TEST_CASE_FIXTURE(SimFixture, "subscribe: the simulator's own 47003, 40037 and 40003") {
    const auto tok = token();
    const auto alice = login("alice");
    sim.add_template("TPL_BOOKED", {"thing1", "time2"});  // no phrase3 in this template
    sim.grant_subscribe("alice", "TPL_BOOKED");
    const auto bad_field = client().send_subscribe(tok, booking_message(alice.openid));
    check_wechat_error(bad_field.status, 47003, Action::invalid_param);
    CHECK(bad_field.status.errmsg.find("data.phrase3.value") != std::string::npos);

    auto unknown_template = booking_message(alice.openid);
    unknown_template.template_id = "TPL_NOPE";
    check_wechat_error(client().send_subscribe(tok, unknown_template).status, 40037,
                       Action::config_error);
    check_wechat_error(client().send_subscribe(tok, booking_message("oNobody")).status, 40003,
                       Action::invalid_openid);
}

TEST_CASE_FIXTURE(SimFixture, "msg_sec_check v2: the verdict comes from result.suggest") {
    const auto tok = token();
    const auto alice = login("alice");
    auto check = [&](const std::string& content) {
        return client().msg_sec_check(tok, {alice.openid, SecScene::comment, content, "", "", ""});
    };
    const auto pass = check("周六上午的书法课还有名额吗");
    REQUIRE(pass.ok());
    CHECK(pass.value.suggest == SecSuggest::pass);
    CHECK(pass.value.label == 100);
    CHECK_FALSE(pass.value.trace_id.empty());
    CHECK(check("this needs sim-review please").value.suggest == SecSuggest::review);
    const auto risky = check("sim-risky content");
    REQUIRE(risky.ok());
    CHECK(risky.value.suggest == SecSuggest::risky);
    CHECK(risky.value.label == 20006);

    control("/sim/sec-check/words", {{"risky", {"违禁词"}}, {"review", nlohmann::json::array()}});
    CHECK(check("含有违禁词的评论").value.suggest == SecSuggest::risky);
    CHECK(check("this needs sim-review please").value.suggest == SecSuggest::pass);

    // v2 requires an author who opened the mini-program in the last two hours.
    sim.advance_clock(2 * 3600 + 1);
    const auto fresh_token = token();
    check_wechat_error(
        client()
            .msg_sec_check(fresh_token, {alice.openid, SecScene::comment, "hi", "", "", ""})
            .status,
        40003, Action::invalid_openid);
}

TEST_CASE_FIXTURE(SimFixture,
                  "checksession: HMAC of the current session_key, 87009 after rotation") {
    const auto tok = token();
    const auto first = login("alice");
    CHECK(client().check_session(tok, first.openid, first.session_key).ok());
    const auto second = login("alice");  // a new wx.login rotates the key
    CHECK(second.session_key != first.session_key);
    check_wechat_error(client().check_session(tok, first.openid, first.session_key).status, 87009,
                       Action::session_key_stale);
    CHECK(client().check_session(tok, second.openid, second.session_key).ok());
}

TEST_CASE_FIXTURE(SimFixture,
                  "every errcode in PROTOCOL.md's tables maps to its Action through the client") {
    const auto tok = token();
    const auto alice = login("alice");
    sim.add_template("TPL_BOOKED", {"thing1", "time2", "phrase3"});
    struct Row {
        const char* path;
        int errcode;
        Action action;
    };
    const std::vector<Row> rows = {
        {"/sns/jscode2session", 40029, Action::relogin},
        {"/sns/jscode2session", 40163, Action::duplicate_code},
        {"/sns/jscode2session", 45011, Action::rate_limited},
        {"/sns/jscode2session", 40226, Action::blocked},
        {"/sns/jscode2session", 40125, Action::config_error},
        {"/sns/jscode2session", 40013, Action::config_error},
        {"/sns/jscode2session", -1, Action::busy_retry},
        {"/cgi-bin/stable_token", 40001, Action::config_error},
        {"/cgi-bin/stable_token", 40013, Action::config_error},
        {"/cgi-bin/stable_token", 40125, Action::config_error},
        {"/cgi-bin/stable_token", 40164, Action::config_error},
        {"/cgi-bin/stable_token", 45009, Action::quota_exhausted},
        {"/cgi-bin/stable_token", -1, Action::busy_retry},
        {"/wxa/business/getuserphonenumber", 40029, Action::relogin},
        {"/wxa/business/getuserphonenumber", 45011, Action::rate_limited},
        {"/wxa/business/getuserphonenumber", 40013, Action::config_error},
        {"/wxa/business/getuserphonenumber", -1, Action::busy_retry},
        {"/wxa/business/getuserphonenumber", 40001, Action::token_invalid},
        {"/wxa/business/getuserphonenumber", 42001, Action::token_invalid},
        {"/wxa/business/getuserphonenumber", 40014, Action::token_invalid},
        {"/cgi-bin/message/subscribe/send", 40003, Action::invalid_openid},
        {"/cgi-bin/message/subscribe/send", 40037, Action::config_error},
        {"/cgi-bin/message/subscribe/send", 43101, Action::consent_refused},
        {"/cgi-bin/message/subscribe/send", 47003, Action::invalid_param},
        {"/cgi-bin/message/subscribe/send", 41030, Action::config_error},
        {"/cgi-bin/message/subscribe/send", 40001, Action::token_invalid},
        {"/cgi-bin/message/subscribe/send", 42001, Action::token_invalid},
        {"/cgi-bin/message/subscribe/send", 40014, Action::token_invalid},
        {"/cgi-bin/message/subscribe/send", 48001, Action::config_error},
        {"/wxa/msg_sec_check", -1, Action::busy_retry},
        {"/wxa/msg_sec_check", 40001, Action::token_invalid},
        {"/wxa/msg_sec_check", 40003, Action::invalid_openid},
        {"/wxa/msg_sec_check", 40129, Action::request_bug},
        {"/wxa/msg_sec_check", 43104, Action::request_bug},
        {"/wxa/msg_sec_check", 43302, Action::request_bug},
        {"/wxa/msg_sec_check", 44002, Action::request_bug},
        {"/wxa/msg_sec_check", 47001, Action::request_bug},
        {"/wxa/msg_sec_check", 45009, Action::quota_exhausted},
        {"/wxa/checksession", 87009, Action::session_key_stale},
        {"/wxa/checksession", 40001, Action::token_invalid},
    };
    auto call = [&](const std::string& path) -> ApiStatus {
        if (path == "/sns/jscode2session")
            return client().code_to_session(sim.mint_login_code("bob")).status;
        if (path == "/cgi-bin/stable_token") return client().stable_token().status;
        if (path == "/wxa/business/getuserphonenumber")
            return client().phone_number(tok, "c").status;
        if (path == "/cgi-bin/message/subscribe/send") {
            return client().send_subscribe(tok, booking_message(alice.openid)).status;
        }
        if (path == "/wxa/msg_sec_check") {
            return client()
                .msg_sec_check(tok, {alice.openid, SecScene::forum, "x", "", "", ""})
                .status;
        }
        return client().check_session(tok, alice.openid, alice.session_key).status;
    };
    for (const auto& r : rows) {
        CAPTURE(r.path);
        control("/sim/fault", {{"path", r.path}, {"errcode", r.errcode}});
        check_wechat_error(call(r.path), r.errcode, r.action);
    }
}

TEST_CASE_FIXTURE(SimFixture, "a fault applies to exactly the next K calls of its path") {
    control("/sim/fault", {{"path", "/cgi-bin/stable_token"}, {"errcode", -1}, {"count", 2}});
    CHECK(client().stable_token().status.errcode == -1);
    CHECK(client().stable_token().status.errcode == -1);
    CHECK(client().stable_token().ok());
    CHECK(sim.call_count("/cgi-bin/stable_token") == 3);
}

TEST_CASE_FIXTURE(SimFixture, "transport failures: HTTP 5xx, dropped connection, timeout") {
    control("/sim/fault", {{"path", "/cgi-bin/stable_token"}, {"http_status", 503}});
    const auto http = client().stable_token();
    CHECK(http.status.failure == Failure::http_status);
    CHECK(http.status.http_status == 503);
    CHECK(to_string(http.status.action) == "unavailable");

    control("/sim/fault", {{"path", "/cgi-bin/stable_token"}, {"drop", true}});
    const auto dropped = client().stable_token();
    CHECK(dropped.status.failure == Failure::transport);
    CHECK(to_string(dropped.status.action) == "unavailable");

    control("/sim/fault", {{"path", "/cgi-bin/stable_token"}, {"latency_ms", 1000}});
    auto o = client_options();
    o.read_timeout = std::chrono::milliseconds(200);
    const auto started = std::chrono::steady_clock::now();
    const auto slow = Client(o).stable_token();
    CHECK(slow.status.failure == Failure::transport);
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::milliseconds(900));
    CHECK(client().stable_token().ok());  // a patient client still gets through (1 s)
}

TEST_CASE_FIXTURE(SimFixture, "an unreachable server is a transport failure, not a crash") {
    auto o = client_options();
    sim.stop();
    const auto r = Client(o).stable_token();
    CHECK(r.status.failure == Failure::transport);
    CHECK(r.status.detail.find(o.secret) == std::string::npos);
}
