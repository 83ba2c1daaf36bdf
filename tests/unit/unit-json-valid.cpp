// SPDX-License-Identifier: MIT
// json_valid must say what nlohmann::json::accept says — a station parses with nlohmann whatever
// the core let through, so a text passed here and refused there would be a 500, not a 400.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "json_valid.hpp"

using yz::json_valid;

TEST_CASE("documents nlohmann accepts pass, the rest do not, edge by edge") {
    std::vector<std::string> texts = {
        "{}", "[]", " {\"a\": [1, -0, 2.5e-3, true, false, null, \"x\"]} ", "\"s\"", "0", "-1", "1E+2", "\xEF\xBB\xBF{}",
        "\"\\u00e9\\ud83d\\ude00\\/\\b\\f\\n\\r\\t\\\"\\\\\"", "\"停水通知\"", "18446744073709551615", "18446744073709551616",
        "-9223372036854775808", "-9223372036854775809", "1e400", "-1e400", "1e-400", "1" + std::string(400, '0'),
        "", " ", "{", "}", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "{1:2}", "01", "-", "1.", ".5", "+1", "1e", "1e+",
        "0x10", "tru", "nul", "True", "\"\\x\"", "\"\\u12\"", "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"",
        std::string("\"a\x01\""), std::string("\"\0\"", 3), "\"\xff\"", "\"\xc0\xaf\"", "\"\xed\xa0\x80\"",
        "\"\xf4\x90\x80\x80\"", "\"abc", "{} {}", "[1] x", "\xEF\xBB{}", "NaN", "Infinity", "[\"\x7f\"]",
        "\t\r\n[ ]\n", "\"\\u0000\"", "[-]", "[1e5.5]", "{\"a\":{\"b\":[{}]}}"};
    for (const std::string& t : texts) {
        CAPTURE(t);
        CHECK(json_valid(t) == nlohmann::json::accept(t));
    }
    CHECK(json_valid("{\"ok\":true}"));  // the checks above can fail: some pass, some do not
    // The one refusal of ours: nlohmann reads "{}\0junk" as {} (a NUL ends its input).
    std::string nul("{}\0junk", 7);
    CHECK(nlohmann::json::accept(nul));
    CHECK_FALSE(json_valid(nul));
    CHECK_FALSE(json_valid("{\"ok\":tru}"));
}

TEST_CASE("nesting up to the limit passes, past it is refused") {
    auto nested = [](int depth) { return std::string(static_cast<size_t>(depth), '[') + std::string(static_cast<size_t>(depth), ']'); };
    CHECK(json_valid(nested(yz::kJsonMaxDepth)));
    CHECK_FALSE(json_valid(nested(yz::kJsonMaxDepth + 1)));
}

TEST_CASE("random documents and their mutations: json_valid agrees with nlohmann") {
    // Valid documents built from a small grammar, then each cut, doubled, or with a byte changed
    // to one of the characters that matter to a JSON lexer: whatever comes out, both must agree.
    std::mt19937 rng(20261202);
    auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
    std::vector<std::string> atoms = {"0", "-12", "3.25", "6e7", "-0.5E-3", "1e999", "true", "false", "null", "\"\"", "\"a b\"",
                                      "\"\\n\\u4e2d\"", "\"中文\"", "\"\\ud83d\\ude00\"", "12345678901234567890"};
    std::function<std::string(int)> gen = [&](int depth) -> std::string {
        int kind = depth > 3 ? 0 : pick(3);
        if (kind == 0) return atoms[static_cast<size_t>(pick(static_cast<int>(atoms.size())))];
        std::string out(1, kind == 1 ? '[' : '{');
        int n = pick(4);
        for (int i = 0; i < n; ++i) {
            if (i) out += pick(2) ? "," : " , ";
            if (kind == 2) out += "\"k" + std::to_string(i) + "\":";
            out += gen(depth + 1);
        }
        out += kind == 1 ? ']' : '}';
        return out;
    };
    const std::string specials = "{}[]\":,\\ \t-+.eE0123456789tfnu\x01\x7f\xc3\xa9\xed\xff";
    int agreed_valid = 0, agreed_invalid = 0;
    for (int round = 0; round < 20000; ++round) {
        std::string t = gen(0);
        switch (pick(4)) {
            case 0: break;
            case 1: t.resize(static_cast<size_t>(pick(static_cast<int>(t.size()) + 1))); break;
            case 2: t[static_cast<size_t>(pick(static_cast<int>(t.size())))] = specials[static_cast<size_t>(pick(static_cast<int>(specials.size())))]; break;
            case 3: t.insert(static_cast<size_t>(pick(static_cast<int>(t.size()) + 1)), 1, specials[static_cast<size_t>(pick(static_cast<int>(specials.size())))]); break;
        }
        bool want = nlohmann::json::accept(t);
        CAPTURE(t);
        REQUIRE(json_valid(t) == want);
        ++(want ? agreed_valid : agreed_invalid);
    }
    // Both kinds were exercised, not one of them only.
    CHECK(agreed_valid > 2000);
    CHECK(agreed_invalid > 2000);
}
