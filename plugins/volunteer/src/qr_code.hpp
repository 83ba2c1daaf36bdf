// SPDX-License-Identifier: MIT
// The rotating check-in code the station's screen shows as a QR code. A volunteer's phone sends
// it back to check in or out, which proves they stood in front of the screen a moment ago: a code
// is for one post and place, and stops working 30–60 s after the screen first showed it, so a
// screenshot sent home is useless by the time it arrives.
//
// Time is cut into 30-second ticks. A code names its post, tick and place and carries the host's
// signature over them (HMAC-SHA256 under a key the core keeps for this station, purpose
// "volunteer.checkin"), so nothing is stored and nobody can make one without the server:
//
//     <post id>.<tick>.<signature, 43 base64url characters>.<place>
//
// It is valid during its tick and the next one.
#pragma once

#include <cstdint>
#include <string>

#include <yz/plugin.hpp>

namespace volunteer {

constexpr int64_t kTickMs = 30'000;

struct IssuedCode {
    std::string code;
    int64_t expires_at = 0;  // UTC ms
    int64_t refresh_at = 0;  // when the screen should ask again (the next tick)
};

IssuedCode issue_code(const yz::Host& host, int64_t post_id, const std::string& place, int64_t now);

enum class CodeVerdict { ok, invalid, expired, other_post };

struct CheckedCode {
    CodeVerdict verdict = CodeVerdict::invalid;
    std::string place;
};

// Whether `code` lets someone check in at post `post_id` at `now`.
CheckedCode check_code(const yz::Host& host, const std::string& code, int64_t post_id, int64_t now);

// Throws the refusal for a verdict other than ok: 422 code_invalid, code_expired, code_wrong_post.
void refuse_unless_ok(const CheckedCode& checked);

}  // namespace volunteer
