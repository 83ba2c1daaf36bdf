// SPDX-License-Identifier: MIT
// The one error body, built as a tree (core routes) or written as text (stations' refusals): the
// same bytes either way.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "errors.hpp"

TEST_CASE("a station's error body written as text is the one error_body() builds") {
    nlohmann::json details = {{"start", "2026-02-11T09:00:00+08:00"}, {"waitlist", true}};
    CHECK(yz::error_body_text("slot_full", "该时段已约满，\"可\"候补", "rid-1", details.dump()) ==
          yz::error_body("slot_full", "该时段已约满，\"可\"候补", "rid-1", details).dump());
    CHECK(yz::error_body_text("not_found", "请求的内容不存在", "rid-2", "") == yz::error_body("not_found", "请求的内容不存在", "rid-2").dump());
    CHECK(yz::error_body_text("not_found", "x", "rid-3", "null") == yz::error_body("not_found", "x", "rid-3").dump());
    CHECK(yz::error_body_text("bad", "x", "rid-4", "{not json") == yz::error_body("bad", "x", "rid-4").dump());  // dropped, as before
}
