// SPDX-License-Identifier: MIT
// System clock plus the test-controlled offset.
#include "sim_clock.hpp"

#include <chrono>

namespace yz::wechat::sim {

std::int64_t SimClock::now() const noexcept {
    const auto real = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
    return real + offset_.load();
}

}  // namespace yz::wechat::sim
