// SPDX-License-Identifier: MIT
// JSON log lines on stderr. One fwrite per line so lines from concurrent threads never interleave.
#include "log.hpp"

#include <atomic>
#include <cstdio>

#include <yz/json_text.hpp>
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

void access(const AccessLine& a) {
    if (!enabled(Level::info)) return;
    std::string s;
    s.reserve(256);
    s += "{\"ts\":\"";
    s += time::iso8601_utc(time::system_now_ms());
    s += "\",\"level\":\"info\",\"event\":\"http\",\"request_id\":";
    json_text::append_string(s, a.request_id);
    s += ",\"method\":";
    json_text::append_string(s, a.method);
    s += ",\"route\":";
    json_text::append_string(s, a.route);
    s += ",\"status\":";
    json_text::append_int(s, a.status);
    s += ",\"ms\":";
    json_text::append_double(s, static_cast<double>(static_cast<int64_t>(a.ms * 1000)) / 1000.0);
    s += ",\"user_id\":";
    json_text::append_int(s, a.user_id);
    s += ",\"client\":";
    json_text::append_string(s, a.client);
    s += ",\"bytes\":";
    json_text::append_int(s, static_cast<int64_t>(a.bytes));
    s += "}\n";
    std::fwrite(s.data(), 1, s.size(), stderr);
}

}  // namespace yz::log
