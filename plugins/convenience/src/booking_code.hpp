// SPDX-License-Identifier: MIT
// The booking code a resident shows at the station ("K7PX3M9Q", also the QR code's content) and
// staff type in to check them in: yz/random_code.hpp's unguessable codes, eight characters (about
// 40 bits) — short enough to read aloud, and only staff can act on one, on its day. Unique per
// station (the bookings table's UNIQUE code; insert_booking draws again on the rare clash).
#pragma once

#include <optional>
#include <string>

#include <yz/random_code.hpp>

namespace convenience {

constexpr size_t kBookingCodeLength = 8;

// A fresh random code. Thread-safe.
inline std::string new_booking_code() { return yz::random_code(kBookingCodeLength); }

// What staff typed, upper-cased with spaces and dashes dropped; nullopt if it cannot be a code.
inline std::optional<std::string> normalize_booking_code(const std::string& typed) {
    return yz::normalize_code(typed, kBookingCodeLength);
}

}  // namespace convenience
