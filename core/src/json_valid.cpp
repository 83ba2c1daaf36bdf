// SPDX-License-Identifier: MIT
#include "json_valid.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>

#include <yz/json_text.hpp>

namespace yz {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

class Checker {
public:
    explicit Checker(std::string_view s) : s_(s) {}

    bool document() {
        if (s_.starts_with("\xEF\xBB\xBF")) i_ = 3;  // nlohmann skips a byte order mark
        if (!value(0)) return false;
        skip_space();
        return i_ == s_.size();
    }

private:
    bool at(char c) const { return i_ < s_.size() && s_[i_] == c; }
    void skip_space() {
        while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) ++i_;
    }
    bool word(std::string_view w) {
        if (s_.compare(i_, w.size(), w) != 0) return false;
        i_ += w.size();
        return true;
    }

    bool value(int depth) {
        skip_space();
        if (i_ == s_.size()) return false;
        switch (s_[i_]) {
            case '{': return container(depth, '}', true);
            case '[': return container(depth, ']', false);
            case '"': return string();
            case 't': return word("true");
            case 'f': return word("false");
            case 'n': return word("null");
            default: return number();
        }
    }

    // An object (members "key": value) or an array (values), already at its opening bracket.
    bool container(int depth, char close, bool members) {
        if (depth >= kJsonMaxDepth) return false;
        ++i_;
        skip_space();
        if (at(close)) {
            ++i_;
            return true;
        }
        for (;;) {
            if (members) {
                skip_space();
                if (!at('"') || !string()) return false;
                skip_space();
                if (!at(':')) return false;
                ++i_;
            }
            if (!value(depth + 1)) return false;
            skip_space();
            if (at(',')) {
                ++i_;
                continue;
            }
            if (!at(close)) return false;
            ++i_;
            return true;
        }
    }

    bool hex4(unsigned& v) {
        if (s_.size() - i_ < 4) return false;
        auto r = std::from_chars(s_.data() + i_, s_.data() + i_ + 4, v, 16);
        if (r.ptr != s_.data() + i_ + 4) return false;  // all four must be hex digits
        i_ += 4;
        return true;
    }

    bool string() {
        ++i_;  // the opening quote
        while (i_ < s_.size()) {
            auto c = static_cast<unsigned char>(s_[i_]);
            if (c == '"') {
                ++i_;
                return true;
            }
            if (c < 0x20) return false;
            if (c == '\\') {
                if (!escape()) return false;
                continue;
            }
            size_t n = json_text::utf8_len(s_, i_);
            if (n == 0) return false;
            i_ += n;
        }
        return false;
    }

    bool escape() {
        if (++i_ == s_.size()) return false;
        char e = s_[i_++];
        if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' || e == 'r' || e == 't') return true;
        if (e != 'u') return false;
        unsigned v = 0;
        if (!hex4(v)) return false;
        if (v >= 0xDC00 && v <= 0xDFFF) return false;  // a low surrogate without its high one
        if (v < 0xD800 || v > 0xDBFF) return true;
        // A high surrogate: a low one must follow at once.
        if (!word("\\u")) return false;
        unsigned low = 0;
        return hex4(low) && low >= 0xDC00 && low <= 0xDFFF;
    }

    bool digits() {
        if (i_ == s_.size() || !is_digit(s_[i_])) return false;
        while (i_ < s_.size() && is_digit(s_[i_])) ++i_;
        return true;
    }

    bool number() {
        size_t start = i_;
        bool whole = true;
        if (at('-')) ++i_;
        if (at('0')) ++i_;
        else if (!digits()) return false;
        if (at('.')) {
            ++i_;
            whole = false;
            if (!digits()) return false;
        }
        if (at('e') || at('E')) {
            ++i_;
            whole = false;
            if (at('+') || at('-')) ++i_;
            if (!digits()) return false;
        }
        std::string_view token = s_.substr(start, i_ - start);
        // nlohmann keeps a whole number that fits 64 bits as an integer; anything else becomes a
        // double, and one that overflows (1e400) is an error. An underflow (1e-400) is 0, accepted.
        if (whole) {
            int64_t si;
            uint64_t ui;
            const char* end = token.data() + token.size();
            if (token.front() == '-' ? std::from_chars(token.data(), end, si).ec == std::errc()
                                     : std::from_chars(token.data(), end, ui).ec == std::errc())
                return true;
        }
        std::string text(token);
        return std::isfinite(std::strtod(text.c_str(), nullptr));
    }

    std::string_view s_;
    size_t i_ = 0;
};

}  // namespace

bool json_valid(std::string_view text) { return Checker(text).document(); }

}  // namespace yz
