// SPDX-License-Identifier: MIT
// Signatures stations put on what they hand out and check later (a volunteer post's rotating
// check-in QR code, a certificate's verification code): HMAC-SHA256 under a random key per
// station, kept in core_signing_keys and cached here. Purpose and payload are both signed, so a
// code for one purpose does not verify as another.
// Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace yz {

class Database;

class SigningKeys {
public:
    explicit SigningKeys(Database& db) : db_(db) {}
    // 43 characters of base64url.
    std::string sign(const std::string& station, std::string_view purpose, std::string_view payload, int64_t now_ms);

private:
    std::string key_for(const std::string& station, int64_t now_ms);

    Database& db_;
    std::mutex mu_;
    std::map<std::string, std::string> keys_;  // station → 32 raw bytes
};

}  // namespace yz
