// SPDX-License-Identifier: MIT
// Text screening for residents' free text through msg_sec_check v2 (PROTOCOL §6.2): `pass` may be
// published, `review` is held for a person, `risky` is refused and audited with WeChat's trace_id
// (never with the text). Any failure — WeChat not configured, an author unknown to WeChat or not
// seen in 2 hours, -1, a timeout — fails closed into `review`, never into publishing.
// A host-side C++ function for now; the plugin ABI gets it in a later minor version.
// Thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <yz/wechat/client.hpp>

namespace yz {

class App;

enum class ScreenVerdict { pass, review, risky };

struct ScreenResult {
    ScreenVerdict verdict = ScreenVerdict::review;
    int label = 0;         // WeChat's label (100 normal, 20006 crime...); 0 if not checked
    std::string trace_id;  // WeChat's id for this check
    bool checked = false;  // false: WeChat gave no verdict and this is the fail-closed review
};

const char* verdict_name(ScreenVerdict v);

ScreenResult screen_text(App& app, int64_t user_id, std::string_view text, wechat::SecScene scene);

// Screens stored customer-service texts still `pending` (scheduler tick); returns how many.
int screen_pending_messages(App& app, int max = 20);

}  // namespace yz
