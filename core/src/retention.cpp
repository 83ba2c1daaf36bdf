// SPDX-License-Identifier: MIT
#include "retention.hpp"

namespace yz::retention {

int64_t purge(Conn& c, int64_t now_ms) {
    auto core = c.enter_core();
    return c.write_tx([&] {
        auto del = c.prepare("DELETE FROM core_idempotency WHERE created_at < ?1");  // core_idempotency_created
        del->bind(1, now_ms - kIdempotencyAnswerMs);
        return static_cast<int64_t>(del->exec());
    });
}

}  // namespace yz::retention
