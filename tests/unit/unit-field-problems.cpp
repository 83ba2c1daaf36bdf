// SPDX-License-Identifier: MIT
// yz/field_problems.hpp: every wrong field of a submission in one 422, nested ones prefixed.
#include <doctest/doctest.h>

#include <yz/field_problems.hpp>
#include <yz/text.hpp>

TEST_CASE("problems are collected, nested ones prefixed, and refused together") {
    yz::FieldProblems outer, inner;
    CHECK_NOTHROW(outer.throw_if_any("invalid_service", "服务设置有误"));
    outer.add("name", "必填");
    inner.add("min_age", "须为整数");
    outer.absorb(inner, "eligibility");
    CHECK_FALSE(outer.empty());
    try {
        outer.throw_if_any("invalid_service", "服务设置有误");
        FAIL("no refusal");
    } catch (const yz::ApiError& e) {
        CHECK(e.status() == 422);
        CHECK(e.code() == "invalid_service");
        CHECK(e.details() == yz::json{{"fields",
                                       {{{"field", "name"}, {"code", "invalid"}, {"message", "必填"}},
                                        {{"field", "eligibility.min_age"}, {"code", "invalid"}, {"message", "须为整数"}}}}});
    }
}

TEST_CASE("a character count counts characters, not bytes") {
    CHECK(yz::char_count("") == 0);
    CHECK(yz::char_count("abc") == 3);
    CHECK(yz::char_count("社保认证") == 4);
    CHECK(yz::char_count("😀a") == 2);
}
