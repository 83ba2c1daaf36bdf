// SPDX-License-Identifier: MIT
// Structured logging: one JSON object per line on stderr (ts, level, event, fields). Callers pass
// fields explicitly, so a secret is logged only if someone writes it into a field by name — never
// log tokens, session keys, AppSecret or full phone numbers.
#pragma once

#include <nlohmann/json.hpp>
#include <cstdint>
#include <string_view>

namespace yz::log {

enum class Level { debug, info, warn, error };

void set_min_level(Level level);
// Lets hot paths skip building fields for a line that would be dropped.
bool enabled(Level level);
void write(Level level, std::string_view event, nlohmann::json fields = nlohmann::json::object());

// One access-log line per request, written without building a JSON tree (it is on every request).
struct AccessLine {
    std::string_view request_id, method, route, client;
    int status = 0;
    double ms = 0;
    int64_t user_id = 0;
    size_t bytes = 0;
};
void access(const AccessLine& line);

inline void debug(std::string_view e, nlohmann::json f = nlohmann::json::object()) { write(Level::debug, e, std::move(f)); }
inline void info(std::string_view e, nlohmann::json f = nlohmann::json::object()) { write(Level::info, e, std::move(f)); }
inline void warn(std::string_view e, nlohmann::json f = nlohmann::json::object()) { write(Level::warn, e, std::move(f)); }
inline void error(std::string_view e, nlohmann::json f = nlohmann::json::object()) { write(Level::error, e, std::move(f)); }

}  // namespace yz::log
