// SPDX-License-Identifier: MIT
#include "admin_query.hpp"

#include "app.hpp"
#include "time_util.hpp"

namespace yz {
using nlohmann::json;

int limit_param(RequestCtx& ctx) {
    auto l = ctx.query("limit");
    if (!l) return 50;
    try {
        size_t used = 0;
        int n = std::stoi(*l, &used);
        if (used == l->size() && n >= 1 && n <= 500) return n;
    } catch (...) {
    }
    throw bad_field("limit", "invalid_field", "limit 须为 1 到 500 的整数");
}

int64_t before_param(RequestCtx& ctx) {
    auto b = ctx.query("before");
    if (!b || b->empty()) return 0;
    try {
        size_t used = 0;
        int64_t id = std::stoll(*b, &used);
        if (used == b->size() && id >= 0) return id;
    } catch (...) {
    }
    throw bad_field("before", "invalid_field", "before 须为非负整数");
}

int64_t time_param(RequestCtx& ctx, std::string_view name, bool end_of_day) {
    auto v = ctx.query(name);
    if (!v || v->empty()) return 0;
    constexpr int64_t kDayMs = 86'400'000;
    if (v->size() == 10) {
        if (auto midnight = time::parse_iso8601(*v + "T00:00:00+08:00")) return *midnight + (end_of_day ? kDayMs : 0);
    } else if (auto at = time::parse_iso8601(*v)) {
        return *at;
    }
    throw bad_field(std::string(name), "invalid_field", "时间格式不正确，请用 2026-12-02 或带时区的 ISO 8601 时间");
}

json page_of(json items, int limit) {
    json next = nullptr;
    if (static_cast<int>(items.size()) == limit && !items.empty()) next = items.back()["id"];
    return json{{"items", std::move(items)}, {"next_before", next}};
}

}  // namespace yz
