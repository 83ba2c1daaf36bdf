// SPDX-License-Identifier: MIT
// Writing JSON text directly, header-only so the core and stations share it: on the hot paths
// (access-log lines, query rows handed to stations, a station's response) building or walking an
// nlohmann tree with its general serializer cost more than the work itself.
#pragma once

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

namespace yz {
inline namespace v1 {
namespace json_text {

// What a byte needs inside a JSON string: 0 nothing (printable ASCII), 1 an escape, 2-4 it leads
// a UTF-8 sequence of that length, 5 it can never start a valid one (continuation, overlong, > U+10FFFF).
inline constexpr std::array<uint8_t, 256> kByteKind = [] {
    std::array<uint8_t, 256> t{};
    for (int c = 0; c < 256; ++c)
        t[c] = c < 0x20 || c == '"' || c == '\\' ? 1 : c < 0x80 ? 0 : c < 0xC2 ? 5 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : c < 0xF5 ? 4 : 5;
    return t;
}();

// Length of the valid UTF-8 sequence starting at s[i], or 0 if it is not valid.
inline size_t utf8_len(std::string_view s, size_t i) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t n = kByteKind[c];
    if (n <= 1) return 1;  // ASCII, escaped or not
    if (n == 5 || i + n > s.size()) return 0;
    for (size_t k = 1; k < n; ++k)
        if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
    auto c1 = static_cast<unsigned char>(s[i + 1]);
    if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 >= 0xA0)) return 0;  // overlong, surrogate
    if ((c == 0xF0 && c1 < 0x90) || (c == 0xF4 && c1 >= 0x90)) return 0;  // overlong, > U+10FFFF
    return n;
}

// Appends `s` as a JSON string (quotes included). Invalid UTF-8 becomes U+FFFD, so the output is
// always valid JSON whatever the bytes were. Every row a station reads and every answer it gives
// passes through here, mostly plain text: the loop over such bytes is one table lookup each, and
// a run of them is copied in one go.
inline void append_string(std::string& out, std::string_view s) {
    if (out.capacity() - out.size() < s.size() + 2) out.reserve(std::max(out.size() + s.size() + 2, 2 * out.capacity()));
    out.push_back('"');
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const size_t end = s.size();
    size_t run = 0;  // start of the bytes that can be copied as they are
    size_t i = 0;
    while (i < end) {
        while (i < end && kByteKind[p[i]] == 0) ++i;
        if (i == end) break;
        uint8_t kind = kByteKind[p[i]];
        if (kind == 3 && i + 2 < end && (p[i + 1] & 0xC0) == 0x80 && (p[i + 2] & 0xC0) == 0x80 && p[i] != 0xE0 && p[i] != 0xED) {
            i += 3;  // the common case in Chinese text: a character of the BMP, neither edge
            continue;
        }
        if (kind != 1) {
            if (size_t n = kind == 5 ? 0 : utf8_len(s, i)) {
                i += n;  // valid UTF-8 is copied as is, in the same run
                continue;
            }
            out.append(s.data() + run, i - run);
            out += "\xEF\xBF\xBD";
            run = ++i;
            continue;
        }
        out.append(s.data() + run, i - run);
        unsigned char c = p[i];
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default: {
                static const char* hex = "0123456789abcdef";
                out += "\\u00";
                out.push_back(hex[c >> 4]);
                out.push_back(hex[c & 15]);
            }
        }
        run = ++i;
    }
    out.append(s.data() + run, i - run);
    out.push_back('"');
}

inline void append_int(std::string& out, int64_t v) {
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
}

inline void append_double(std::string& out, double v) {
    if (!std::isfinite(v)) {
        out += "null";
        return;
    }
    char buf[32];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
}


}  // namespace json_text
}  // namespace v1
}  // namespace yz
