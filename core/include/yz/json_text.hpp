// SPDX-License-Identifier: MIT
// Writing JSON text directly, header-only so the core and stations share it: on the hot paths
// (access-log lines, query rows handed to stations, a station's response) building or walking an
// nlohmann tree with its general serializer cost more than the work itself.
#pragma once

#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

namespace yz {
inline namespace v1 {
namespace json_text {

// Length of the valid UTF-8 sequence starting at s[i], or 0 if it is not valid.
inline size_t utf8_len(std::string_view s, size_t i) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > s.size()) return 0;
    for (size_t k = 1; k < n; ++k)
        if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
    if (n == 2 && c < 0xC2) return 0;  // overlong
    if (n == 3) {
        auto c1 = static_cast<unsigned char>(s[i + 1]);
        if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 >= 0xA0)) return 0;  // overlong, surrogate
    }
    if (n == 4) {
        auto c1 = static_cast<unsigned char>(s[i + 1]);
        if ((c == 0xF0 && c1 < 0x90) || c > 0xF4 || (c == 0xF4 && c1 >= 0x90)) return 0;
    }
    return n;
}

// Appends `s` as a JSON string (quotes included). Invalid UTF-8 becomes U+FFFD, so the output is
// always valid JSON whatever the bytes were.
inline void append_string(std::string& out, std::string_view s) {
    out.reserve(out.size() + s.size() + 2);
    out.push_back('"');
    size_t run = 0;  // start of the bytes that can be copied as they are
    size_t i = 0;
    auto flush = [&](size_t upto) { out.append(s.data() + run, upto - run); };
    while (i < s.size()) {
        auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c != '"' && c != '\\') {
            if (c < 0x80) {
                ++i;
                continue;
            }
            size_t n = utf8_len(s, i);
            if (n) {
                i += n;  // valid UTF-8 is copied as is, in the same run
                continue;
            }
            flush(i);
            out += "\xEF\xBF\xBD";
            run = ++i;
            continue;
        }
        flush(i);
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
    flush(i);
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
