// SPDX-License-Identifier: MIT
// Authenticated encryption for personal data at rest (session_key, phone numbers; PROTOCOL.md
// §7.2): AES-256-GCM with a fresh random 12-byte nonce per message and a 16-byte tag that is always
// checked. Sealed format: version byte 0x01 ‖ nonce(12) ‖ ciphertext ‖ tag(16). The version byte
// leaves room for a future algorithm or key id without guessing. `aad` binds the ciphertext to its
// context (for example the row's openid), so a value copied to another row fails to unseal.
// Thread-safe: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <yz/wechat/result.hpp>

namespace yz::wechat {

inline constexpr std::size_t kSealedBoxKeySize = 32;
inline constexpr std::size_t kSealedBoxOverhead = 1 + 12 + 16;

/// key: exactly 32 raw bytes (Errc::bad_key otherwise). Returns raw bytes; base64 them for TEXT
/// columns.
Result<std::string> seal(std::string_view key, std::string_view plaintext,
                         std::string_view aad = {});

/// Errc::bad_key, bad_ciphertext (too short / unknown version) or auth_failed (tag mismatch, wrong
/// key, wrong aad, any flipped bit).
Result<std::string> unseal(std::string_view key, std::string_view sealed,
                           std::string_view aad = {});

}  // namespace yz::wechat
