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

TEST_CASE("numbers are written exactly; non-finite doubles are null") {
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
