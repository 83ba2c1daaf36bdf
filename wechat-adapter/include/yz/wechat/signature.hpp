// SPDX-License-Identifier: MIT
// Every signature WeChat uses, and the constant-time comparison to check them: the push URL/plain
// signature and msg_signature (PROTOCOL.md §5.1, §5.2, §5.4), the login-state HMAC (§1.2) and the
// legacy rawData signature (§1.3). All digests are OpenSSL EVP; all outputs are lowercase hex.
// Thread-safe: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace yz::wechat {

/// CRYPTO_memcmp-based equality. Leaks only whether the lengths differ, which is public (hex
/// digests have fixed lengths).
bool constant_time_equal(std::string_view a, std::string_view b) noexcept;

/// Lowercase hex SHA-1 of `data`.
std::string sha1_hex(std::string_view data);

/// Lowercase hex SHA-256 of `data`.
std::string sha256_hex(std::string_view data);

/// `signature` query parameter: sha1_hex(sorted([token, timestamp, nonce]) joined). §5.1.
std::string push_signature(std::string_view token, std::string_view timestamp,
                           std::string_view nonce);

/// `msg_signature` (and a reply's MsgSignature): sha1_hex(sorted([token, timestamp, nonce,
/// encrypt]) joined). §5.2, §5.4.
std::string push_msg_signature(std::string_view token, std::string_view timestamp,
                               std::string_view nonce, std::string_view encrypt);

/// User login-state signature: hex(HMAC-SHA256(key = session_key TEXT, msg = body)). The key is the
/// 24-character base64 string's ASCII bytes, not the decoded 16 bytes (§1.2). For checksession and
/// resetusersessionkey the body is empty.
std::string login_state_signature(std::string_view session_key_text, std::string_view body);

/// Legacy rawData signature: sha1_hex(raw_data + session_key) (§1.3).
std::string raw_data_signature(std::string_view raw_data, std::string_view session_key_text);

/// Constant-time check of a client-supplied rawData signature (hex, either case accepted).
bool verify_raw_data_signature(std::string_view raw_data, std::string_view session_key_text,
                               std::string_view signature);

}  // namespace yz::wechat
