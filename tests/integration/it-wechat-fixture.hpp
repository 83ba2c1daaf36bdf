// SPDX-License-Identifier: MIT
// Shared by the it-wechat-* tests: the adapter's WeChat simulator on an ephemeral loopback port and
// a real App (TestServer) configured against it — appid, secrets, a template registry — on a data
// directory that survives restart(), so a test can destroy the server and build it again.
#pragma once

#include <doctest/doctest.h>
#include <httplib.h>

#include <functional>
#include <memory>
#include <string>

#include <yz/wechat/client.hpp>
#include <yz/wechat/sealed_box.hpp>
#include <yz/wechat/signature.hpp>
#include <yz/wechat/simulator.hpp>

#include "../support/test_server.hpp"

namespace yz::test {

struct WechatFixture {
    static constexpr const char* kTemplateId = "TPL_BOOKED";
    static constexpr const char* kTemplateKey = "booking_confirmed";

    wechat::Simulator sim;
    TempDir data;
    std::string data_key = std::string(32, '\x5a');  // the at-rest key the server is given
    std::function<void(Config&)> extra;
    std::unique_ptr<TestServer> server;

    explicit WechatFixture(std::function<void(Config&)> tune = nullptr) : extra(std::move(tune)) {
        REQUIRE(sim.start("127.0.0.1", 0));
        sim.add_template(kTemplateId, {"thing1", "time2"});
        restart();
    }

    // Destroys the server (if any) and starts a new one on the same data directory.
    void restart() {
        server.reset();
        server = another_server();
    }

    // Another server on the same data directory, beside the first: what a second worker process
    // is to the first (its own connections, write gate, caches and clock).
    std::unique_ptr<TestServer> another_server() {
        return std::make_unique<TestServer>([this](Config& c) {
            c.data_dir = data.path;
            WechatConfig& w = c.wechat;
            w.base_url = sim.base_url();
            w.appid = sim.options().appid;
            w.connect_timeout_ms = 2000;
            w.read_timeout_ms = 5000;
            w.secrets.app_secret = sim.options().secret;
            w.secrets.push_token = sim.options().push_token;
            w.secrets.encoding_aes_key = sim.options().encoding_aes_key;
            w.secrets.data_key = data_key;
            w.templates[kTemplateKey] = WechatTemplate{kTemplateId, "pages/booking/detail?id=1", {{"thing1", "thing"}, {"time2", "time"}}, {}};
            if (extra) extra(c);
        });
    }

    TestServer& s() { return *server; }
    App& app() { return server->app(); }
    std::string push_url() const { return "http://127.0.0.1:" + std::to_string(server->port()) + "/wechat/push"; }

    // POST to a simulator control route; REQUIREs 200.
    nlohmann::json sim_post(const std::string& path, const nlohmann::json& body = nlohmann::json::object()) {
        httplib::Client http(sim.base_url());
        auto res = http.Post(path, body.dump(), "application/json");
        REQUIRE(res);
        CAPTURE(res->body);
        REQUIRE(res->status == 200);
        return nlohmann::json::parse(res->body);
    }
    nlohmann::json sim_get(const std::string& path) {
        httplib::Client http(sim.base_url());
        auto res = http.Get(path);
        REQUIRE(res);
        REQUIRE(res->status == 200);
        return nlohmann::json::parse(res->body);
    }
    void fault(const std::string& path, int errcode, int count = 1) {
        sim_post("/sim/fault", {{"path", path}, {"errcode", errcode}, {"count", count}});
    }

    Response login(const std::string& user) { return server->post("/api/v1/auth/login", {{"code", sim.mint_login_code(user)}}); }
    // Logs `user` in through WeChat and returns our session token.
    std::string token_for(const std::string& user) {
        auto r = login(user);
        CAPTURE(r.text);
        REQUIRE(r.status == 200);
        return r.body["token"];
    }
    int64_t user_id_of(const std::string& user) {
        auto id = app().identity().find_user(sim.openid_for(user));
        REQUIRE(id);
        return *id;
    }

    // One integer from SQL with one integer parameter.
    int64_t count(const std::string& sql, int64_t param = 0) {
        return sql.find("?1") != std::string::npos ? server->scalar(sql, {param}) : server->scalar(sql);
    }

    // The session_key the server holds for a user (unsealed with the test's data key).
    std::string stored_session_key(int64_t uid) {
        Conn& c = app().db().conn();
        auto q = c.prepare("SELECT session_key_enc FROM core_wechat_session_keys WHERE user_id = ?1");
        q->bind(1, uid);
        REQUIRE(q->executeStep());
        auto sk = wechat::unseal(data_key, q->getColumn(0).getString(), "session_key:" + std::to_string(uid));
        REQUIRE(sk.ok());
        return *sk;
    }

    wechat::Client client() const {
        wechat::ClientOptions o;
        o.base_url = sim.base_url();
        o.appid = sim.options().appid;
        o.secret = sim.options().secret;
        return wechat::Client(o);
    }
};

}  // namespace yz::test
