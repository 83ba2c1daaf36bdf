// SPDX-License-Identifier: MIT
// What the core keeps only for a while. A stored answer for an idempotent retry (server.cpp) is
// needed for as long as a client may still be retrying the request that earned it: the
// mini-program retries within seconds, a phone that lost its signal within hours. A day covers
// both; after it the answer is only a copy of a response body, kept for nobody.
// A session is kept for a month after it ended (expired, or revoked and then past its expiry):
// a resident's data export lists their recent logins, and an admin looking into a misused account
// needs them; after that it is a row per login that nobody reads.
#pragma once

#include <cstdint>

#include "db.hpp"

namespace yz::retention {

constexpr int64_t kIdempotencyAnswerMs = 24LL * 3600 * 1000;
constexpr int64_t kEndedSessionMs = 30LL * 24 * 3600 * 1000;
constexpr int64_t kPurgeEveryMs = 3600LL * 1000;  // the scheduler's hook runs it at most this often

// Deletes the stored answers older than kIdempotencyAnswerMs and the sessions that expired more
// than kEndedSessionMs ago (a revoked one keeps its expiry); returns how many rows went.
int64_t purge(Conn& c, int64_t now_ms);

}  // namespace yz::retention
