// SPDX-License-Identifier: MIT
// Config loading: defaults ← file (strict keys) ← YZ_* environment variables.
#include "config.hpp"

#include <cctype>
#include <fstream>
#include <sstream>

#include "plugin_signing.hpp"

extern char** environ;

namespace yz {
using nlohmann::json;

json config_defaults() {
    Config d;
    return json{
        {"server",
         {{"host", d.host},
          {"port", d.port},
          {"threads", d.threads},
          {"workers", d.workers},
          {"keep_alive_max_count", d.keep_alive_max_count},
          {"keep_alive_timeout_s", d.keep_alive_timeout_s},
          {"read_timeout_s", d.read_timeout_s},
          {"write_timeout_s", d.write_timeout_s},
          {"payload_max_bytes", d.payload_max_bytes},
          {"cors_origins", json::array()},
          {"rate_limit_per_minute", d.rate_limit_per_minute},
          {"rate_limit_burst", d.rate_limit_burst},
          {"trust_proxy", d.trust_proxy},
          {"console_dir", d.console_dir}}},
        {"storage", {{"data_dir", d.data_dir}, {"database", d.database}, {"busy_timeout_ms", d.busy_timeout_ms}}},
        {"identity", {{"session_ttl_s", d.session_ttl_s}}},
        {"plugins",
         {{"stations_dir", d.stations_dir},
          {"stations", json::array()},
          {"fault_threshold", d.fault_threshold},
          {"allow_dlclose", d.allow_dlclose},
          {"trusted_keys", json::array()},
          {"upload_max_bytes", d.upload_max_bytes}}},
        {"dev", d.dev},
        {"log_level", d.log_level},
        {"scheduler_interval_ms", d.scheduler_interval_ms},
        {"wechat", wechat_config_defaults()},
    };
}

namespace {

// Objects whose keys are the user's own (an open map): merged whole, validated by their parser.
bool free_form(const std::string& path) { return path == "wechat.templates"; }

// Merges `user` into `base`, refusing keys the defaults don't have and values of another type.
void merge_strict(json& base, const json& user, const std::string& path) {
    if (!user.is_object()) throw ConfigError("config: '" + (path.empty() ? "(root)" : path) + "' must be an object");
    for (auto& [key, value] : user.items()) {
        std::string here = path.empty() ? key : path + "." + key;
        if (!base.contains(key)) throw ConfigError("config: unknown key '" + here + "'");
        json& slot = base[key];
        if (free_form(here)) {
            if (!value.is_object()) throw ConfigError("config: '" + here + "' must be an object");
            slot = value;
        } else if (slot.is_object()) {
            merge_strict(slot, value, here);
        } else if (slot.is_number_integer()) {
            if (!value.is_number_integer()) throw ConfigError("config: '" + here + "' must be an integer");
            slot = value;
        } else if (slot.is_boolean()) {
            if (!value.is_boolean()) throw ConfigError("config: '" + here + "' must be true or false");
            slot = value;
        } else if (slot.is_string()) {
            if (!value.is_string()) throw ConfigError("config: '" + here + "' must be a string");
            slot = value;
        } else if (slot.is_array()) {
            if (!value.is_array()) throw ConfigError("config: '" + here + "' must be an array");
            slot = value;
        }
    }
}

std::string env_name(const std::string& path) {
    std::string n = "YZ_";
    for (char c : path) n.push_back(c == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    return n;
}

// Applies YZ_<PATH> for every scalar (and JSON for arrays, e.g. YZ_SERVER_CORS_ORIGINS='["…"]').
void apply_env(json& node, const std::string& path, const std::map<std::string, std::string>& env) {
    for (auto& [key, slot] : node.items()) {
        std::string here = path.empty() ? key : path + "." + key;
        if (slot.is_object() && !free_form(here)) {
            apply_env(slot, here, env);
            continue;
        }
        // Both the full path and the short form for top-level sections: YZ_PORT works too.
        std::string name = env_name(here);
        auto it = env.find(name);
        if (it == env.end() && path.size() && path.find('.') == std::string::npos) it = env.find(env_name(key));
        if (it == env.end()) continue;
        const std::string& v = it->second;
        try {
            if (slot.is_number_integer()) {
                size_t used = 0;
                long long n = std::stoll(v, &used);
                if (used != v.size()) throw std::invalid_argument(v);
                slot = n;
            } else if (slot.is_boolean()) {
                if (v == "1" || v == "true") slot = true;
                else if (v == "0" || v == "false") slot = false;
                else throw std::invalid_argument(v);
            } else if (slot.is_string()) {
                slot = v;
            } else if (slot.is_array()) {
                json parsed = json::parse(v);
                if (!parsed.is_array()) throw std::invalid_argument(v);
                slot = parsed;
            } else if (slot.is_object()) {  // a free-form object, as JSON
                json parsed = json::parse(v);
                if (!parsed.is_object()) throw std::invalid_argument(v);
                slot = parsed;
            }
        } catch (const std::exception&) {
            throw ConfigError("config: environment variable " + it->first + " has an invalid value");
        }
    }
}

StationConfig parse_station(const json& s, size_t index) {
    std::string where = "plugins.stations[" + std::to_string(index) + "]";
    if (!s.is_object()) throw ConfigError("config: '" + where + "' must be an object");
    StationConfig st;
    for (auto& [key, value] : s.items()) {
        if (key == "id" && value.is_string()) st.id = value;
        else if (key == "file" && value.is_string()) st.file = value;
        else if (key == "enabled" && value.is_boolean()) st.enabled = value;
        else if (key == "config" && value.is_object()) st.config = value;
        else if (key == "id" || key == "file" || key == "enabled" || key == "config")
            throw ConfigError("config: '" + where + "." + key + "' has the wrong type");
        else throw ConfigError("config: unknown key '" + where + "." + key + "'");
    }
    if (st.id.empty()) throw ConfigError("config: '" + where + ".id' is required");
    if (st.file.empty()) st.file = "libstation_" + st.id + ".so";
    return st;
}

}  // namespace

std::string Config::database_path() const {
    return database.empty() ? data_dir + "/yizhan.sqlite" : database;
}

std::map<std::string, std::string> process_env() {
    std::map<std::string, std::string> env;
    for (char** e = environ; e && *e; ++e) {
        std::string kv(*e);
        auto eq = kv.find('=');
        if (eq != std::string::npos && kv.rfind("YZ_", 0) == 0) env[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
    return env;
}

Config load_config(const std::string& path, const std::map<std::string, std::string>& env) {
    json merged = config_defaults();
    if (!path.empty()) {
        std::ifstream in(path);
        if (!in) throw ConfigError("config: cannot read '" + path + "'");
        std::stringstream ss;
        ss << in.rdbuf();
        json user;
        try {
            user = json::parse(ss.str());
        } catch (const json::exception& e) {  // a syntax error, or a number too large for any type
            throw ConfigError("config: '" + path + "' is not valid JSON: " + e.what());
        }
        merge_strict(merged, user, "");
    }
    apply_env(merged, "", env);

    Config c;
    const json& s = merged["server"];
    c.host = s["host"];
    c.port = s["port"];
    c.threads = s["threads"];
    c.workers = s["workers"];
    c.keep_alive_max_count = s["keep_alive_max_count"];
    c.keep_alive_timeout_s = s["keep_alive_timeout_s"];
    c.read_timeout_s = s["read_timeout_s"];
    c.write_timeout_s = s["write_timeout_s"];
    c.payload_max_bytes = s["payload_max_bytes"];
    for (const auto& o : s["cors_origins"]) {
        if (!o.is_string()) throw ConfigError("config: 'server.cors_origins' must hold strings");
        c.cors_origins.push_back(o);
    }
    c.rate_limit_per_minute = s["rate_limit_per_minute"];
    c.rate_limit_burst = s["rate_limit_burst"];
    c.trust_proxy = s["trust_proxy"];
    c.console_dir = s["console_dir"];
    c.data_dir = merged["storage"]["data_dir"];
    c.database = merged["storage"]["database"];
    c.busy_timeout_ms = merged["storage"]["busy_timeout_ms"];
    c.session_ttl_s = merged["identity"]["session_ttl_s"];
    const json& p = merged["plugins"];
    c.stations_dir = p["stations_dir"];
    for (size_t i = 0; i < p["stations"].size(); ++i) c.stations.push_back(parse_station(p["stations"][i], i));
    c.fault_threshold = p["fault_threshold"];
    c.allow_dlclose = p["allow_dlclose"];
    if (!p["trusted_keys"].is_array()) throw ConfigError("config: 'plugins.trusted_keys' must be a list of public keys");
    for (const auto& k : p["trusted_keys"]) {
        if (!k.is_string() || !plugin_signing::valid_public_hex(k.get<std::string>()))
            throw ConfigError("config: each of 'plugins.trusted_keys' must be an Ed25519 public key as 64 hex characters "
                              "(yizhan plugin keygen prints one)");
        c.trusted_keys.push_back(k.get<std::string>());
    }
    c.dev = merged["dev"];
    c.log_level = merged["log_level"];
    c.scheduler_interval_ms = merged["scheduler_interval_ms"];
    if (c.scheduler_interval_ms < 0) throw ConfigError("config: 'scheduler_interval_ms' must be 0 (no scheduler thread) or more");
    c.wechat = parse_wechat_config(merged["wechat"], env);

    if (c.port < 0 || c.port > 65535) throw ConfigError("config: 'server.port' must be 0..65535");
    if (c.threads < 1 || c.threads > 256) throw ConfigError("config: 'server.threads' must be 1..256");
    if (c.workers < 1 || c.workers > 64) throw ConfigError("config: 'server.workers' must be 1..64");
    if (c.payload_max_bytes < 1024) throw ConfigError("config: 'server.payload_max_bytes' must be at least 1024");
    c.upload_max_bytes = p["upload_max_bytes"];
    if (c.upload_max_bytes < 1024) throw ConfigError("config: 'plugins.upload_max_bytes' must be at least 1024");
    if (c.keep_alive_max_count < 1) throw ConfigError("config: 'server.keep_alive_max_count' must be at least 1");
    if (c.fault_threshold < 1) throw ConfigError("config: 'plugins.fault_threshold' must be at least 1");
    if (c.session_ttl_s < 60) throw ConfigError("config: 'identity.session_ttl_s' must be at least 60");
    if (c.log_level != "debug" && c.log_level != "info" && c.log_level != "warn" && c.log_level != "error")
        throw ConfigError("config: 'log_level' must be debug, info, warn or error");
    return c;
}

}  // namespace yz
