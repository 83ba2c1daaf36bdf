// SPDX-License-Identifier: MIT
// The host services of plugin ABI 1.1, called by a real station (the fx_good fixture) over HTTP:
// signatures under a per-station key, WeChat's text check, and a resident's full phone number for
// a station's staff only, audited.
#include <doctest/doctest.h>

#include "it-wechat-fixture.hpp"

using namespace yz;
using nlohmann::json;
using test::TestServer;
using test::WechatFixture;

namespace {

const std::string kGood = "/api/v1/stations/fx_good/";
const std::string kGood2 = "/api/v1/stations/fx_good2/";

StationConfig fixture(const std::string& id) {
    StationConfig sc;
    sc.id = id;
    sc.file = "libstation_" + id + ".so";
    return sc;
}

void with_fixtures(Config& c) {
    c.stations_dir = test::fixtures_dir();
    c.stations = {fixture("fx_good"), fixture("fx_good2")};
}

std::string sign(TestServer& s, const std::string& base, const std::string& purpose, const std::string& payload) {
    auto r = s.post(base + "sign", {{"purpose", purpose}, {"payload", payload}});
    REQUIRE(r.status == 200);
    return r.body["signature"];
}

bool verify(TestServer& s, const std::string& base, const std::string& purpose, const std::string& payload, const std::string& sig) {
    auto r = s.post(base + "verify", {{"purpose", purpose}, {"payload", payload}, {"signature", sig}});
    REQUIRE(r.status == 200);
    return r.body["valid"];
}

}  // namespace

TEST_CASE("sign: a station's signature verifies only for its purpose, payload and station, and survives a restart") {
    test::TempDir data;
    std::string sig;
    {
        TestServer s([&](Config& c) { with_fixtures(c); c.data_dir = data.path; });
        sig = sign(s, kGood, "checkin", "post=7;window=123");
        CHECK(sig.size() == 43);
        CHECK(sig.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == std::string::npos);
        CHECK(verify(s, kGood, "checkin", "post=7;window=123", sig));
        CHECK_FALSE(verify(s, kGood, "checkin", "post=8;window=123", sig));
        CHECK_FALSE(verify(s, kGood, "certificate", "post=7;window=123", sig));
        // The purpose's length is signed: moving a character across the boundary changes it.
        CHECK(sign(s, kGood, "ab", "c") != sign(s, kGood, "a", "bc"));
        std::string tampered = sig;
        tampered[5] = tampered[5] == 'A' ? 'B' : 'A';
        CHECK_FALSE(verify(s, kGood, "checkin", "post=7;window=123", tampered));
        CHECK_FALSE(verify(s, kGood, "checkin", "post=7;window=123", sig.substr(0, 42)));
        // Another station has its own key.
        CHECK(sign(s, kGood2, "checkin", "post=7;window=123") != sig);
        CHECK_FALSE(verify(s, kGood2, "checkin", "post=7;window=123", sig));
    }
    TestServer again([&](Config& c) { with_fixtures(c); c.data_dir = data.path; });
    CHECK(verify(again, kGood, "checkin", "post=7;window=123", sig));
}

TEST_CASE("screen_text: WeChat's verdict reaches the station, without WeChat it fails closed into review") {
    SUBCASE("no WeChat configured") {
        TestServer s(with_fixtures);
        std::string token = s.login("zhang");
        auto r = s.post(kGood + "screen", {{"text", "服务很好"}}, token);
        REQUIRE(r.status == 200);
        CHECK(r.body["verdict"] == "review");
    }
    SUBCASE("through the simulator") {
        WechatFixture f(with_fixtures);
        std::string token = f.token_for("alice");
        f.sim_post("/sim/sec-check/words", {{"risky", {"赌博"}}, {"review", {"投诉"}}});
        CHECK(f.s().post(kGood + "screen", {{"text", "服务很好，谢谢"}}, token).body["verdict"] == "pass");
        CHECK(f.s().post(kGood + "screen", {{"text", "我要投诉"}}, token).body["verdict"] == "review");
        CHECK(f.s().post(kGood + "screen", {{"text", "来赌博吧"}}, token).body["verdict"] == "risky");
    }
}

TEST_CASE("reveal_phone: the full number for this station's staff only, and every read audited") {
    WechatFixture f(with_fixtures);
    std::string alice = f.token_for("alice");
    int64_t alice_id = f.user_id_of("alice");
    std::string code = f.sim_post("/sim/phone-code", {{"user", "alice"}, {"phone_number", "13812345678"}})["code"];
    REQUIRE(f.s().post("/api/v1/auth/phone", {{"code", code}}, alice).status == 200);
    std::string path = kGood + "phone/" + std::to_string(alice_id);
    auto audited = [&] {
        return f.count("SELECT count(*) FROM core_audit WHERE action = 'privacy.phone_revealed' AND record_id = ?1", alice_id);
    };

    std::string staff = f.s().login("staff-good", {"staff:fx_good"});
    auto r = f.s().get(path, staff);
    REQUIRE(r.status == 200);
    CHECK(r.body["phone"] == "13812345678");
    CHECK(audited() == 1);

    // The resident herself, another station's staff: refused by the host, nothing audited.
    CHECK(f.s().get(path, alice).status == 403);
    CHECK(f.s().get(path, f.s().login("staff-other", {"staff:fx_good2"})).status == 403);
    CHECK(audited() == 1);

    // A resident with no number: nothing to reveal.
    f.token_for("bob");
    CHECK(f.s().get(kGood + "phone/" + std::to_string(f.user_id_of("bob")), staff).status == 404);
}

TEST_CASE("privacy: each station's part is in the export, and if one station cannot erase, nothing is erased") {
    SUBCASE("every station erases: the notes are gone with the account") {
        TestServer s(with_fixtures);
        std::string token = s.login("alice");
        REQUIRE(s.post(kGood + "notes", {{"text", "住址：幸福里 3 号"}}, token).status == 201);
        REQUIRE(s.post(kGood2 + "notes", {{"text", "电话已登记"}}, token).status == 201);
        auto exported = s.get("/api/v1/me/export", token);
        REQUIRE(exported.status == 200);
        CHECK(exported.body["stations"]["fx_good"]["notes"] == json::array({"住址：幸福里 3 号"}));
        CHECK(exported.body["stations"]["fx_good2"]["notes"] == json::array({"电话已登记"}));
        REQUIRE(s.del("/api/v1/me", token).status == 200);
        CHECK(s.scalar("SELECT count(*) FROM fx_good_notes") == 0);
        CHECK(s.scalar("SELECT count(*) FROM fx_good2_notes") == 0);
    }
    SUBCASE("one station fails: the other's deletion and the core's are rolled back, and the caller may retry") {
        TestServer s([](Config& c) {
            with_fixtures(c);
            c.stations[1].config = {{"refuse_erase", true}};
        });
        std::string token = s.login("alice");
        REQUIRE(s.post(kGood + "notes", {{"text", "住址：幸福里 3 号"}}, token).status == 201);
        auto refused = s.del("/api/v1/me", token);
        CHECK(refused.status == 503);
        CHECK(refused.body["error"]["code"] == "erase_failed");
        CHECK(s.scalar("SELECT count(*) FROM fx_good_notes") == 1);
        CHECK(s.scalar("SELECT count(*) FROM core_users WHERE deleted_at IS NOT NULL") == 0);
        CHECK(s.get("/api/v1/me", token).status == 200);
    }
}

TEST_CASE("notify: data the template registry cannot send is refused to the station at once, with the reason") {
    WechatFixture f([](Config& c) {
        with_fixtures(c);
        c.wechat.templates["fx.booked"] = WechatTemplate{"TPL_FX", "", {{"thing1", "thing"}, {"time2", "time"}}, {{"thing1", "service"}, {"time2", "start"}}};
    });
    std::string token = f.token_for("alice");
    auto notify = [&](const std::string& key, const json& data) {
        auto r = f.s().post(kGood + "notify", {{"template_key", key}, {"data", data}}, token);
        REQUIRE_MESSAGE(r.status == 200, r.text);
        return r.body["job_id"].get<int64_t>();
    };
    auto queued = [&] { return f.s().scalar("SELECT count(*) FROM core_outbox WHERE station = 'fx_good'"); };

    // A field the mapping needs is missing: nothing queued, the station hears 0 and the request goes on.
    CHECK(notify("fx.booked", {{"service", "理发"}}) == 0);
    CHECK(queued() == 0);
    // A value no time keyword can show.
    CHECK(notify("fx.booked", {{"service", "理发"}, {"start", "明天上午"}}) == 0);
    CHECK(queued() == 0);
    // Complete data is queued; a key the registry does not map is queued too (the deployment's choice).
    CHECK(notify("fx.booked", {{"service", "理发"}, {"start", "2026-12-08T00:30:00Z"}}) > 0);
    CHECK(notify("fx.unmapped", {{"anything", 1}}) > 0);
    CHECK(queued() == 2);
}
