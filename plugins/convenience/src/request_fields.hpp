// SPDX-License-Identifier: MIT
// Small readers for request fields that several routes share, each answering 400 invalid_field
// (naming the field) when the value is not what the route needs.
#pragma once

#include <cstdint>
#include <string>

#include <yz/calendar.hpp>
#include <yz/plugin.hpp>

namespace convenience {

// An optional text field of at most `max_len` bytes; "" when absent.
inline std::string optional_text(const yz::json& body, const char* field, size_t max_len) {
    if (!body.contains(field) || body[field].is_null()) return {};
    if (!body[field].is_string() || body[field].get_ref<const std::string&>().size() > max_len)
        throw yz::ApiError(400, "invalid_field", std::string(field) + " 须为文字，且不能过长",
                           {{"field", field}, {"max_bytes", max_len}});
    return body[field].get<std::string>();
}

// A non-negative integer query parameter ("before" cursors); 0 when absent.
inline int64_t cursor_query(const yz::Request& req, const char* name) {
    auto text = req.query(name);
    if (!text) return 0;
    int64_t v = 0;
    if (text->empty() || text->size() > 18) throw yz::ApiError(400, "invalid_field", "参数格式不正确", {{"field", name}});
    for (char c : *text) {
        if (c < '0' || c > '9') throw yz::ApiError(400, "invalid_field", "参数格式不正确", {{"field", name}});
        v = v * 10 + (c - '0');
    }
    return v;
}

// A "YYYY-MM-DD" query parameter, or `fallback` when absent.
inline yz::Date date_query(const yz::Request& req, const char* name, yz::Date fallback) {
    auto text = req.query(name);
    if (!text) return fallback;
    auto date = yz::Date::parse(*text);
    if (!date) throw yz::ApiError(400, "invalid_field", "日期须为 YYYY-MM-DD", {{"field", name}});
    return *date;
}

}  // namespace convenience
