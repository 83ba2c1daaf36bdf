// SPDX-License-Identifier: MIT
// Internal: tolerant field readers for WeChat JSON, where numbers may arrive as strings
// (CreateTime, countryCode, ErrorCode, label) and 64-bit ids exceed 2^53 (PROTOCOL.md §5.6, §9).
// Header-only.
#pragma once

#include <charconv>
#include <cmath>
#include <limits>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace yz::wechat::detail {

/// The field as text: strings as is, integers in decimal, anything else (or absent) as "".
inline std::string string_field(const nlohmann::json& obj, const char* name) {
    if (!obj.is_object()) return {};
    const auto it = obj.find(name);
    if (it == obj.end()) return {};
    if (it->is_string()) return it->get<std::string>();
    if (it->is_number_unsigned()) return std::to_string(it->get<std::uint64_t>());
    if (it->is_number_integer()) return std::to_string(it->get<std::int64_t>());
    return {};
}

/// The field as an integer, from a JSON integer or a decimal string; nullopt otherwise.
inline std::optional<std::int64_t> int_field(const nlohmann::json& obj, const char* name) {
    if (!obj.is_object()) return std::nullopt;
    const auto it = obj.find(name);
    if (it == obj.end()) return std::nullopt;
    if (it->is_number_unsigned()) {
        const auto u = it->get<std::uint64_t>();
        if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return std::nullopt;
        return static_cast<std::int64_t>(u);
    }
    if (it->is_number_integer()) return it->get<std::int64_t>();
    if (it->is_number_float()) {
        // Only a whole number that fits: converting anything else is undefined (found by fuzz_push_body).
        const double d = it->get<double>();
        if (!std::isfinite(d) || d != std::trunc(d) || d < -9.2e18 || d > 9.2e18) return std::nullopt;
        return static_cast<std::int64_t>(d);
    }
    if (it->is_string()) {
        const auto& s = it->get_ref<const std::string&>();
        std::int64_t v = 0;
        const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        if (ec == std::errc() && p == s.data() + s.size() && !s.empty()) return v;
    }
    return std::nullopt;
}

}  // namespace yz::wechat::detail
