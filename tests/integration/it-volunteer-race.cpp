// SPDX-License-Identifier: MIT
// 志愿者工作站 under contention: many members racing for a post's spots over real HTTP. The
// capacity ledger's place and the claim row commit together, so however the race falls the
// claims, the ledger and the answers members get agree — checked over several rounds to catch
// a flaky interleaving.
#include "../support/race.hpp"
#include "it-volunteer-fixture.hpp"

using namespace volunteer_test;
using yz::test::describe;

namespace {
// Every member claims `post` at once.
yz::test::Outcomes race(Station& st, int64_t post, const std::vector<std::string>& tokens) {
    return yz::test::race(static_cast<int>(tokens.size()),
                          [&](int i) { return yz::test::outcome(st.claim(tokens[static_cast<size_t>(i)], post), 201, "claimed"); });
}

std::vector<std::string> members(Station& st, int n) {
    std::vector<std::string> tokens;
    for (int i = 0; i < n; ++i) tokens.push_back(st.volunteer("m" + std::to_string(i), {"member"}, "党员" + std::to_string(i), "1985-06-01"));
    return tokens;
}
}  // namespace

TEST_CASE("racing claims on a 3-spot post end with exactly 3 claims and clear post_full refusals") {
    Station st;
    int64_t project = st.project();
    std::vector<std::string> tokens = members(st, 24);
    for (int round = 0; round < 6; ++round) {
        CAPTURE(round);
        int64_t post = st.post(project, {{"role", "劝导岗 " + std::to_string(round)}, {"eligibility", {{"members_only", true}}}});
        auto outcomes = race(st, post, tokens);
        INFO(describe(outcomes));
        CHECK(outcomes["claimed"] == 3);
        CHECK(outcomes["409 post_full"] == 21);
        CHECK(outcomes.size() == 2);
        CHECK(st.count("SELECT count(*) FROM volunteer_claims WHERE post_id = " + std::to_string(post)) == 3);
        CHECK(st.ledger_taken("post:" + std::to_string(post)) == 3);
        CHECK(st.s.get(st.path("/posts", post)).body["remaining"] == 0);
    }
}

TEST_CASE("one member tapping claim many times at once gets one claim") {
    Station st;
    int64_t post = st.post(st.project());
    auto outcomes = race(st, post, std::vector<std::string>(10, st.zhang));
    INFO(describe(outcomes));
    CHECK(outcomes["claimed"] == 1);
    CHECK(outcomes["409 already_claimed"] == 9);
    CHECK(st.ledger_taken("post:" + std::to_string(post)) == 1);
}

TEST_CASE("a withdrawn spot is taken again by exactly one of several racers") {
    Station st;
    int64_t post = st.post(st.project(), {{"spots", 1}});
    int64_t first = st.claimed(st.zhang, post);
    REQUIRE(st.act(st.zhang, "/claims", first, "withdraw").status == 200);
    auto outcomes = race(st, post, members(st, 12));
    INFO(describe(outcomes));
    CHECK(outcomes["claimed"] == 1);
    CHECK(outcomes["409 post_full"] == 11);
    CHECK(st.ledger_taken("post:" + std::to_string(post)) == 1);
    CHECK(st.count("SELECT count(*) FROM volunteer_claims WHERE state = 'approved'") == 1);
}
