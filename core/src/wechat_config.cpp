// SPDX-License-Identifier: MIT
// The `wechat` config section: settings, the template registry (validated entry by entry) and the
// secrets (environment over secrets file; the file must not be group- or world-accessible).
#include "wechat_config.hpp"

#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include <yz/wechat/encoding.hpp>

#include "config.hpp"

namespace yz {
using nlohmann::json;

namespace {

// The keyword types of PROTOCOL §4 (the adapter's subscribe_rules check the values).
const char* const kKeywordTypes[] = {"thing", "number", "letter", "symbol", "character_string", "time",
                                     "date", "amount", "phone_number", "car_number", "name", "phrase"};

bool known_type(const std::string& t) {
    for (const char* k : kKeywordTypes)
        if (t == k) return true;
    return false;
}

// "thing12" → "thing"
std::string keyword_prefix(const std::string& kw) {
    size_t end = kw.size();
    while (end > 0 && kw[end - 1] >= '0' && kw[end - 1] <= '9') --end;
    return kw.substr(0, end);
}

WechatTemplate parse_template(const std::string& key, const json& t) {
    std::string where = "wechat.templates." + key;
    if (key.empty() || key.size() > 64 || key.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_.-") != std::string::npos)
        throw ConfigError("config: '" + where + "': a template_key is 1-64 of a-z 0-9 _ . -");
    if (!t.is_object()) throw ConfigError("config: '" + where + "' must be an object");
    WechatTemplate out;
    for (auto& [k, v] : t.items()) {
        if (k == "template_id" && v.is_string()) out.template_id = v;
        else if (k == "page" && v.is_string()) out.page = v;
        else if (k == "keywords" && v.is_object()) {
            for (auto& [kw, spec] : v.items()) {
                std::string kwhere = where + ".keywords." + kw;
                // "thing1": "thing", or "thing1": {"from": "service"} (the type is the prefix either way).
                json type = spec;
                if (spec.is_object()) {
                    for (auto& [sk, sv] : spec.items())
                        if (sk != "from" && sk != "type") throw ConfigError("config: unknown key '" + kwhere + "." + sk + "'");
                    const json& from = spec.value("from", json());
                    if (!from.is_string() || from.get<std::string>().empty() ||
                        from.get<std::string>().find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") != std::string::npos)
                        throw ConfigError("config: '" + kwhere + ".from' must name a data field (a-z 0-9 _)");
                    out.sources[kw] = from;
                    type = spec.value("type", json(keyword_prefix(kw)));
                }
                if (!type.is_string())
                    throw ConfigError("config: '" + kwhere + "' must be a keyword type string or {\"from\": field}");
                std::string ty = type;
                if (!known_type(ty)) throw ConfigError("config: '" + kwhere + "': unknown keyword type '" + ty + "'");
                if (keyword_prefix(kw) != ty)
                    throw ConfigError("config: '" + kwhere + "': keyword '" + kw + "' is not of type '" + ty +
                                      "' (WeChat derives the type from the keyword's prefix)");
                out.keywords.emplace_back(kw, ty);
            }
        } else if (k == "template_id" || k == "page" || k == "keywords")
            throw ConfigError("config: '" + where + "." + k + "' has the wrong type");
        else throw ConfigError("config: unknown key '" + where + "." + k + "'");
    }
    if (out.template_id.empty()) throw ConfigError("config: '" + where + ".template_id' is required");
    if (out.keywords.empty()) throw ConfigError("config: '" + where + ".keywords' must name at least one keyword");
    return out;
}

std::string read_secrets_file(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) throw ConfigError("config: cannot read wechat.secrets_file '" + path + "'");
    if (st.st_mode & (S_IRWXG | S_IRWXO)) {
        char mode[8];
        std::snprintf(mode, sizeof mode, "%03o", static_cast<unsigned>(st.st_mode & 0777));
        throw ConfigError("config: wechat.secrets_file '" + path + "' has mode " + mode +
                          "; it must be readable by the service only (chmod 600)");
    }
    std::ifstream in(path);
    if (!in) throw ConfigError("config: cannot read wechat.secrets_file '" + path + "'");
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void load_secrets(WechatConfig& w, const std::map<std::string, std::string>& env) {
    struct Source {
        const char* file_key;
        const char* env_name;
        std::string* slot;
    };
    std::string data_key_text;
    const Source sources[] = {{"app_secret", "YZ_WECHAT_SECRET", &w.secrets.app_secret},
                              {"push_token", "YZ_WECHAT_PUSH_TOKEN", &w.secrets.push_token},
                              {"encoding_aes_key", "YZ_WECHAT_AES_KEY", &w.secrets.encoding_aes_key},
                              {"previous_encoding_aes_key", "YZ_WECHAT_PREVIOUS_AES_KEY", &w.secrets.previous_encoding_aes_key},
                              {"data_key", "YZ_WECHAT_DATA_KEY", &data_key_text}};
    if (!w.secrets_file.empty()) {
        json f = json::parse(read_secrets_file(w.secrets_file), nullptr, false);
        // The parse error text could quote the file's content: say only where.
        if (!f.is_object()) throw ConfigError("config: wechat.secrets_file '" + w.secrets_file + "' is not a JSON object");
        for (auto& [k, v] : f.items()) {
            const Source* s = nullptr;
            for (const auto& cand : sources)
                if (k == cand.file_key) s = &cand;
            if (!s) throw ConfigError("config: unknown key '" + k + "' in wechat.secrets_file");
            if (!v.is_string()) throw ConfigError("config: '" + k + "' in wechat.secrets_file must be a string");
            *s->slot = v.get<std::string>();
        }
    }
    for (const auto& s : sources) {
        auto it = env.find(s.env_name);
        if (it != env.end() && !it->second.empty()) *s.slot = it->second;
    }
    if (!data_key_text.empty()) {
        w.secrets.data_key = decode_data_key(data_key_text);
        if (w.secrets.data_key.empty())
            throw ConfigError("config: YZ_WECHAT_DATA_KEY / data_key must be 32 bytes as base64 or 64 hex characters");
    }
    if (!w.secrets.encoding_aes_key.empty() && w.secrets.encoding_aes_key.size() != 43)
        throw ConfigError("config: YZ_WECHAT_AES_KEY / encoding_aes_key must be the console's 43-character EncodingAESKey");
}

bool loopback_http(const std::string& url) {
    for (const char* p : {"http://127.0.0.1:", "http://localhost:", "http://[::1]:"})
        if (url.rfind(p, 0) == 0) return true;
    return false;
}

}  // namespace

const WechatTemplate* WechatConfig::by_template_id(const std::string& id) const {
    for (const auto& [key, t] : templates)
        if (t.template_id == id) return &t;
    return nullptr;
}

std::string decode_data_key(const std::string& text) {
    if (text.size() == 64) {
        auto raw = wechat::from_hex(text);
        if (raw && raw->size() == 32) return *raw;
    }
    auto raw = wechat::base64_decode(text);
    if (raw && raw->size() == 32) return *raw;
    return {};
}

json wechat_config_defaults() {
    WechatConfig d;
    return json{{"base_url", d.base_url},
                {"appid", d.appid},
                {"ca_bundle", d.ca_bundle},
                {"connect_timeout_ms", d.connect_timeout_ms},
                {"read_timeout_ms", d.read_timeout_ms},
                {"push_mode", d.push_mode},
                {"push_max_clock_skew_s", d.push_max_clock_skew_s},
                {"miniprogram_state", d.miniprogram_state},
                {"secrets_file", d.secrets_file},
                {"outbox_max_attempts", d.outbox_max_attempts},
                {"templates", json::object()}};
}

WechatConfig parse_wechat_config(const json& s, const std::map<std::string, std::string>& env) {
    WechatConfig w;
    w.base_url = s["base_url"];
    w.appid = s["appid"];
    w.ca_bundle = s["ca_bundle"];
    w.connect_timeout_ms = s["connect_timeout_ms"];
    w.read_timeout_ms = s["read_timeout_ms"];
    w.push_mode = s["push_mode"];
    w.push_max_clock_skew_s = s["push_max_clock_skew_s"];
    w.miniprogram_state = s["miniprogram_state"];
    w.secrets_file = s["secrets_file"];
    w.outbox_max_attempts = s["outbox_max_attempts"];
    if (!s["templates"].is_object()) throw ConfigError("config: 'wechat.templates' must be an object");
    for (auto& [key, t] : s["templates"].items()) w.templates[key] = parse_template(key, t);
    load_secrets(w, env);

    while (!w.base_url.empty() && w.base_url.back() == '/') w.base_url.pop_back();
    if (!w.base_url.empty() && w.base_url.rfind("https://", 0) != 0 && !loopback_http(w.base_url))
        throw ConfigError("config: 'wechat.base_url' must be https:// (certificates are verified), or http:// on loopback for the simulator");
    if (w.push_mode != "plain" && w.push_mode != "compatible" && w.push_mode != "safe")
        throw ConfigError("config: 'wechat.push_mode' must be plain, compatible or safe");
    if (w.miniprogram_state != "" && w.miniprogram_state != "developer" && w.miniprogram_state != "trial" &&
        w.miniprogram_state != "formal")
        throw ConfigError("config: 'wechat.miniprogram_state' must be developer, trial or formal");
    if (w.connect_timeout_ms < 100 || w.read_timeout_ms < 100)
        throw ConfigError("config: 'wechat.connect_timeout_ms' and 'wechat.read_timeout_ms' must be at least 100");
    if (w.outbox_max_attempts < 1 || w.outbox_max_attempts > 50)
        throw ConfigError("config: 'wechat.outbox_max_attempts' must be 1..50");
    if (w.push_max_clock_skew_s < 30) throw ConfigError("config: 'wechat.push_max_clock_skew_s' must be at least 30");
    if (w.enabled()) {
        if (w.appid.empty()) throw ConfigError("config: 'wechat.appid' is required when wechat.base_url is set");
        if (w.secrets.app_secret.empty())
            throw ConfigError("config: the AppSecret is required when wechat.base_url is set (YZ_WECHAT_SECRET or wechat.secrets_file)");
        if (w.secrets.data_key.empty())
            throw ConfigError("config: the at-rest data key is required when wechat.base_url is set (YZ_WECHAT_DATA_KEY or wechat.secrets_file)");
    }
    return w;
}

}  // namespace yz
