// SPDX-License-Identifier: MIT
// Workflow: declared transitions, who may perform them, reasons.
#include <doctest/doctest.h>

#include "workflow.hpp"

using namespace yz::workflow;
using nlohmann::json;

namespace {
Definition booking() {
    std::string why;
    auto d = Definition::parse(json::parse(R"({
      "name": "booking", "states": ["pending", "approved", "rejected", "cancelled"], "initial": "pending",
      "transitions": [
        {"action": "approve", "from": ["pending"], "to": "approved", "who": ["staff"]},
        {"action": "reject", "from": ["pending"], "to": "rejected", "who": ["staff"], "reason_required": true},
        {"action": "cancel", "from": ["pending", "approved"], "to": "cancelled", "who": ["owner", "staff"]}
      ]})"), why);
    REQUIRE_MESSAGE(d, why);
    return *d;
}
}  // namespace

TEST_CASE("staff of the station approve, staff of another station may not") {
    Definition d = booking();
    Actor staff{7, {"staff:convenience"}}, other{8, {"staff:volunteer"}};
    CHECK(decide(d, "convenience", "pending", "approve", staff, 1, "").verdict == Verdict::ok);
    CHECK(decide(d, "convenience", "pending", "approve", other, 1, "").verdict == Verdict::not_allowed);
}

TEST_CASE("the owner may cancel their own record, not someone else's") {
    Definition d = booking();
    Actor owner{1, {"resident"}}, stranger{2, {"resident"}};
    auto ok = decide(d, "convenience", "approved", "cancel", owner, 1, "");
    CHECK(ok.verdict == Verdict::ok);
    CHECK(ok.to == "cancelled");
    CHECK(decide(d, "convenience", "approved", "cancel", stranger, 1, "").verdict == Verdict::not_allowed);
}

TEST_CASE("wrong state, unknown action and missing reason are refused") {
    Definition d = booking();
    Actor staff{7, {"staff:convenience"}};
    CHECK(decide(d, "convenience", "cancelled", "approve", staff, 1, "").verdict == Verdict::wrong_state);
    CHECK(decide(d, "convenience", "pending", "teleport", staff, 1, "").verdict == Verdict::unknown_action);
    CHECK(decide(d, "convenience", "pending", "reject", staff, 1, "").verdict == Verdict::reason_missing);
    CHECK(decide(d, "convenience", "pending", "reject", staff, 1, "名额已满").verdict == Verdict::ok);
}

TEST_CASE("inconsistent definitions are refused with a reason") {
    std::string why;
    CHECK_FALSE(Definition::parse(json::parse(R"({"name":"x","states":["a"],"transitions":[{"action":"go","from":["a"],"to":"b","who":["staff"]}]})"), why));
    CHECK(why.find("unknown state 'b'") != std::string::npos);
    CHECK_FALSE(Definition::parse(json::parse(R"({"name":"x","states":["a","b"],"transitions":[{"action":"go","from":["a"],"to":"b","who":["wizard"]}]})"), why));
    CHECK(why.find("wizard") != std::string::npos);
}

TEST_CASE("a role word matches that role with any scope, and nothing that merely starts like it") {
    std::string why;
    auto d = Definition::parse(json::parse(R"({
      "name": "visit", "states": ["requested", "arranged"], "initial": "requested",
      "transitions": [{"action": "arrange", "from": ["requested"], "to": "arranged", "who": ["grid"]}]})"), why);
    REQUIRE_MESSAGE(d, why);
    Actor grid_worker{5, {"resident", "grid:3"}}, unscoped{6, {"grid"}}, lookalike{7, {"gridlock:1"}}, resident{8, {"resident"}};
    CHECK(decide(*d, "convenience", "requested", "arrange", grid_worker, 1, "").verdict == Verdict::ok);
    CHECK(decide(*d, "convenience", "requested", "arrange", unscoped, 1, "").verdict == Verdict::ok);
    CHECK(decide(*d, "convenience", "requested", "arrange", lookalike, 1, "").verdict == Verdict::not_allowed);
    CHECK(decide(*d, "convenience", "requested", "arrange", resident, 1, "").verdict == Verdict::not_allowed);
}
