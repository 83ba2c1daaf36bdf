// SPDX-License-Identifier: MIT
// Internal: the simulator's clock, real time plus an offset tests can advance, so code expiry
// (5 min) and token expiry (2 h) are testable without sleeping.
#pragma once

#include <atomic>
#include <cstdint>

namespace yz::wechat::sim {

class SimClock {
  public:
    /// Unix seconds, including every advance().
    std::int64_t now() const noexcept;
    void advance(std::int64_t seconds) noexcept { offset_ += seconds; }
    void reset() noexcept { offset_ = 0; }

  private:
    std::atomic<std::int64_t> offset_{0};
};

}  // namespace yz::wechat::sim
