// SPDX-License-Identifier: MIT
// The `wechat` config section: the free-form template registry validated entry by entry (naming
// the key), secrets only from the environment or a private secrets file, and the rules that keep
// production honest (https, required secrets).
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <fstream>

#include "../support/test_server.hpp"
#include "config.hpp"

using namespace yz;

namespace {

std::string write(const test::TempDir& d, const std::string& name, const std::string& text, mode_t mode = 0600) {
    std::string p = d.path + "/" + name;
    std::ofstream(p) << text;
    ::chmod(p.c_str(), mode);
    return p;
}

std::string error_of(const std::string& path, const std::map<std::string, std::string>& env = {}) {
    try {
        load_config(path, env);
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "";
}

const std::string kKey64 = std::string(64, 'a');  // a data key as 64 hex characters
const std::map<std::string, std::string> kSecrets = {{"YZ_WECHAT_SECRET", "s3cr3t-value"}, {"YZ_WECHAT_DATA_KEY", kKey64}};

}  // namespace

TEST_CASE("wechat: off by default, and the template registry is an open map validated per entry") {
    Config plain = load_config("", {});
    CHECK_FALSE(plain.wechat.enabled());
    CHECK(plain.wechat.templates.empty());

    test::TempDir d;
    Config c = load_config(write(d, "c.json", R"({"wechat": {"templates": {
        "booking_confirmed": {"template_id": "TPL1", "page": "pages/b", "keywords": {"thing1": "thing", "time2": "time"}}}}})"), {});
    REQUIRE(c.wechat.templates.count("booking_confirmed") == 1);
    const auto& t = c.wechat.templates.at("booking_confirmed");
    CHECK(t.template_id == "TPL1");
    CHECK(t.page == "pages/b");
    CHECK(t.keywords.size() == 2);
    CHECK(c.wechat.by_template_id("TPL1") == &t);

    CHECK(error_of(write(d, "c.json", R"({"wechat": {"templates": {"x": {"template_id": "T", "keywords": {"thing1": "thing"}, "pgae": ""}}}})"))
              .find("wechat.templates.x.pgae") != std::string::npos);
    CHECK(error_of(write(d, "c.json", R"({"wechat": {"templates": {"x": {"template_id": "T", "keywords": {"thing1": "time"}}}}})"))
              .find("wechat.templates.x.keywords.thing1") != std::string::npos);
    CHECK(error_of(write(d, "c.json", R"({"wechat": {"templates": {"x": {"template_id": "T", "keywords": {"colour1": "colour"}}}}})"))
              .find("unknown keyword type") != std::string::npos);
    CHECK(error_of(write(d, "c.json", R"({"wechat": {"templates": {"x": {"keywords": {"thing1": "thing"}}}}})"))
              .find("wechat.templates.x.template_id") != std::string::npos);
    CHECK(error_of(write(d, "c.json", R"({"wechat": {"templates": []}})")).find("wechat.templates") != std::string::npos);
    // Still strict everywhere else in the section.
    CHECK(error_of(write(d, "c.json", R"({"wechat": {"apid": "wx1"}})")).find("wechat.apid") != std::string::npos);
    // The registry can come from the environment as JSON too.
    Config e = load_config("", {{"YZ_WECHAT_TEMPLATES", R"({"k": {"template_id": "T9", "keywords": {"phrase1": "phrase"}}})"}});
    CHECK(e.wechat.templates.at("k").template_id == "T9");
}

TEST_CASE("wechat: a keyword may show a field of the station's data under another name") {
    test::TempDir d;
    Config c = load_config(write(d, "c.json", R"({"wechat": {"templates": {"convenience.booked": {"template_id": "T1",
        "keywords": {"thing1": {"from": "service"}, "time2": {"from": "start", "type": "time"}, "character_string3": "character_string"}}}}})"), {});
    const auto& t = c.wechat.templates.at("convenience.booked");
    CHECK(t.keywords.size() == 3);
    CHECK(t.sources.at("thing1") == "service");
    CHECK(t.sources.at("time2") == "start");
    CHECK(t.sources.count("character_string3") == 0);  // shows the field of its own name
    CHECK(error_of(write(d, "c.json", R"({"wechat": {"templates": {"x": {"template_id": "T", "keywords": {"thing1": {"form": "a"}}}}}})"))
              .find("wechat.templates.x.keywords.thing1.form") != std::string::npos);
    CHECK(error_of(write(d, "c.json", R"({"wechat": {"templates": {"x": {"template_id": "T", "keywords": {"thing1": {"from": "A b"}}}}}})"))
              .find("wechat.templates.x.keywords.thing1.from") != std::string::npos);
    CHECK(error_of(write(d, "c.json", R"({"wechat": {"templates": {"x": {"template_id": "T", "keywords": {"thing1": {"from": "a", "type": "time"}}}}}})"))
              .find("is not of type 'time'") != std::string::npos);
}

TEST_CASE("wechat: secrets come from the environment or a private file, never from the config") {
    test::TempDir d;
    // A secret in the config file is an unknown key.
    CHECK(error_of(write(d, "c.json", R"({"wechat": {"secret": "abc"}})")).find("wechat.secret") != std::string::npos);

    std::string cfg = write(d, "c.json", R"({"wechat": {"base_url": "https://api.weixin.qq.com", "appid": "wx1"}})");
    CHECK(error_of(cfg).find("YZ_WECHAT_SECRET") != std::string::npos);
    CHECK(error_of(cfg, {{"YZ_WECHAT_SECRET", "x"}}).find("YZ_WECHAT_DATA_KEY") != std::string::npos);
    Config c = load_config(cfg, kSecrets);
    CHECK(c.wechat.enabled());
    CHECK(c.wechat.secrets.app_secret == "s3cr3t-value");
    CHECK(c.wechat.secrets.data_key.size() == 32);

    std::string secrets = write(d, "secrets.json",
                                R"({"app_secret": "from-file", "data_key": ")" + kKey64 + R"(", "push_token": "T0ken"})");
    std::map<std::string, std::string> env = {{"YZ_WECHAT_SECRETS_FILE", secrets}};
    Config f = load_config(cfg, env);
    CHECK(f.wechat.secrets.app_secret == "from-file");
    CHECK(f.wechat.secrets.push_token == "T0ken");
    env["YZ_WECHAT_SECRET"] = "from-env";  // the environment wins
    CHECK(load_config(cfg, env).wechat.secrets.app_secret == "from-env");

    ::chmod(secrets.c_str(), 0640);
    std::string why = error_of(cfg, {{"YZ_WECHAT_SECRETS_FILE", secrets}});
    CHECK(why.find("640") != std::string::npos);
    CHECK(why.find("from-file") == std::string::npos);
    ::chmod(secrets.c_str(), 0604);
    CHECK(error_of(cfg, {{"YZ_WECHAT_SECRETS_FILE", secrets}}).find("readable by the service only") != std::string::npos);

    std::string junk = write(d, "junk.json", R"({"app_secret": "leak-me", "bogus": 1})");
    CHECK(error_of(cfg, {{"YZ_WECHAT_SECRETS_FILE", junk}}).find("bogus") != std::string::npos);
    CHECK(error_of(cfg, {{"YZ_WECHAT_SECRET", "x"}, {"YZ_WECHAT_DATA_KEY", "short"}}).find("32 bytes") != std::string::npos);
    CHECK(error_of(cfg, {{"YZ_WECHAT_SECRET", "x"}, {"YZ_WECHAT_DATA_KEY", kKey64}, {"YZ_WECHAT_AES_KEY", "tooshort"}})
              .find("43") != std::string::npos);
}

TEST_CASE("wechat: certificates are verified, so plain http is only for the simulator on loopback") {
    test::TempDir d;
    auto with_url = [&](const std::string& url) {
        return error_of(write(d, "c.json", R"({"wechat": {"base_url": ")" + url + R"(", "appid": "wx1"}})"), kSecrets);
    };
    CHECK(with_url("http://api.weixin.qq.com").find("https://") != std::string::npos);
    CHECK(with_url("https://api.weixin.qq.com") == "");
    CHECK(with_url("http://127.0.0.1:8081") == "");
    Config c = load_config("", {});
    CHECK(c.wechat.ca_bundle == "/etc/ssl/certs/ca-certificates.crt");
    CHECK(error_of(write(d, "c.json", R"({"wechat": {"push_mode": "loud"}})")).find("wechat.push_mode") != std::string::npos);
    CHECK(error_of(write(d, "c.json", R"({"wechat": {"outbox_max_attempts": 0}})")).find("outbox_max_attempts") != std::string::npos);
}
