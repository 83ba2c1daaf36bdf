// SPDX-License-Identifier: MIT
// Configuration: one JSON file, every scalar overridable by an environment variable named after its
// path (server.port → YZ_SERVER_PORT). Unknown keys are an error that names the key, so a typo
// never silently falls back to a default. Secrets are not stored here: they come from the
// environment or a file readable only by the service (see wechat).
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "wechat_config.hpp"

namespace yz {

struct StationConfig {
    std::string id;
    std::string file;  // path to libstation_<id>.so; relative paths resolve against stations_dir
    bool enabled = true;
    nlohmann::json config = nlohmann::json::object();
};

struct Config {
    // server
    std::string host = "127.0.0.1";
    int port = 8080;
    int threads = 16;                  // worker pool; each worker owns one SQLite connection
    int workers = 1;                   // processes serving the port (serve --workers); 1: this one
    // Set in each process of `serve --workers` only, never from the file: it shares the port with
    // its peers and follows their station changes (enable, disable, reload) from the database.
    bool worker = false;
    int keep_alive_max_count = 100;    // requests per connection (httplib's default is 5)
    int keep_alive_timeout_s = 5;
    int read_timeout_s = 5;
    int write_timeout_s = 5;
    int64_t payload_max_bytes = 1 << 20;
    std::vector<std::string> cors_origins;
    int rate_limit_per_minute = 600;   // per client IP (or per user when authenticated)
    int rate_limit_burst = 120;
    bool trust_proxy = false;          // take the client address from X-Real-IP (behind nginx)
    std::string console_dir;           // the staff console's files (web/console), served at /console/
    // storage
    std::string data_dir = "./var";
    std::string database;              // default <data_dir>/yizhan.sqlite
    int busy_timeout_ms = 5000;
    // identity
    int64_t session_ttl_s = 30LL * 24 * 3600;
    // stations
    std::string stations_dir;          // default: next to the executable's build, or ./stations
    std::vector<StationConfig> stations;
    int fault_threshold = 20;
    bool allow_dlclose = false;
    // Ed25519 public keys (64 hex characters) whose signatures make a station file installable.
    std::vector<std::string> trusted_keys;
    int64_t upload_max_bytes = 64LL << 20;  // a station file an admin uploads (other bodies: payload_max_bytes)
    // ops
    bool dev = false;
    std::string log_level = "info";
    int scheduler_interval_ms = 500;  // 0: no scheduler thread (tests tick it themselves)
    // wechat (wechat_config.hpp); secrets only from the environment or the secrets file
    WechatConfig wechat;

    std::string database_path() const;
};

struct ConfigError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// The defaults as JSON (also the schema: only these keys are accepted).
nlohmann::json config_defaults();
// Loads a file (empty path = defaults only), applies YZ_* environment overrides, validates.
// Throws ConfigError naming the key or variable at fault.
Config load_config(const std::string& path, const std::map<std::string, std::string>& env);
// The process environment as a map (for load_config).
std::map<std::string, std::string> process_env();

}  // namespace yz
