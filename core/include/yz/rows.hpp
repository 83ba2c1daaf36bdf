// SPDX-License-Identifier: MIT
// Plugin SDK: rows from host().query shown to a person (a data export, a report) rather than to
// the mini-program: the named columns holding UTC milliseconds become Beijing ISO 8601.
#pragma once

#include <initializer_list>

#include <nlohmann/json.hpp>

#include "time_format.hpp"

namespace yz {
inline namespace v1 {

// `rows` with each of `columns` that holds an integer shown as "2026-12-01T09:00:00+08:00";
// NULLs and other values are left as they are.
inline nlohmann::json beijing_times(nlohmann::json rows, std::initializer_list<const char*> columns) {
    for (auto& row : rows)
        for (const char* c : columns)
            if (auto it = row.find(c); it != row.end() && it->is_number_integer()) *it = iso8601_beijing(it->get<int64_t>());
    return rows;
}

}  // namespace v1
}  // namespace yz
