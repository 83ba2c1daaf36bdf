// SPDX-License-Identifier: MIT
// The query parameters the admin lists share: limit, before (paging backwards by id) and a time
// range, each refused with a 400 naming the field when it is malformed.
#pragma once

#include <cstdint>
#include <string_view>

#include <nlohmann/json.hpp>

namespace yz {

struct RequestCtx;

// limit: 1..500, default 50.
int limit_param(RequestCtx& ctx);
// before: an id; 0 (the newest) when absent.
int64_t before_param(RequestCtx& ctx);
// A time bound: an ISO 8601 instant with its offset, or a Beijing date "2026-12-02". A date means
// that day's first moment, or with end_of_day (for "to"), the moment the day is over. 0 when absent.
int64_t time_param(RequestCtx& ctx, std::string_view name, bool end_of_day);
// A list page: {"items": [...], "next_before": the last id when there may be more, else null}.
nlohmann::json page_of(nlohmann::json items, int limit);

}  // namespace yz
