// SPDX-License-Identifier: MIT
// Signing in to the staff console without a password. The console asks for a challenge and shows
// its id as a QR code; a staff member already signed in to the mini-program scans it and confirms;
// the console, the only holder of the challenge's secret, then collects a console session for that
// user, exactly once. A challenge lives two minutes. `yizhan user login-link` makes one already
// confirmed for a user (the first admin, who has nobody to confirm for them).
#pragma once

#include <cstdint>
#include <string>

#include "db.hpp"

namespace yz::console_login {

constexpr int64_t kChallengeMs = 2 * 60 * 1000;
constexpr int64_t kLinkMs = 10 * 60 * 1000;

struct Challenge {
    std::string id;      // shown in the QR code: public
    std::string secret;  // kept by the console page: proves it is the one that asked
    int64_t expires_at = 0;
};

// A new challenge; confirmed already for `user_id` if non-zero (a login link).
Challenge create(Conn& c, int64_t now_ms, int64_t ttl_ms, int64_t user_id = 0);

enum class Outcome { ok, pending, unknown, expired, used };
// The scanning user confirms; a challenge already confirmed (by anyone) is `used`.
Outcome confirm(Conn& c, const std::string& id, int64_t user_id, int64_t now_ms);
// The console collects: `ok` with the user once confirmed (the challenge is then spent), `pending`
// before. A wrong secret is `unknown`, as if there were no such challenge.
Outcome collect(Conn& c, const std::string& id, const std::string& secret, int64_t now_ms, int64_t& user_id);

}  // namespace yz::console_login
