// SPDX-License-Identifier: MIT
// Direct JSON writing must agree with a real JSON parser, whatever the bytes.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <random>

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

TEST_CASE("any bytes: the output is valid JSON, and valid UTF-8 comes back unchanged") {
    // Random strings weighted towards what breaks UTF-8 handling: lead bytes, continuation bytes,
    // the overlong / surrogate / beyond-U+10FFFF edges, escapes, and sequences cut short.
    const unsigned char pieces[] = {'a', ' ', '"', '\\', '\n', 0x01, 0x7f, 0x80, 0xbf, 0xc0, 0xc2, 0xdf, 0xe0,
                                    0xa0, 0xed, 0x9f, 0xef, 0xf0, 0x90, 0xf4, 0x8f, 0xf5, 0xff};
    std::mt19937 rng(20261202);
    int valid = 0;
    for (int round = 0; round < 20000; ++round) {
        std::string s;
        size_t len = rng() % 12;
        for (size_t k = 0; k < len; ++k) s.push_back(static_cast<char>(pieces[rng() % sizeof pieces]));
        std::string text = as_json(s);
        auto parsed = nlohmann::json::parse(text, nullptr, false);
        REQUIRE_FALSE(parsed.is_discarded());
        bool utf8 = true;
        try {
            (void)nlohmann::json(s).dump();  // nlohmann's own UTF-8 check throws on invalid input
        } catch (const nlohmann::json::type_error&) {
            utf8 = false;
        }
        if (utf8) {
            ++valid;
            CHECK(parsed.get<std::string>() == s);
        } else {
            CHECK(parsed.get<std::string>().find("\xEF\xBF\xBD") != std::string::npos);
        }
    }
    CHECK(valid > 1000);  // the generator reached both sides
    CHECK(valid < 19000);
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
    auto fast = yz::detail::HostJsonReader(text).rows();
    REQUIRE(fast);
    CHECK(*fast == nlohmann::json::parse(text));
    CHECK(yz::detail::HostJsonReader("[]").rows() == nlohmann::json::array());
    // Anything outside the host's format is left to the general parser.
    CHECK_FALSE(yz::detail::HostJsonReader("[{\"a\":[1]}]").rows());
    CHECK_FALSE(yz::detail::HostJsonReader("[{\"a\":\"\\u4e2d\"}]").rows());
    CHECK_FALSE(yz::detail::HostJsonReader("[{\"a\":1}] trailing").rows());
    CHECK_FALSE(yz::detail::HostJsonReader("[{\"a\":\"unterminated}]").rows());
}

TEST_CASE("the station SDK reads the host's auth object without the general parser, and gives up on anything else") {
    std::string text = "{\"user_id\":42,\"display_name\":";
    yz::json_text::append_string(text, "王\"小\\明\n");
    text += ",\"roles\":[\"resident\",\"staff:convenience\"],\"staff_here\":true,\"admin\":false}";
    yz::Auth fast;
    REQUIRE(yz::detail::HostJsonReader(text).auth(fast));
    nlohmann::json j = nlohmann::json::parse(text);
    CHECK(fast.user_id == j["user_id"].get<int64_t>());
    CHECK(fast.display_name == j["display_name"].get<std::string>());
    CHECK(fast.roles == j["roles"].get<std::vector<std::string>>());
    CHECK(fast.staff_here);
    CHECK_FALSE(fast.admin);
    yz::Auth none;
    CHECK(yz::detail::HostJsonReader("{\"user_id\":7,\"roles\":[],\"later\":null}").auth(none));
    CHECK(none.user_id == 7);
    CHECK(none.roles.empty());
    yz::Auth bad;
    CHECK_FALSE(yz::detail::HostJsonReader("{\"user_id\":\"7\"}").auth(bad));
    CHECK_FALSE(yz::detail::HostJsonReader("{\"admin\":1}").auth(bad));
    CHECK_FALSE(yz::detail::HostJsonReader("{\"roles\":[1]}").auth(bad));
    CHECK_FALSE(yz::detail::HostJsonReader("{\"user_id\":7} trailing").auth(bad));
}
