// SPDX-License-Identifier: MIT
#include "retention.hpp"

namespace yz::retention {

int64_t purge(Conn& c, int64_t now_ms) {
    auto core = c.enter_core();
    return c.write_tx([&] {
        auto answers = c.prepare("DELETE FROM core_idempotency WHERE created_at < ?1");  // core_idempotency_created
        answers->bind(1, now_ms - kIdempotencyAnswerMs);
        auto sessions = c.prepare("DELETE FROM core_sessions WHERE expires_at < ?1");  // core_sessions_expires
        sessions->bind(1, now_ms - kEndedSessionMs);
        return static_cast<int64_t>(answers->exec()) + sessions->exec();
    });
}

}  // namespace yz::retention
