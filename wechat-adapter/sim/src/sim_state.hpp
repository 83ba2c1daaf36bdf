// SPDX-License-Identifier: MIT
// Internal: the simulated WeChat back end — users, login codes, session keys, the two access-token
// families, phone codes, templates, subscribe grants, received messages and the sec-check word
// lists. No HTTP here: each API method takes parsed inputs and returns the JSON body WeChat would
// send (errcode/errmsg included), so the rules are readable in one place.
// Thread-safe: every public method takes the one mutex.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>
#include <yz/wechat/simulator.hpp>

#include "sim_clock.hpp"

namespace yz::wechat::sim {

using nlohmann::json;

/// A WeChat error body: {"errcode": code, "errmsg": "<msg> rid: <hex>"}.
json error_body(int errcode, std::string_view errmsg);

class SimState {
  public:
    SimState(const SimulatorOptions& options, const SimClock& clock);

    // ---- identities ----
    std::string openid_for(std::string_view user) const;
    std::string mint_login_code(std::string_view user);
    std::string mint_phone_code(std::string_view user, std::string phone_number,
                                std::string country_code, bool country_code_as_string);

    // ---- WeChat APIs (bodies as WeChat returns them) ----
    json code_to_session(std::string_view appid, std::string_view secret, std::string_view code);
    json stable_token(std::string_view appid, std::string_view secret, bool force_refresh);
    json legacy_token(std::string_view appid, std::string_view secret);
    /// 0 when the access_token is valid, else 41001 (missing), 42001 (expired), 40001 (unknown).
    int check_token(std::string_view token) const;
    json phone_number(const json& body);
    json subscribe_send(const json& body);
    json msg_sec_check(const json& body);
    json check_session(std::string_view openid, std::string_view signature,
                       std::string_view sig_method);

    // ---- control ----
    void invalidate_tokens();
    void add_template(const std::string& template_id, std::vector<std::string> keywords);
    /// +count grants for (user, template), as `count` taps on "accept" would give.
    void grant(std::string_view user, const std::string& template_id, int count);
    json messages(std::string_view user) const;
    void set_sec_words(std::vector<std::string> risky, std::vector<std::string> review);
    void reset();

  private:
    struct Code {
        std::string openid;
        std::int64_t expires_at;
        bool used;
    };
    struct PhoneCode {
        std::string openid;
        std::string phone_number;
        std::string country_code;
        bool country_code_as_string;
        std::int64_t expires_at;
        bool used;
    };
    struct Token {
        std::string value;
        std::int64_t expires_at = 0;
    };
    struct TokenFamily {
        Token current;
        Token previous;  // still valid during the overlap
    };

    std::string openid_locked(std::string_view user) const;
    bool token_valid_in(const TokenFamily& family, std::string_view token, std::int64_t now) const;
    Token mint_token(std::int64_t now) const;

    const SimulatorOptions& options_;
    const SimClock& clock_;
    mutable std::mutex mutex_;
    std::map<std::string, Code> codes_;
    std::map<std::string, PhoneCode> phone_codes_;
    std::map<std::string, std::string> users_by_openid_;  // openid → user name
    std::map<std::string, std::string> session_keys_;     // openid → current session_key
    std::map<std::string, std::int64_t> last_login_;      // openid → unix seconds
    TokenFamily stable_;
    TokenFamily legacy_;
    std::optional<std::int64_t> last_forced_refresh_;
    std::map<std::string, std::vector<std::string>> templates_;
    std::map<std::pair<std::string, std::string>, int> grants_;  // (openid, template) → count
    std::map<std::string, json> inbox_;                          // openid → array of messages
    std::vector<std::string> risky_words_{"sim-risky"};
    std::vector<std::string> review_words_{"sim-review"};
    std::uint64_t next_msg_id_ = 3000000000000000001ull;  // > 2^53, like real MsgIDs
};

}  // namespace yz::wechat::sim
