// SPDX-License-Identifier: MIT
// JSON log lines on stderr. One fwrite per line so lines from concurrent threads never interleave.
#include "log.hpp"

#include <atomic>
#include <cstdio>

#include "time_util.hpp"

namespace yz::log {
namespace {
std::atomic<int> g_min{static_cast<int>(Level::info)};
const char* name(Level l) {
    switch (l) {
        case Level::debug: return "debug";
        case Level::info: return "info";
        case Level::warn: return "warn";
        case Level::error: return "error";
    }
    return "info";
}
}  // namespace

void set_min_level(Level level) { g_min.store(static_cast<int>(level)); }
bool enabled(Level level) { return static_cast<int>(level) >= g_min.load(std::memory_order_relaxed); }

void write(Level level, std::string_view event, nlohmann::json fields) {
    if (static_cast<int>(level) < g_min.load(std::memory_order_relaxed)) return;
    nlohmann::json line = nlohmann::json::object();
    line["ts"] = time::iso8601_utc(time::system_now_ms());
    line["level"] = name(level);
    line["event"] = event;
    if (fields.is_object())
        for (auto& [k, v] : fields.items()) line[k] = std::move(v);
    std::string s = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    s.push_back('\n');
    std::fwrite(s.data(), 1, s.size(), stderr);
}

}  // namespace yz::log
