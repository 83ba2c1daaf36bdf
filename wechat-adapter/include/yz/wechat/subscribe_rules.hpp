// SPDX-License-Identifier: MIT
// Subscribe-message value rules by keyword prefix (PROTOCOL.md §4): `thing1` must be ≤ 20
// characters, `phrase3` ≤ 5 Chinese characters, `time4` a 24-hour time, and so on. Checking before
// sending turns a vague 47003 from WeChat into a precise error naming the keyword. Lengths count
// Unicode code points, never bytes. The rules are the documented ones; WeChat is stricter for
// `phrase` (an unpublished whitelist), so a 47003 can still happen for a value that passes here.
// Thread-safe: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace yz::wechat {

struct SubscribeValueError {
    std::string keyword;  // e.g. "thing1"
    std::string reason;   // e.g. "23 characters, at most 20 allowed"
    std::string message() const { return keyword + ": " + reason; }
};

/// nullopt if `value` is acceptable for `keyword` (prefix + optional digits: "thing1",
/// "character_string2", "phone_number3"). An unknown prefix is an error too.
std::optional<SubscribeValueError> check_subscribe_value(std::string_view keyword,
                                                         std::string_view value);

/// Every error in a template's data (keyword → value pairs), in input order; empty if all pass.
std::vector<SubscribeValueError> check_subscribe_data(
    const std::vector<std::pair<std::string, std::string>>& data);

/// A `thing` value made to fit: control characters and emoji removed, whitespace collapsed and
/// trimmed, then cut to 20 code points with "…" (§4 recommendation).
std::string fit_thing_value(std::string_view value);

}  // namespace yz::wechat
