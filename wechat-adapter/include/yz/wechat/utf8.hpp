// SPDX-License-Identifier: MIT
// Strict UTF-8 decoding and code-point-aware truncation. WeChat counts subscribe-message limits in
// characters, not bytes (PROTOCOL.md §4), and a byte-level cut would leave invalid UTF-8 that the
// API rejects. Thread-safe: pure functions.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace yz::wechat {

/// Code points of `text`, or nullopt for invalid UTF-8 (overlongs, surrogates, > U+10FFFF,
/// truncated sequences).
std::optional<std::u32string> decode_utf8(std::string_view text);

/// Appends the UTF-8 encoding of one code point (assumed valid) to `out`.
void append_utf8(std::string& out, char32_t cp);

/// `text` cut to at most `max_code_points`; when cut, the last kept code point is replaced by
/// `ellipsis` (so the result still fits). Invalid UTF-8 yields "".
std::string truncate_code_points(std::string_view text, std::size_t max_code_points,
                                 std::u32string_view ellipsis = U"…");

}  // namespace yz::wechat
