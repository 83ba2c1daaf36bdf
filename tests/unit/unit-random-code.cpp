// SPDX-License-Identifier: MIT
// yz/random_code.hpp: codes of the asked length from the look-alike-free alphabet, no two alike in
// a large draw, every character used, and typed codes normalised or refused.
#include <doctest/doctest.h>

#include <map>
#include <set>

#include <yz/random_code.hpp>

TEST_CASE("random codes: length, alphabet, no repeats, every character drawn") {
    std::set<std::string> seen;
    std::map<char, int> counts;
    for (int i = 0; i < 20000; ++i) {
        std::string c = yz::random_code(8);
        REQUIRE(c.size() == 8);
        for (char ch : c) {
            REQUIRE(yz::kCodeAlphabet.find(ch) != std::string_view::npos);
            ++counts[ch];
        }
        seen.insert(c);
    }
    CHECK(seen.size() == 20000);  // 31^8 codes: a repeat in 20 000 draws has odds of about 1 in 4 000
    CHECK(counts.size() == yz::kCodeAlphabet.size());
    // 160 000 characters over 31 symbols: about 5 161 each (σ ≈ 71); a plain `byte % 31` would give
    // eight of them about 5 780.
    for (const auto& [ch, n] : counts) {
        INFO("character " << ch);
        CHECK(n > 4600);
        CHECK(n < 5700);
    }
    CHECK(yz::random_code(0).empty());
    CHECK(yz::random_code(40).size() == 40);
}

TEST_CASE("typed codes are normalised, or refused when they cannot be codes") {
    CHECK(yz::normalize_code("k7px-3m9q", 8) == "K7PX3M9Q");
    CHECK(yz::normalize_code(" K7PX 3M9Q ", 8) == "K7PX3M9Q");
    CHECK_FALSE(yz::normalize_code("K7PX3M9", 8));     // too short
    CHECK_FALSE(yz::normalize_code("K7PX3M9Q1", 8));   // too long, and 1 is a look-alike
    CHECK_FALSE(yz::normalize_code("K7PX3M0Q", 8));    // 0 is not in the alphabet
    CHECK_FALSE(yz::normalize_code("K7PX3M9Ö", 8));
}
