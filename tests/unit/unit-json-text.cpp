// SPDX-License-Identifier: MIT
// Direct JSON writing must agree with a real JSON parser, whatever the bytes.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <yz/json_text.hpp>

using yz::json_text::append_string;

namespace {
std::string as_json(std::string_view s) {
    std::string out;
    append_string(out, s);
    return out;
}
}  // namespace

TEST_CASE("strings round-trip through a JSON parser, Chinese and escapes included") {
    for (std::string s : {std::string("plain"), std::string("停水通知：明天 9:00"), std::string("a\"b\\c"),
                          std::string("line\nbreak\ttab\r"), std::string("\x01\x1f", 2), std::string("😀 emoji")}) {
        auto parsed = nlohmann::json::parse(as_json(s));
        CHECK(parsed.get<std::string>() == s);
    }
}

TEST_CASE("invalid UTF-8 becomes U+FFFD and the output stays valid JSON") {
    for (std::string bad : {std::string("\xff"), std::string("ab\xc3"), std::string("\xed\xa0\x80"),
                            std::string("\xc0\xaf"), std::string("\xf4\x90\x80\x80")}) {
        std::string text = as_json(bad);
        auto parsed = nlohmann::json::parse(text, nullptr, false);
        REQUIRE_FALSE(parsed.is_discarded());
        CHECK(parsed.get<std::string>().find("\xEF\xBF\xBD") != std::string::npos);
    }
}

TEST_CASE("numbers are written exactly, non-finite doubles are null") {
    std::string out;
    yz::json_text::append_int(out, -9007199254740993LL);
    CHECK(out == "-9007199254740993");
    out.clear();
    yz::json_text::append_double(out, 0.1);
    CHECK(nlohmann::json::parse(out).get<double>() == 0.1);
    out.clear();
    yz::json_text::append_double(out, 1.0 / 0.0);
    CHECK(out == "null");
}

#include <yz/plugin.hpp>

TEST_CASE("the SDK's row reader agrees with the general parser on what the host writes") {
    std::string text = "[";
    const std::vector<std::string> strings = {"停水通知", "a\"b\\c", "line\nbreak", std::string("\x01\x1f", 2), "", "😀"};
    for (size_t i = 0; i < strings.size(); ++i) {
        if (i) text += ",";
        text += "{";
        yz::json_text::append_string(text, "title");
        text += ":";
        yz::json_text::append_string(text, strings[i]);
        text += ",\"n\":";
        yz::json_text::append_int(text, -static_cast<int64_t>(i) * 1000000007LL);
        text += ",\"x\":";
        yz::json_text::append_double(text, 0.5 + static_cast<double>(i));
        text += ",\"none\":null}";
    }
    text += "]";
    auto fast = yz::detail::RowsReader(text).read();
    REQUIRE(fast);
    CHECK(*fast == nlohmann::json::parse(text));
    CHECK(yz::detail::RowsReader("[]").read() == nlohmann::json::array());
    // Anything outside the host's format is left to the general parser.
    CHECK_FALSE(yz::detail::RowsReader("[{\"a\":[1]}]").read());
    CHECK_FALSE(yz::detail::RowsReader("[{\"a\":\"\\u4e2d\"}]").read());
    CHECK_FALSE(yz::detail::RowsReader("[{\"a\":1}] trailing").read());
    CHECK_FALSE(yz::detail::RowsReader("[{\"a\":\"unterminated}]").read());
}
