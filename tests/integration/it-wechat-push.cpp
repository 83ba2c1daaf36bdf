// SPDX-License-Identifier: MIT
// The /wechat/push route end to end (the adapter unit-tests the crypto): URL verification, signed
// and encrypted pushes in JSON and XML taken as raw bodies, refused pushes storing nothing,
// dedupe, customer-service messages stored for staff and screened (pass/review/risky, failing
// closed into review), and screen_text() itself.
#include <doctest/doctest.h>

#include "it-wechat-fixture.hpp"
#include "wechat_screening.hpp"

using namespace yz;
using nlohmann::json;
using test::WechatFixture;

namespace {

json text_message(WechatFixture& f, const std::string& user, const std::string& content, const std::string& msg_id) {
    return {{"FromUserName", f.sim.openid_for(user)}, {"MsgType", "text"}, {"Content", content}, {"MsgId", msg_id}};
}

json push(WechatFixture& f, const json& message, const std::string& format = "json") {
    return f.sim_post("/sim/push", {{"url", f.push_url()}, {"format", format}, {"message", message}});
}

std::string state_of(WechatFixture& f, const std::string& msg_id) {
    Conn& c = f.app().db().conn();
    auto q = c.prepare("SELECT state FROM core_wechat_messages WHERE msg_id = ?1");
    q->bind(1, msg_id);
    REQUIRE(q->executeStep());
    return q->getColumn(0).getString();
}

std::string now_s(WechatFixture& f) { return std::to_string(f.app().clock().now_ms() / 1000); }

}  // namespace

TEST_CASE("push: URL verification echoes echostr only with a good signature") {
    WechatFixture f;
    std::string ts = now_s(f), nonce = "415670741";
    std::string sig = wechat::push_signature(f.sim.options().push_token, ts, nonce);
    auto ok = f.s().get("/wechat/push?signature=" + sig + "&timestamp=" + ts + "&nonce=" + nonce + "&echostr=4375120948345356249");
    CHECK(ok.status == 200);
    CHECK(ok.text == "4375120948345356249");
    auto bad = f.s().get("/wechat/push?signature=" + std::string(40, '0') + "&timestamp=" + ts + "&nonce=" + nonce + "&echostr=1");
    CHECK(bad.status == 401);
    CHECK(bad.text.find("echostr") == std::string::npos);
}

TEST_CASE("push: customer-service text is stored for staff, screened, and shown only when it passes") {
    WechatFixture f;
    std::string admin = f.s().login("boss", {"admin"});
    f.token_for("alice");  // the author opened the mini-program (msg_sec_check v2 needs that)
    auto r = push(f, text_message(f, "alice", "请问周六开门吗", "1001"));
    CHECK(r["status"] == 200);
    CHECK(r["body"] == "success");
    push(f, text_message(f, "alice", "这是 sim-review 内容", "1002"), "xml");  // XML bodies work too
    push(f, text_message(f, "alice", "这是 sim-risky 内容", "1003"));
    CHECK(state_of(f, "1001") == "pending");
    auto listed = f.s().get("/api/v1/admin/wechat/messages?state=pending", admin);
    REQUIRE(listed.status == 200);
    CHECK(listed.body["items"].size() == 3);
    CHECK(listed.body["items"][0]["content"].is_null());  // not shown before screening

    f.app().scheduler().tick();
    CHECK(state_of(f, "1001") == "visible");
    CHECK(state_of(f, "1002") == "review");
    CHECK(state_of(f, "1003") == "rejected");
    CHECK(f.count("SELECT count(*) FROM core_audit WHERE action = 'wechat.text_risky' AND detail LIKE '%trace_id%'") == 1);
    CHECK(f.count("SELECT count(*) FROM core_audit WHERE detail LIKE '%sim-risky%'") == 0);
    auto visible = f.s().get("/api/v1/admin/wechat/messages?state=visible", admin);
    REQUIRE(visible.body["items"].size() == 1);
    CHECK(visible.body["items"][0]["content"] == "请问周六开门吗");
    CHECK(f.s().get("/api/v1/admin/wechat/messages", f.token_for("alice")).status == 403);
}

TEST_CASE("push: screening fails closed into review when WeChat cannot answer") {
    WechatFixture f;
    f.token_for("alice");
    f.fault("/wxa/msg_sec_check", -1);
    push(f, text_message(f, "alice", "你好", "2001"));
    f.app().scheduler().tick();
    CHECK(state_of(f, "2001") == "review");
}

TEST_CASE("push: a re-sent push is applied once, the chat entry event is stored") {
    WechatFixture f;
    f.token_for("alice");
    json m = text_message(f, "alice", "你好", "3001");
    push(f, m);
    auto again = push(f, m);
    CHECK(again["status"] == 200);
    CHECK(again["body"] == "success");
    CHECK(f.count("SELECT count(*) FROM core_wechat_messages WHERE msg_id = '3001'") == 1);
    push(f, {{"FromUserName", f.sim.openid_for("alice")}, {"MsgType", "event"}, {"Event", "user_enter_tempsession"},
             {"SessionFrom", "booking-page"}});
    CHECK(f.count("SELECT count(*) FROM core_wechat_messages WHERE kind = 'enter_session' AND content = 'booking-page'") == 1);
}

TEST_CASE("push: bad pushes are refused and nothing is stored") {
    WechatFixture f;
    f.token_for("alice");
    json m = text_message(f, "alice", "你好", "4001");
    SUBCASE("stale timestamp") {
        auto r = f.sim_post("/sim/push", {{"url", f.push_url()}, {"message", m}, {"timestamp", f.app().clock().now_ms() / 1000 - 3600}});
        CHECK(r["status"] == 401);
    }
    SUBCASE("plain push to a server configured for safe mode") {
        CHECK(f.sim_post("/sim/push", {{"url", f.push_url()}, {"mode", "plain"}, {"message", m}})["status"] == 400);
    }
    SUBCASE("forged signatures") {
        std::string ts = now_s(f);
        std::string q = "/wechat/push?signature=" + std::string(40, 'a') + "&timestamp=" + ts +
                        "&nonce=1&encrypt_type=aes&msg_signature=" + std::string(40, 'b');
        auto r = f.s().raw("POST", q, R"({"ToUserName":"gh_x","Encrypt":"AAAA"})", "application/json");
        CHECK(r.status == 401);
        CHECK(r.body["error"]["code"] == "push_rejected");
    }
    SUBCASE("a replayed nonce") {
        CHECK(f.sim_post("/sim/push", {{"url", f.push_url()}, {"message", m}, {"nonce", "777"}})["status"] == 200);
        json other = text_message(f, "alice", "再来", "4002");
        CHECK(f.sim_post("/sim/push", {{"url", f.push_url()}, {"message", other}, {"nonce", "777"}})["status"] == 401);
        CHECK(f.count("SELECT count(*) FROM core_wechat_messages WHERE msg_id = '4002'") == 0);
        return;
    }
    CHECK(f.count("SELECT count(*) FROM core_wechat_push_seen") == 0);
    CHECK(f.count("SELECT count(*) FROM core_wechat_messages") == 0);
}

TEST_CASE("screen_text: WeChat's verdict, or review when it has none") {
    WechatFixture f;
    f.token_for("alice");
    int64_t uid = f.user_id_of("alice");
    ScreenResult pass = screen_text(f.app(), uid, "周六见", wechat::SecScene::comment);
    CHECK(pass.verdict == ScreenVerdict::pass);
    CHECK(pass.checked);
    CHECK(pass.label == 100);
    CHECK_FALSE(pass.trace_id.empty());
    CHECK(screen_text(f.app(), uid, "sim-risky", wechat::SecScene::forum).verdict == ScreenVerdict::risky);
    CHECK(screen_text(f.app(), uid, "sim-review", wechat::SecScene::forum).verdict == ScreenVerdict::review);
    ScreenResult unknown_user = screen_text(f.app(), 999, "周六见", wechat::SecScene::comment);
    CHECK(unknown_user.verdict == ScreenVerdict::review);
    CHECK_FALSE(unknown_user.checked);
    test::TestServer no_wechat;
    CHECK(screen_text(no_wechat.app(), 1, "周六见", wechat::SecScene::comment).verdict == ScreenVerdict::review);
}
