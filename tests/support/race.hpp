// SPDX-License-Identifier: MIT
// Racing requests: many calls released at the same instant, and a tally of how each ended. The
// capacity tests are built on it — "16 racers for 3 places end 3 booked, 13 slot_full".
#pragma once

#include <functional>
#include <map>
#include <string>

#include "test_server.hpp"

namespace yz::test {

// How many calls ended each way, by label ("booked": 3, "409 slot_full": 13).
using Outcomes = std::map<std::string, int>;

// Runs `call(0..n-1)` on n threads held at a start line and let go together; tallies the labels
// they return. Threads, not a pool: every call is in flight at once, as with n phones.
Outcomes race(int n, const std::function<std::string(int index)>& call);

// The label of one answer: `ok_label` when it came back `ok_status`, else "<status> <error code>".
std::string outcome(const Response& r, int ok_status, const std::string& ok_label);

// "booked: 3; 409 slot_full: 13; " for a check's message.
std::string describe(const Outcomes& outcomes);

}  // namespace yz::test
