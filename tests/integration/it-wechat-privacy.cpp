// SPDX-License-Identifier: MIT
// The caller's data rights (export, erase) and the rule that secrets never reach a log line or a
// response: a full WeChat flow at debug level with stderr captured, then grepped for every secret.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include <yz/wechat/encoding.hpp>

#include "it-wechat-fixture.hpp"
#include "outbox.hpp"

using namespace yz;
using nlohmann::json;
using test::WechatFixture;

namespace {

// Redirects this process's stderr (where log lines go) to a file until finish().
class StderrCapture {
public:
    explicit StderrCapture(std::string path) : path_(std::move(path)) {
        std::fflush(stderr);
        saved_ = ::dup(2);
        int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        REQUIRE(fd >= 0);
        ::dup2(fd, 2);
        ::close(fd);
    }
    ~StderrCapture() { finish(); }
    std::string finish() {
        if (saved_ >= 0) {
            std::fflush(stderr);
            ::dup2(saved_, 2);
            ::close(saved_);
            saved_ = -1;
        }
        std::ifstream in(path_);
        std::stringstream ss;
        ss << in.rdbuf();
        return ss.str();
    }

private:
    std::string path_;
    int saved_ = -1;
};

void accept_once(WechatFixture& f, const std::string& token) {
    f.sim.grant_subscribe("alice", WechatFixture::kTemplateId, 1);
    REQUIRE(f.s().post("/api/v1/me/subscriptions", {{"results", {{WechatFixture::kTemplateId, "accept"}}}}, token).status == 200);
}

}  // namespace

TEST_CASE("export: everything held about the caller, phone unmasked, no secrets") {
    WechatFixture f;
    std::string token = f.token_for("alice");
    int64_t uid = f.user_id_of("alice");
    std::string code = f.sim_post("/sim/phone-code", {{"user", "alice"}, {"phone_number", "13812345678"}})["code"];
    REQUIRE(f.s().post("/api/v1/auth/phone", {{"code", code}}, token).status == 200);
    accept_once(f, token);
    outbox::enqueue(f.app().db().conn(), "", uid, WechatFixture::kTemplateKey, {{"thing1", "义诊"}, {"time2", "15:00"}},
                    f.app().clock().now_ms());
    f.app().scheduler().tick();
    f.sim_post("/sim/push", {{"url", f.push_url()},
                             {"message", {{"FromUserName", f.sim.openid_for("alice")}, {"MsgType", "text"}, {"Content", "谢谢"}, {"MsgId", "9"}}}});

    auto r = f.s().get("/api/v1/me/export", token);
    CAPTURE(r.text);
    REQUIRE(r.status == 200);
    const json& e = r.body;
    CHECK(e["account"]["id"] == uid);
    CHECK(e["account"]["openid"] == f.sim.openid_for("alice"));
    CHECK(e["account"]["phone"]["phone_number"] == "13812345678");
    CHECK(e["roles"] == json::array({"resident"}));
    CHECK(e["sessions"].size() == 1);
    CHECK(e["wechat_session_key"]["held"] == true);
    CHECK(e["subscriptions"]["credits"][WechatFixture::kTemplateId] == 0);
    CHECK(e["subscriptions"]["ledger"].size() == 2);  // +1 accept, -1 send
    REQUIRE(e["notifications"].size() == 1);
    CHECK(e["notifications"][0]["state"] == "sent");
    CHECK(e["notifications"][0]["data"]["thing1"] == "义诊");
    REQUIRE(e["customer_service_messages"].size() == 1);
    CHECK(e["customer_service_messages"][0]["content"] == "谢谢");
    CHECK(r.text.find(f.stored_session_key(uid)) == std::string::npos);
    CHECK(r.text.find("token_hash") == std::string::npos);
}

TEST_CASE("erase: personal fields gone, openid pseudonymised, sessions revoked, ledgers consistent") {
    WechatFixture f;
    std::string token = f.token_for("alice");
    std::string second_session = f.token_for("alice");
    int64_t uid = f.user_id_of("alice");
    std::string code = f.sim_post("/sim/phone-code", {{"user", "alice"}, {"phone_number", "13812345678"}})["code"];
    REQUIRE(f.s().post("/api/v1/auth/phone", {{"code", code}}, token).status == 200);
    accept_once(f, token);
    accept_once(f, token);
    int64_t queued = outbox::enqueue(f.app().db().conn(), "", uid, WechatFixture::kTemplateKey,
                                     {{"thing1", "张阿姨的预约"}, {"time2", "15:00"}}, f.app().clock().now_ms());
    f.sim_post("/sim/push", {{"url", f.push_url()},
                             {"message", {{"FromUserName", f.sim.openid_for("alice")}, {"MsgType", "text"}, {"Content", "我的地址是…"}, {"MsgId", "7"}}}});

    auto r = f.s().del("/api/v1/me", token);
    CAPTURE(r.text);
    REQUIRE(r.status == 200);
    CHECK(f.s().get("/api/v1/me", token).status == 401);
    CHECK(f.s().get("/api/v1/me", second_session).status == 401);
    CHECK_FALSE(f.app().identity().find_user(f.sim.openid_for("alice")));
    CHECK(f.count("SELECT count(*) FROM core_users WHERE id = ?1 AND openid LIKE 'erased:%' AND phone_enc IS NULL "
                  "AND unionid IS NULL AND display_name = '' AND deleted_at IS NOT NULL", uid) == 1);
    CHECK(f.count("SELECT count(*) FROM core_wechat_session_keys WHERE user_id = ?1", uid) == 0);
    CHECK(f.count("SELECT count(*) FROM core_roles WHERE user_id = ?1", uid) == 0);
    CHECK(f.count("SELECT count(*) FROM core_wechat_messages WHERE user_id = ?1 AND content <> ''", uid) == 0);
    // Ledgers: appended to, never rewritten; the balance is 0 and the history stays.
    CHECK(f.count("SELECT COALESCE(SUM(delta), 0) FROM core_wechat_consent WHERE user_id = ?1", uid) == 0);
    CHECK(f.count("SELECT count(*) FROM core_wechat_consent WHERE user_id = ?1 AND reason = 'erased'", uid) == 1);
    CHECK(f.count("SELECT count(*) FROM core_audit WHERE action = 'user.erase'") == 1);
    CHECK(f.count("SELECT count(*) FROM core_outbox WHERE id = ?1 AND state = 'no_consent' AND data = '{}'", queued) == 1);
    f.app().scheduler().tick();
    CHECK(f.sim.call_count("/cgi-bin/message/subscribe/send") == 0);

    // The same WeChat user coming back is a new account.
    auto again = f.login("alice");
    REQUIRE(again.status == 200);
    CHECK(again.body["user"]["id"] != uid);
}

TEST_CASE("secrets never appear in a log line or a response during a full flow") {
    test::TempDir logs;
    StderrCapture capture(logs.path + "/stderr.log");
    std::string responses;
    std::string session_key, access_token;
    WechatFixture f([](Config& c) { c.log_level = "debug"; });
    {
        auto login = f.login("alice");
        REQUIRE(login.status == 200);
        responses += login.text;
        std::string token = login.body["token"];
        int64_t uid = f.user_id_of("alice");
        std::string code = f.sim_post("/sim/phone-code", {{"user", "alice"}, {"phone_number", "13812345678"}})["code"];
        auto phone = f.s().post("/api/v1/auth/phone", {{"code", code}}, token);
        REQUIRE(phone.status == 200);
        responses += phone.text;
        f.sim_post("/sim/tokens/invalidate");  // forces a token error, an invalidation and a refresh
        accept_once(f, token);
        outbox::enqueue(f.app().db().conn(), "", uid, WechatFixture::kTemplateKey, {{"thing1", "义诊"}, {"time2", "15:00"}},
                        f.app().clock().now_ms());
        f.app().scheduler().tick();
        f.sim_post("/sim/push", {{"url", f.push_url()},
                                 {"message", {{"FromUserName", f.sim.openid_for("alice")}, {"MsgType", "text"}, {"Content", "你好"}, {"MsgId", "5"}}}});
        f.app().scheduler().tick();
        f.fault("/sns/jscode2session", 40125);
        responses += f.login("alice").text;
        auto exported = f.s().get("/api/v1/me/export", token);
        REQUIRE(exported.status == 200);
        responses += exported.text;
        // The stale token's 40001, then the one retry with the refreshed token.
        CHECK(f.sim.call_count("/cgi-bin/message/subscribe/send") == 2);
        CHECK(f.sim.call_count("/cgi-bin/stable_token") == 2);
        session_key = f.stored_session_key(uid);
        auto t = f.client().stable_token();  // normal mode: the token the server holds too
        REQUIRE(t.ok());
        access_token = t.value.access_token;
    }
    f.server.reset();
    std::string log = capture.finish();
    CHECK(log.find("wechat_login") != std::string::npos);  // the flow was logged at all
    CHECK(log.find("wechat_subscribe_send") != std::string::npos);
    const auto& o = f.sim.options();
    struct Secret {
        std::string name, value;
        bool may_be_returned;  // the caller's own phone, in their export
    };
    const Secret secrets[] = {
        {"AppSecret", o.secret, false},
        {"push Token", o.push_token, false},
        {"EncodingAESKey", o.encoding_aes_key, false},
        {"data key (hex)", wechat::to_hex(f.data_key), false},
        {"data key (base64)", wechat::base64_encode(f.data_key), false},
        {"data key (raw)", f.data_key, false},
        {"session_key", session_key, false},
        {"access_token", access_token, false},
        {"phone number", "13812345678", true},
    };
    for (const auto& s : secrets) {
        CAPTURE(s.name);
        REQUIRE(s.value.size() >= 8);
        CHECK(log.find(s.value) == std::string::npos);
        if (!s.may_be_returned) CHECK(responses.find(s.value) == std::string::npos);
    }
}
