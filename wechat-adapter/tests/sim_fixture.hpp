// SPDX-License-Identifier: MIT
// Test support: a Simulator on an ephemeral loopback port, a Client pointed at it, and a helper to
// call the simulator's /sim/ control routes over real HTTP.
#pragma once

#include <doctest/doctest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <string>
#include <yz/wechat/client.hpp>
#include <yz/wechat/simulator.hpp>

namespace yz::wechat::testing {

struct SimFixture {
    Simulator sim;

    SimFixture() { REQUIRE(sim.start("127.0.0.1", 0)); }

    ClientOptions client_options() const {
        ClientOptions o;
        o.base_url = sim.base_url();
        o.appid = sim.options().appid;
        o.secret = sim.options().secret;
        o.connect_timeout = std::chrono::milliseconds(2000);
        o.read_timeout = std::chrono::milliseconds(5000);
        return o;
    }
    Client client() const { return Client(client_options()); }

    /// POST a JSON body to a control route; REQUIREs HTTP 200 and returns the JSON answer.
    nlohmann::json control(const std::string& path,
                           const nlohmann::json& body = nlohmann::json::object()) {
        httplib::Client http(sim.base_url());
        const auto res = http.Post(path, body.dump(), "application/json");
        REQUIRE(res);
        CAPTURE(res->body);
        REQUIRE(res->status == 200);
        return nlohmann::json::parse(res->body);
    }

    nlohmann::json control_get(const std::string& path_and_query) {
        httplib::Client http(sim.base_url());
        const auto res = http.Get(path_and_query);
        REQUIRE(res);
        REQUIRE(res->status == 200);
        return nlohmann::json::parse(res->body);
    }

    /// A fresh login for `user`, returning the stored session.
    Session login(const std::string& user) {
        const auto code = control("/sim/login-code", {{"user", user}})["code"].get<std::string>();
        auto s = client().code_to_session(code);
        REQUIRE(s.ok());
        return s.value;
    }

    std::string token() {
        auto t = client().stable_token();
        REQUIRE(t.ok());
        return t.value.access_token;
    }
};

}  // namespace yz::wechat::testing
