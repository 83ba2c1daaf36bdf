// SPDX-License-Identifier: MIT
// Checks every integration test makes of an API answer.
#pragma once

#include <doctest/doctest.h>

#include <string>

#include "test_server.hpp"

namespace yz::test {

// A refusal in the error model: the status, {"error": {code, message (中文), request_id}} with the
// request id the X-Request-Id header carries.
inline void check_error(const Response& r, int status, const std::string& code) {
    CAPTURE(r.text);
    CHECK(r.status == status);
    REQUIRE(r.body.is_object());
    REQUIRE(r.body.contains("error"));
    CHECK(r.body["error"]["code"] == code);
    CHECK(r.body["error"]["message"].get<std::string>().size() > 0);
    CHECK(r.body["error"]["request_id"] == r.header("X-Request-Id"));
}

}  // namespace yz::test
