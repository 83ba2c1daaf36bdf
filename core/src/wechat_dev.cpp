// SPDX-License-Identifier: MIT
// The embedded WeChat simulator for dev mode (see wechat_dev.hpp).
#include "wechat_dev.hpp"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include <yz/wechat/encoding.hpp>

namespace yz {

namespace {

std::string dev_data_key(const std::string& data_dir) {
    std::filesystem::create_directories(data_dir);
    std::string path = data_dir + "/dev-wechat-data.key";
    {
        std::ifstream in(path);
        std::string text;
        if (in >> text) {
            std::string key = decode_data_key(text);
            if (!key.empty()) return key;
        }
    }
    std::string key = wechat::random_bytes(32);
    {
        std::ofstream out(path, std::ios::trunc);
        out << wechat::to_hex(key) << "\n";
        if (!out) throw std::runtime_error("cannot write " + path);
    }
    ::chmod(path.c_str(), 0600);
    return key;
}

}  // namespace

std::unique_ptr<wechat::Simulator> start_dev_simulator(Config& cfg) {
    auto sim = std::make_unique<wechat::Simulator>();
    if (!sim->start("127.0.0.1", 0)) throw std::runtime_error("the WeChat simulator could not bind a loopback port");
    WechatConfig& w = cfg.wechat;
    const auto& o = sim->options();
    w.base_url = sim->base_url();
    w.appid = o.appid;
    w.push_mode = "safe";
    w.secrets.app_secret = o.secret;
    w.secrets.push_token = o.push_token;
    w.secrets.encoding_aes_key = o.encoding_aes_key;
    w.secrets.previous_encoding_aes_key.clear();
    if (w.secrets.data_key.empty()) w.secrets.data_key = dev_data_key(cfg.data_dir);
    for (const auto& [key, t] : w.templates) {
        std::vector<std::string> keywords;
        for (const auto& [kw, type] : t.keywords) keywords.push_back(kw);
        sim->add_template(t.template_id, keywords);
    }
    return sim;
}

std::string dev_login_instructions(const wechat::Simulator& sim, const std::string& server_url) {
    std::string s = sim.base_url();
    return "WeChat simulator on " + s + " (dev only). Log in as a mini-program user:\n"
           "  curl -s -X POST " + s + "/sim/login-code -H 'Content-Type: application/json' -d '{\"user\":\"alice\"}'\n"
           "  curl -s -X POST " + server_url + "/api/v1/auth/login -H 'Content-Type: application/json' -d '{\"code\":\"<code from above>\"}'\n"
           "or in one go:\n"
           "  curl -s -X POST " + server_url + "/api/v1/auth/login -H 'Content-Type: application/json' -d \"{\\\"code\\\":\\\"$(curl -s -X POST " +
           s + "/sim/login-code -d '{\"user\":\"alice\"}' | sed 's/.*\"code\":\"\\([^\"]*\\)\".*/\\1/')\\\"}\"\n"
           "Simulator controls (grants, pushes, faults): see wechat-adapter/sim/README.md\n";
}

}  // namespace yz
