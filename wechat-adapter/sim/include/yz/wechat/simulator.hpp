// SPDX-License-Identifier: MIT
// An in-memory WeChat server for development and tests. It speaks the paths, fields, errcodes,
// signatures and encryption of PROTOCOL.md (jscode2session, stable_token, token,
// getuserphonenumber, subscribe/send, msg_sec_check v2, checksession) and adds control routes under
// /sim/ to mint login codes, grant subscribe consent, read a user's received messages, fire signed
// pushes at our server, inject faults, move the clock and count calls. See sim/README.md.
//
//     yz::wechat::Simulator sim;             // default appid/secret/token/EncodingAESKey
//     sim.start();                           // 127.0.0.1, ephemeral port, own thread
//     ClientOptions o{.base_url = sim.base_url(), .appid = sim.options().appid, ...};
//
// Thread-safe: all state sits behind one lock; start()/stop() are for the owning thread.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace yz::wechat {

struct SimulatorOptions {
    std::string appid = "wx5f1c0de5e1a1a7e5";
    std::string secret = "sim-app-secret-0123456789abcdef";
    std::string push_token = "SimPushToken";
    std::string encoding_aes_key = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";  // 43 chars
    std::string push_to_user = "gh_5f1c0de5e1a1";  // the mini-program's gh_ id in pushes
    std::int64_t token_ttl_seconds = 7200;
    std::int64_t code_ttl_seconds = 300;
    bool with_unionid = true;
};

class Simulator {
  public:
    explicit Simulator(SimulatorOptions options = {});
    ~Simulator();  // stops the server if running
    Simulator(const Simulator&) = delete;
    Simulator& operator=(const Simulator&) = delete;

    /// Binds host:port (0 = ephemeral) and serves on a background thread. Returns false if the
    /// port cannot be bound. Returns once the server accepts connections.
    bool start(const std::string& host = "127.0.0.1", int port = 0);

    /// Stops serving and joins the thread; pending injected latencies are cut short.
    void stop();

    int port() const noexcept;
    std::string base_url() const;  // http://host:port
    const SimulatorOptions& options() const noexcept;

    // In-process shortcuts for the most common control actions (same effect as /sim/ routes).
    std::string mint_login_code(std::string_view user);
    std::string openid_for(std::string_view user) const;
    void add_template(const std::string& template_id, const std::vector<std::string>& keywords);
    void grant_subscribe(std::string_view user, const std::string& template_id, int count = 1);
    std::int64_t call_count(const std::string& path) const;
    std::map<std::string, std::int64_t> call_counts() const;
    void advance_clock(std::int64_t seconds);
    void reset();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace yz::wechat
