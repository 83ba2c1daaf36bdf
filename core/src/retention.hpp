// SPDX-License-Identifier: MIT
// What the core keeps only for a while. A stored answer for an idempotent retry (server.cpp) is
// needed for as long as a client may still be retrying the request that earned it: the
// mini-program retries within seconds, a phone that lost its signal within hours. A day covers
// both; after it the answer is only a copy of a response body, kept for nobody.
#pragma once

#include <cstdint>

#include "db.hpp"

namespace yz::retention {

constexpr int64_t kIdempotencyAnswerMs = 24LL * 3600 * 1000;
constexpr int64_t kPurgeEveryMs = 3600LL * 1000;  // the scheduler's hook runs it at most this often

// Deletes the stored answers older than kIdempotencyAnswerMs; returns how many went.
int64_t purge(Conn& c, int64_t now_ms);

}  // namespace yz::retention
