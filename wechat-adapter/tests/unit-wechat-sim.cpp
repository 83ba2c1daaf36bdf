// SPDX-License-Identifier: MIT
// The simulator itself: token families, control routes, and pushes fired at a real receiver that
// mounts PushVerifier on POST /wechat/push exactly as the core will.
#include <doctest/doctest.h>

#include <chrono>
#include <mutex>
#include <thread>
#include <vector>
#include <yz/wechat/push_verifier.hpp>

#include "sim_fixture.hpp"

using namespace yz::wechat;
using nlohmann::json;
using yz::wechat::testing::SimFixture;

namespace {

/// Our side of the push: an httplib server whose /wechat/push hands requests to PushVerifier,
/// recording every decoded message.
class PushReceiver {
  public:
    PushReceiver(const SimulatorOptions& sim, PushMode mode) {
        PushConfig config;
        config.token = sim.push_token;
        config.appid = sim.appid;
        config.encoding_aes_key = sim.encoding_aes_key;
        config.mode = mode;
        auto verifier = PushVerifier::create(std::move(config));
        REQUIRE(verifier.ok());
        verifier_ = std::move(verifier).value();
        auto handler = [this](const httplib::Request& req, httplib::Response& res) {
            auto out = verifier_->handle(req.method, req.params, req.body);
            if (!out) {
                res.status = PushVerifier::http_status_for(out.code());
                res.set_content(std::string(to_string(out.code())), "text/plain");
                return;
            }
            res.set_content(out->response_body, "text/plain");
            std::lock_guard lock(mutex_);
            if (out->message) messages_.push_back(*out->message);
        };
        server_.Get("/wechat/push", handler);
        server_.Post("/wechat/push", handler);
        port_ = server_.bind_to_any_port("127.0.0.1");
        REQUIRE(port_ > 0);
        thread_ = std::thread([this] { server_.listen_after_bind(); });
        while (!server_.is_running()) std::this_thread::yield();
    }
    ~PushReceiver() {
        server_.stop();
        thread_.join();
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/wechat/push"; }
    std::vector<PushMessage> messages() {
        std::lock_guard lock(mutex_);
        return messages_;
    }

  private:
    std::unique_ptr<PushVerifier> verifier_;
    httplib::Server server_;
    std::thread thread_;
    int port_ = 0;
    std::mutex mutex_;
    std::vector<PushMessage> messages_;
};

json text_message(const std::string& openid, const std::string& content) {
    return {{"FromUserName", openid},
            {"MsgType", "text"},
            {"Content", content},
            {"MsgId", "123456789012345678"}};
}

}  // namespace

TEST_CASE_FIXTURE(SimFixture, "health and the call counter (control routes are not counted)") {
    CHECK(control_get("/sim/health")["ok"] == true);
    token();
    CHECK(control_get("/sim/calls")["counts"] == json{{"/cgi-bin/stable_token", 1}});
    CHECK(sim.call_counts().size() == 1);
}

TEST_CASE_FIXTURE(SimFixture,
                  "legacy cgi-bin/token: a new token per call, the old one lives 5 more minutes") {
    httplib::Client http(sim.base_url());
    auto legacy = [&] {
        const auto res =
            http.Get("/cgi-bin/token?grant_type=client_credential&appid=" + sim.options().appid +
                     "&secret=" + sim.options().secret);
        REQUIRE(res);
        return json::parse(res->body)["access_token"].get<std::string>();
    };
    const auto alice = login("alice");
    const auto stable = token();
    const auto a = legacy();
    const auto b = legacy();
    CHECK(a != b);
    CHECK(client().check_session(a, alice.openid, alice.session_key).ok());
    sim.advance_clock(301);
    CHECK(client().check_session(a, alice.openid, alice.session_key).status.errcode == 42001);
    CHECK(client().check_session(b, alice.openid, alice.session_key).ok());
    // The families are independent: legacy calls never disturbed the stable token.
    CHECK(client().check_session(stable, alice.openid, alice.session_key).ok());
    CHECK(token() == stable);
}

TEST_CASE_FIXTURE(SimFixture,
                  "stable_token force_refresh kills the old token, but not twice within 30 s") {
    httplib::Client http(sim.base_url());
    auto forced = [&] {
        const json body = {{"grant_type", "client_credential"},
                           {"appid", sim.options().appid},
                           {"secret", sim.options().secret},
                           {"force_refresh", true}};
        const auto res = http.Post("/cgi-bin/stable_token", body.dump(), "application/json");
        REQUIRE(res);
        return json::parse(res->body)["access_token"].get<std::string>();
    };
    const auto alice = login("alice");
    const auto before = token();
    const auto after = forced();
    CHECK(after != before);
    CHECK(client().check_session(before, alice.openid, alice.session_key).status.errcode == 40001);
    CHECK(forced() == after);  // within 30 s: not refreshed
    sim.advance_clock(31);
    CHECK(forced() != after);
}

TEST_CASE_FIXTURE(SimFixture, "pushes in every mode and format reach PushVerifier and decode") {
    const auto openid = sim.openid_for("alice");
    struct Variant {
        const char* mode;
        const char* format;
        PushMode receiver_mode;
    };
    const std::vector<Variant> variants = {
        {"safe", "json", PushMode::safe},
        {"safe", "xml", PushMode::safe},
        {"compatible", "json", PushMode::compatible},
        {"compatible", "xml", PushMode::compatible},
        {"plain", "json", PushMode::plain},
        {"plain", "xml", PushMode::plain},
    };
    for (const auto& v : variants) {
        CAPTURE(v.mode);
        CAPTURE(v.format);
        PushReceiver receiver(sim.options(), v.receiver_mode);
        const auto answer =
            control("/sim/push", {{"url", receiver.url()},
                                  {"mode", v.mode},
                                  {"format", v.format},
                                  {"message", text_message(openid, "楼道灯坏了 <b>&</b>")}});
        CHECK(answer["status"] == 200);
        CHECK(answer["body"] == "success");
        const auto got = receiver.messages();
        REQUIRE(got.size() == 1);
        CHECK(got[0].from_user_name == openid);
        CHECK(got[0].to_user_name == sim.options().push_to_user);
        CHECK(std::get<TextMessage>(got[0].payload).content == "楼道灯坏了 <b>&</b>");
        CHECK(got[0].dedupe_key() == "msg:123456789012345678");
    }
}

TEST_CASE_FIXTURE(SimFixture, "a push signed with another token is refused with 401") {
    SimulatorOptions other = sim.options();
    other.push_token = "SomeoneElsesToken";
    PushReceiver receiver(other, PushMode::safe);
    const auto answer =
        control("/sim/push", {{"url", receiver.url()}, {"message", text_message("o1", "x")}});
    CHECK(answer["status"] == 401);
    CHECK(answer["body"] == "bad_signature");
    CHECK(receiver.messages().empty());
}

TEST_CASE_FIXTURE(SimFixture, "stale and replayed pushes are refused by the receiver") {
    PushReceiver receiver(sim.options(), PushMode::safe);
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    const auto stale = control("/sim/push", {{"url", receiver.url()},
                                             {"timestamp", std::to_string(now - 3600)},
                                             {"message", text_message("o1", "old")}});
    CHECK(stale["status"] == 401);
    CHECK(stale["body"] == "stale_timestamp");

    const json replayable = {{"url", receiver.url()},
                             {"timestamp", std::to_string(now)},
                             {"nonce", "1234567"},
                             {"message", text_message("o1", "once")}};
    CHECK(control("/sim/push", replayable)["status"] == 200);
    const auto again = control("/sim/push", replayable);
    CHECK(again["status"] == 401);
    CHECK(again["body"] == "replayed_nonce");
    CHECK(receiver.messages().size() == 1);
}

TEST_CASE_FIXTURE(SimFixture,
                  "grant with push: the popup event reaches us, then the send succeeds") {
    PushReceiver receiver(sim.options(), PushMode::safe);
    sim.add_template("TPL_BOOKED", {"thing1", "time2"});
    for (const char* format : {"json", "xml"}) {
        CAPTURE(format);
        const auto answer = control("/sim/subscribe/grant",
                                    {{"user", "alice"},
                                     {"template_id", "TPL_BOOKED"},
                                     {"push", {{"url", receiver.url()}, {"format", format}}}});
        CHECK(answer["push"]["status"] == 200);
    }
    const auto got = receiver.messages();
    REQUIRE(got.size() == 2);
    for (const auto& m : got) {
        const auto* popup = std::get_if<SubscribePopupEvent>(&m.payload);
        REQUIRE(popup != nullptr);
        REQUIRE(popup->decisions.size() == 1);
        CHECK(popup->decisions[0].template_id == "TPL_BOOKED");
        CHECK(popup->decisions[0].accepted());
        CHECK(m.from_user_name == sim.openid_for("alice"));
    }
    const auto alice = login("alice");
    const SubscribeMessage msg{
        alice.openid, "TPL_BOOKED", "", {{"thing1", "活动提醒"}, {"time2", "09:30"}}, "", ""};
    const auto tok = token();
    CHECK(client().send_subscribe(tok, msg).ok());
    CHECK(client().send_subscribe(tok, msg).ok());  // two grants → two sends
    CHECK(client().send_subscribe(tok, msg).status.errcode == 43101);
    CHECK(control_get("/sim/messages?user=alice")["messages"].size() == 2);
}

TEST_CASE_FIXTURE(SimFixture, "control routes refuse malformed requests with 400") {
    httplib::Client http(sim.base_url());
    CHECK(http.Post("/sim/login-code", "[]", "application/json")->status == 400);
    CHECK(http.Post("/sim/login-code", "{}", "application/json")->status == 400);
    CHECK(http.Post("/sim/push", R"({"url":"http://x","mode":"weird"})", "application/json")
              ->status == 400);
    CHECK(http.Post("/sim/fault", R"({"path":"/x"})", "application/json")->status == 400);
    CHECK(http.Get("/sim/messages")->status == 400);
}

TEST_CASE_FIXTURE(SimFixture, "reset forgets codes, grants, faults, counters and the clock") {
    const auto code = sim.mint_login_code("alice");
    sim.add_template("T", {"thing1"});
    control("/sim/fault", {{"path", "*"}, {"errcode", -1}, {"count", 5}});
    control("/sim/clock/advance", {{"seconds", 100000}});
    control("/sim/reset");
    CHECK(sim.call_counts().empty());
    CHECK(client().code_to_session(code).status.errcode == 40029);  // code forgotten, no fault
    CHECK(client().stable_token().ok());
}

TEST_CASE("stop() cuts an injected latency short") {
    Simulator sim;
    REQUIRE(sim.start());
    {
        httplib::Client http(sim.base_url());
        REQUIRE(http.Post("/sim/fault", R"({"path":"*","latency_ms":30000})", "application/json"));
    }
    std::thread caller([url = sim.base_url()] {
        httplib::Client http(url);
        http.set_read_timeout(std::chrono::seconds(60));
        (void)http.Get("/sns/jscode2session");
    });
    // Poll for the call to be inside the handler before stopping (readiness, not a fixed sleep).
    while (sim.call_count("/sns/jscode2session") == 0) std::this_thread::yield();
    const auto started = std::chrono::steady_clock::now();
    sim.stop();
    caller.join();
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
}
