// SPDX-License-Identifier: MIT
// WeChat login, phone numbers and the shared access token, over real HTTP on loopback against the
// simulator: the happy path, every jscode2session errcode mapping (fault injection), duplicate
// codes, token single-flight and retry-once, phone by code and by encryptedData, dev mode.
#include <doctest/doctest.h>
#include <openssl/evp.h>

#include <vector>

#include <yz/wechat/encoding.hpp>

#include "audit.hpp"
#include "../support/api_checks.hpp"
#include "../support/race.hpp"
#include "it-wechat-fixture.hpp"
#include "wechat_dev.hpp"
#include "wechat_service.hpp"

using namespace yz;
using nlohmann::json;
using test::check_error;
using test::WechatFixture;

namespace {

// AES-128-CBC as the mini-program's open data is made (PROTOCOL §3.2), for the legacy phone path.
std::string encrypt_user_data(const std::string& session_key_b64, const std::string& iv, const std::string& plain) {
    auto key = wechat::base64_decode(session_key_b64);
    REQUIRE(key.ok());
    REQUIRE(key->size() == 16);
    std::string out(plain.size() + 32, '\0');
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    int n1 = 0, n2 = 0;
    REQUIRE(EVP_EncryptInit_ex(ctx, EVP_aes_128_cbc(), nullptr, reinterpret_cast<const unsigned char*>(key->data()),
                               reinterpret_cast<const unsigned char*>(iv.data())) == 1);
    REQUIRE(EVP_EncryptUpdate(ctx, reinterpret_cast<unsigned char*>(out.data()), &n1,
                              reinterpret_cast<const unsigned char*>(plain.data()), static_cast<int>(plain.size())) == 1);
    REQUIRE(EVP_EncryptFinal_ex(ctx, reinterpret_cast<unsigned char*>(out.data()) + n1, &n2) == 1);
    EVP_CIPHER_CTX_free(ctx);
    out.resize(static_cast<size_t>(n1 + n2));
    return wechat::base64_encode(out);
}

}  // namespace

TEST_CASE("login: a wx.login code becomes our session, the session_key stays on the server, sealed") {
    WechatFixture f;
    auto r = f.login("alice");
    REQUIRE(r.status == 200);
    std::string token = r.body["token"];
    CHECK(token.size() == 43);
    CHECK(r.body["roles"] == json::array({"resident"}));
    CHECK(r.text.find("session_key") == std::string::npos);
    auto me = f.s().get("/api/v1/me", token);
    CHECK(me.status == 200);
    int64_t uid = f.user_id_of("alice");
    CHECK(me.body["id"] == uid);
    CHECK(f.count("SELECT count(*) FROM core_users WHERE unionid IS NOT NULL AND id = ?1", uid) == 1);

    // What is stored is the current session_key (WeChat's checksession accepts it), but sealed.
    std::string sk = f.stored_session_key(uid);
    CHECK(sk.size() == 24);
    CHECK(r.text.find(sk) == std::string::npos);
    auto access = f.client().stable_token();
    REQUIRE(access.ok());
    CHECK(f.client().check_session(access.value.access_token, f.sim.openid_for("alice"), sk).ok());
    Conn& c = f.app().db().conn();
    auto q = c.prepare("SELECT session_key_enc FROM core_wechat_session_keys WHERE user_id = ?1");
    q->bind(1, uid);
    REQUIRE(q->executeStep());
    CHECK(q->getColumn(0).getString().find(sk) == std::string::npos);

    // The same WeChat user logging in again is the same account.
    CHECK(f.login("alice").body["user"]["id"] == uid);
    CHECK(f.login("bob").body["user"]["id"] != uid);
}

TEST_CASE("login: each jscode2session errcode maps to its answer") {
    WechatFixture f;
    const std::string path = "/sns/jscode2session";
    SUBCASE("40029 invalid code → 401 relogin") {
        check_error(f.s().post("/api/v1/auth/login", {{"code", "no-such-code"}}), 401, "relogin");
    }
    SUBCASE("40163 code used, with no first result of ours → 401 relogin") {
        f.fault(path, 40163);
        check_error(f.login("alice"), 401, "relogin");
    }
    SUBCASE("45011 minute quota → 503 with Retry-After") {
        f.fault(path, 45011);
        auto r = f.login("alice");
        check_error(r, 503, "wechat_busy");
        int retry = std::stoi(r.header("Retry-After"));
        CHECK(retry >= 1);
        CHECK(retry <= 60);
    }
    SUBCASE("40226 risk control → 403, recorded in the audit log") {
        f.fault(path, 40226);
        auto r = f.login("alice");
        check_error(r, 403, "login_refused");
        CHECK(f.count("SELECT count(*) FROM core_audit WHERE action = 'wechat.login_blocked'") == 1);
        CHECK(f.count("SELECT count(*) FROM core_users") == 0);
    }
    SUBCASE("-1 busy once → one quick retry with the same code succeeds") {
        f.fault(path, -1);
        CHECK(f.login("alice").status == 200);
        CHECK(f.sim.call_count(path) == 2);
    }
    SUBCASE("-1 twice → 401 relogin, and no third call") {
        f.fault(path, -1, 2);
        check_error(f.login("alice"), 401, "relogin");
        CHECK(f.sim.call_count(path) == 2);
    }
    SUBCASE("40125 wrong AppSecret → 503 wechat_unavailable") {
        f.fault(path, 40125);
        check_error(f.login("alice"), 503, "wechat_unavailable");
    }
    SUBCASE("missing code → 400") { check_error(f.s().post("/api/v1/auth/login", json::object()), 400, "missing_field"); }
}

TEST_CASE("login: a duplicate code returns the first login's user and asks WeChat once") {
    WechatFixture f;
    SUBCASE("one after the other") {
        std::string code = f.sim.mint_login_code("alice");
        auto first = f.s().post("/api/v1/auth/login", {{"code", code}});
        auto second = f.s().post("/api/v1/auth/login", {{"code", code}});
        REQUIRE(first.status == 200);
        REQUIRE(second.status == 200);
        CHECK(second.body["user"]["id"] == first.body["user"]["id"]);
        CHECK(second.body["token"] != first.body["token"]);
        CHECK(f.s().get("/api/v1/me", second.body["token"]).status == 200);
        CHECK(f.sim.call_count("/sns/jscode2session") == 1);
    }
    SUBCASE("at the same time") {
        std::string code = f.sim.mint_login_code("alice");
        // Every answer names the same user: one account, however the eight requests interleave.
        auto outcomes = test::race(8, [&](int) {
            test::Response a = f.s().post("/api/v1/auth/login", {{"code", code}});
            return a.status == 200 ? "user " + a.body["user"]["id"].dump() : test::outcome(a, 200, "");
        });
        INFO(test::describe(outcomes));
        REQUIRE(outcomes.size() == 1);
        CHECK(outcomes.begin()->first.rfind("user ", 0) == 0);
        CHECK(outcomes.begin()->second == 8);
        CHECK(f.sim.call_count("/sns/jscode2session") == 1);
    }
}

TEST_CASE("access token: 100 concurrent callers on an expired token cause exactly one refresh") {
    WechatFixture f;
    AccessTokenCache& tokens = f.app().wechat()->tokens();
    REQUIRE(tokens.get().ok());
    CHECK(f.sim.call_count("/cgi-bin/stable_token") == 1);
    REQUIRE(tokens.get().ok());
    CHECK(f.sim.call_count("/cgi-bin/stable_token") == 1);  // cached

    f.app().clock().advance(7200LL * 1000);  // past expiry
    auto outcomes = test::race(100, [&](int) { return tokens.get().ok() ? "ok" : "failed"; });
    CHECK(outcomes["ok"] == 100);
    CHECK(f.sim.call_count("/cgi-bin/stable_token") == 2);
    // The row is shared: another process (a second App on the same database) uses it as is.
    CHECK(f.count("SELECT count(*) FROM core_wechat_tokens WHERE token_enc IS NOT NULL") == 1);
}

TEST_CASE("access token: a token error invalidates only the failed token and retries once") {
    WechatFixture f;
    std::string token = f.token_for("alice");
    AccessTokenCache& tokens = f.app().wechat()->tokens();
    REQUIRE(tokens.get().ok());
    REQUIRE(f.sim.call_count("/cgi-bin/stable_token") == 1);

    SUBCASE("compare-and-delete leaves a token that is not the failed one") {
        tokens.invalidate("some-older-token");
        REQUIRE(tokens.get().ok());
        CHECK(f.sim.call_count("/cgi-bin/stable_token") == 1);
    }
    SUBCASE("40001 on a business call → refresh, one retry, success") {
        f.sim_post("/sim/tokens/invalidate");
        std::string code = f.sim_post("/sim/phone-code", {{"user", "alice"}, {"phone_number", "13812345678"}})["code"];
        auto r = f.s().post("/api/v1/auth/phone", {{"code", code}}, token);
        CAPTURE(r.text);
        CHECK(r.status == 200);
        CHECK(f.sim.call_count("/cgi-bin/stable_token") == 2);
        CHECK(f.sim.call_count("/wxa/business/getuserphonenumber") == 2);
    }
    SUBCASE("a token error that persists is surfaced after exactly one retry") {
        f.fault("/wxa/business/getuserphonenumber", 40001, 5);
        std::string code = f.sim_post("/sim/phone-code", {{"user", "alice"}, {"phone_number", "13812345678"}})["code"];
        check_error(f.s().post("/api/v1/auth/phone", {{"code", code}}, token), 503, "wechat_unavailable");
        CHECK(f.sim.call_count("/wxa/business/getuserphonenumber") == 2);
    }
}

TEST_CASE("phone: by the button's code, stored sealed, answered masked") {
    WechatFixture f;
    std::string token = f.token_for("alice");
    int64_t uid = f.user_id_of("alice");
    std::string code = f.sim_post("/sim/phone-code", {{"user", "alice"}, {"phone_number", "13812345678"},
                                                      {"country_code_as_string", true}})["code"];
    auto r = f.s().post("/api/v1/auth/phone", {{"code", code}}, token);
    CAPTURE(r.text);
    REQUIRE(r.status == 200);
    CHECK(r.body["phone"] == "138****5678");
    CHECK(r.body["country_code"] == "86");
    CHECK(r.text.find("13812345678") == std::string::npos);
    Conn& c = f.app().db().conn();
    auto q = c.prepare("SELECT phone_enc FROM core_users WHERE id = ?1");
    q->bind(1, uid);
    REQUIRE(q->executeStep());
    std::string blob = q->getColumn(0).getString();
    CHECK(blob.find("13812345678") == std::string::npos);
    auto plain = wechat::unseal(f.data_key, blob, "phone:" + std::to_string(uid));
    REQUIRE(plain.ok());
    CHECK(json::parse(*plain)["phone_number"] == "13812345678");

    // The code is single-use: a replay is the user's to redo.
    check_error(f.s().post("/api/v1/auth/phone", {{"code", code}}, token), 400, "invalid_code");
    check_error(f.s().post("/api/v1/auth/phone", {{"code", "x"}}), 401, "unauthorized");
}

TEST_CASE("phone: by legacy encryptedData + iv with the stored session_key, watermark.appid must be ours") {
    WechatFixture f;
    std::string token = f.token_for("alice");
    int64_t uid = f.user_id_of("alice");
    std::string sk = f.stored_session_key(uid);
    std::string iv = "0123456789abcdef";
    auto payload = [&](const std::string& appid) {
        return json{{"phoneNumber", "13900001111"}, {"purePhoneNumber", "13900001111"}, {"countryCode", "86"},
                    {"watermark", {{"appid", appid}, {"timestamp", 1700000000}}}}
            .dump();
    };
    std::string iv_b64 = wechat::base64_encode(iv);

    auto r = f.s().post("/api/v1/auth/phone",
                        {{"encryptedData", encrypt_user_data(sk, iv, payload(f.sim.options().appid))}, {"iv", iv_b64}}, token);
    CAPTURE(r.text);
    REQUIRE(r.status == 200);
    CHECK(r.body["phone"] == "139****1111");
    auto export_body = f.s().get("/api/v1/me/export", token).body;
    CHECK(export_body["account"]["phone"]["phone_number"] == "13900001111");

    check_error(f.s().post("/api/v1/auth/phone",
                           {{"encryptedData", encrypt_user_data(sk, iv, payload("wx0000000000000000"))}, {"iv", iv_b64}}, token),
                400, "invalid_data");
    // Encrypted with a session_key that is no longer the stored one (the client logged in again).
    std::string old_sk = sk;
    f.token_for("alice");
    REQUIRE(f.stored_session_key(uid) != old_sk);
    check_error(f.s().post("/api/v1/auth/phone",
                           {{"encryptedData", encrypt_user_data(old_sk, iv, payload(f.sim.options().appid))}, {"iv", iv_b64}}, token),
                409, "relogin");
}

TEST_CASE("WeChat not configured: its routes answer 503, the rest of the server is unaffected") {
    test::TestServer s;
    CHECK(s.app().wechat() == nullptr);
    check_error(s.post("/api/v1/auth/login", {{"code", "abc"}}), 503, "wechat_unavailable");
    CHECK(s.get("/healthz").status == 200);
}

TEST_CASE("dev mode: the embedded simulator stands in for WeChat and a newcomer can log in with it") {
    test::TempDir dir;
    Config c = load_config("", {});
    c.dev = true;
    c.data_dir = dir.path;
    auto sim = start_dev_simulator(c);
    REQUIRE(sim);
    CHECK(c.wechat.base_url == sim->base_url());
    CHECK(c.wechat.secrets.data_key.size() == 32);
    test::TestServer s([&](Config& tc) {
        tc.dev = true;
        tc.data_dir = dir.path;
        tc.wechat = c.wechat;
    });
    std::string help = dev_login_instructions(*sim, "http://127.0.0.1:" + std::to_string(s.port()));
    CHECK(help.find(sim->base_url() + "/sim/login-code") != std::string::npos);
    CHECK(help.find("/api/v1/auth/login") != std::string::npos);
    // The same steps the printed commands take.
    httplib::Client http(sim->base_url());
    auto minted = http.Post("/sim/login-code", R"({"user":"alice"})", "application/json");
    REQUIRE(minted);
    auto r = s.post("/api/v1/auth/login", {{"code", json::parse(minted->body)["code"]}});
    CHECK(r.status == 200);
    // The dev data key is kept for the next start.
    Config again = load_config("", {});
    again.dev = true;
    again.data_dir = dir.path;
    auto sim2 = start_dev_simulator(again);
    CHECK(again.wechat.secrets.data_key == c.wechat.secrets.data_key);
}
