// SPDX-License-Identifier: MIT
// A strict UTF-8 decoder (RFC 3629) and truncation by code points.
#include <yz/wechat/utf8.hpp>

namespace yz::wechat {

std::optional<std::u32string> decode_utf8(std::string_view text) {
    std::u32string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        const auto b0 = static_cast<unsigned char>(text[i]);
        std::size_t len = 0;
        char32_t cp = 0;
        char32_t min = 0;
        if (b0 < 0x80) {
            len = 1, cp = b0;
        } else if ((b0 & 0xe0) == 0xc0) {
            len = 2, cp = b0 & 0x1f, min = 0x80;
        } else if ((b0 & 0xf0) == 0xe0) {
            len = 3, cp = b0 & 0x0f, min = 0x800;
        } else if ((b0 & 0xf8) == 0xf0) {
            len = 4, cp = b0 & 0x07, min = 0x10000;
        } else {
            return std::nullopt;
        }
        if (i + len > text.size()) return std::nullopt;
        for (std::size_t k = 1; k < len; ++k) {
            const auto b = static_cast<unsigned char>(text[i + k]);
            if ((b & 0xc0) != 0x80) return std::nullopt;
            cp = (cp << 6) | (b & 0x3f);
        }
        if (len > 1 && cp < min) return std::nullopt;           // overlong
        if (cp > 0x10ffff) return std::nullopt;                 // beyond Unicode
        if (cp >= 0xd800 && cp <= 0xdfff) return std::nullopt;  // surrogate
        out.push_back(cp);
        i += len;
    }
    return out;
}

void append_utf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xc0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xe0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
    } else {
        out.push_back(static_cast<char>(0xf0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
    }
}

std::string truncate_code_points(std::string_view text, std::size_t max_code_points,
                                 std::u32string_view ellipsis) {
    const auto cps = decode_utf8(text);
    if (!cps) return {};
    if (cps->size() <= max_code_points) return std::string(text);
    const std::size_t keep =
        max_code_points > ellipsis.size() ? max_code_points - ellipsis.size() : 0;
    std::string out;
    for (std::size_t i = 0; i < keep; ++i) append_utf8(out, (*cps)[i]);
    if (max_code_points >= ellipsis.size()) {
        for (char32_t cp : ellipsis) append_utf8(out, cp);
    }
    return out;
}

}  // namespace yz::wechat
