// SPDX-License-Identifier: MIT
// Decryption of mini-program open data (`encryptedData` + `iv`, PROTOCOL.md §3.2): AES-128-CBC with
// key = base64decode(session_key), strict 16-byte PKCS#7, then a mandatory watermark.appid check.
// Thread-safe: pure function.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <yz/wechat/result.hpp>

namespace yz::wechat {

struct UserData {
    std::string json;                     // the decrypted UTF-8 JSON, watermark included
    std::int64_t watermark_timestamp{0};  // seconds; callers may refuse stale data (local policy)
};

/// Errors: bad_encoding (base64), bad_key (session_key or iv not 16 bytes), bad_ciphertext (not a
/// multiple of 16), bad_padding, bad_json (not a JSON object), missing_field (no watermark.appid),
/// wrong_appid. A padding error usually means the client rotated its session_key by calling
/// wx.login() after getting the data: answer "please log in again" (§3.2 trap).
Result<UserData> decrypt_user_data(std::string_view appid, std::string_view session_key,
                                   std::string_view encrypted_data, std::string_view iv);

}  // namespace yz::wechat
