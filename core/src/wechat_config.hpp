// SPDX-License-Identifier: MIT
// The `wechat` config section and the WeChat secrets.
//
// Settings (base URL, appid, timeouts, push mode, the template registry, outbox attempts) live in
// the JSON config like every other section. The template registry is an open map (template_key →
// template id, page and each keyword's type), so the strict merge treats `wechat.templates` as
// free-form and parse_wechat_templates() validates every entry itself, naming the key at fault.
// Secrets (AppSecret, push Token, EncodingAESKey, the at-rest data key) are never read from the
// config file: they come from YZ_WECHAT_* environment variables or from a secrets file that only
// the service may read. WechatSecrets has no printer on purpose; nothing here logs.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace yz {

// One subscribe-message template as the registry describes it.
struct WechatTemplate {
    std::string template_id;  // from the console's template library
    std::string page;         // optional page opened from the card
    // keyword → type ("thing1" → "thing"); the type is the keyword's prefix (PROTOCOL §4).
    std::vector<std::pair<std::string, std::string>> keywords;
    // keyword → the field of the station's notify data it shows ("thing1" → "service"). A station
    // sends what it knows under its own names, and ISO-8601 instants for times; the registry says
    // which WeChat keyword shows which. A keyword without an entry takes the field of its own name.
    std::map<std::string, std::string> sources;
};

// Secrets: only ever in memory; never logged, never returned.
struct WechatSecrets {
    std::string app_secret;                 // YZ_WECHAT_SECRET / "app_secret"
    std::string push_token;                 // YZ_WECHAT_PUSH_TOKEN / "push_token"
    std::string encoding_aes_key;           // YZ_WECHAT_AES_KEY / "encoding_aes_key" (43 chars)
    std::string previous_encoding_aes_key;  // YZ_WECHAT_PREVIOUS_AES_KEY (during a rotation)
    std::string data_key;                   // 32 raw bytes; YZ_WECHAT_DATA_KEY as base64 or hex
};

struct WechatConfig {
    // Empty: WeChat is off (routes answer 503); `serve --dev` points it at the embedded simulator.
    std::string base_url;
    std::string appid;
    std::string ca_bundle = "/etc/ssl/certs/ca-certificates.crt";
    int connect_timeout_ms = 3000;
    int read_timeout_ms = 5000;
    std::string push_mode = "safe";  // plain | compatible | safe (the console's setting)
    int push_max_clock_skew_s = 300;
    std::string miniprogram_state;   // "" (formal) | developer | trial
    std::string secrets_file;        // JSON file, mode 0600 or stricter
    int outbox_max_attempts = 8;
    std::map<std::string, WechatTemplate> templates;  // by template_key
    WechatSecrets secrets;

    bool enabled() const { return !base_url.empty(); }
    // The registry entry whose template_id is `id`, or nullptr.
    const WechatTemplate* by_template_id(const std::string& id) const;
};

// The section's defaults (also its schema for the strict merge; `templates` is free-form).
nlohmann::json wechat_config_defaults();
// Reads the merged section, the templates and the secrets (file, then environment). Throws
// ConfigError naming the key, variable or file at fault.
WechatConfig parse_wechat_config(const nlohmann::json& section, const std::map<std::string, std::string>& env);
// 32 bytes from base64 or 64 hex characters; empty string if neither.
std::string decode_data_key(const std::string& text);

}  // namespace yz
