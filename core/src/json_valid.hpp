// SPDX-License-Identifier: MIT
// Whether a text is one JSON document, as nlohmann::json::accept says, without its lexer's
// allocations (a token buffer for every string): every station POST's body and every error
// detail a station answers with is checked on its way through, a few percent of a refused booking.
#pragma once

#include <string_view>

namespace yz {

// Nesting deeper than this is refused (nlohmann has no limit; no request of ours nests past 10).
inline constexpr int kJsonMaxDepth = 256;

// True exactly for the texts nlohmann::json::parse accepts (one value, whitespace around it, a
// leading UTF-8 BOM skipped, strings valid UTF-8, numbers that fit a double), up to kJsonMaxDepth,
// with one more refusal: nlohmann stops reading at a NUL byte outside a string ("{}\0junk" is {}
// to it); here that text is not JSON.
bool json_valid(std::string_view text);

}  // namespace yz
