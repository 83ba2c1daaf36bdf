// SPDX-License-Identifier: MIT
// Text as people see it. A limit staff set or a screen shows ("at most 20 characters") counts
// characters, which in Chinese text are three bytes of UTF-8 each.
#pragma once

#include <cstddef>
#include <string_view>

namespace yz {
inline namespace v1 {

// Code points in UTF-8 text: every byte that does not continue a sequence starts one.
inline size_t char_count(std::string_view s) {
    size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
}

}  // namespace v1
}  // namespace yz
