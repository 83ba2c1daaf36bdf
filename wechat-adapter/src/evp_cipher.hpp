// SPDX-License-Identifier: MIT
// Internal: one-shot AES-CBC over OpenSSL EVP with OpenSSL's own padding switched off, so every
// caller does (and checks) its own padding: 32-byte blocks for pushes (PROTOCOL.md §5.3), 16 for
// user data (§3.2). Keeping the padding out of OpenSSL is what makes the strict checks possible.
#pragma once

#include <string>
#include <string_view>
#include <yz/wechat/result.hpp>

namespace yz::wechat::detail {

enum class CbcDirection { encrypt, decrypt };

/// AES-CBC without padding; key 16 or 32 bytes selects AES-128/256, iv 16 bytes, data a multiple of
/// 16 bytes. Errc::bad_key / bad_ciphertext on wrong sizes, crypto_failure if OpenSSL fails.
Result<std::string> aes_cbc_nopad(CbcDirection direction, std::string_view key, std::string_view iv,
                                  std::string_view data);

/// Appends PKCS#7 padding for the given block size (16 or 32): always 1..block bytes.
std::string pkcs7_pad(std::string data, std::size_t block);

/// Strips PKCS#7 padding, refusing a pad value outside 1..block or pad bytes that differ.
Result<std::string> pkcs7_unpad(std::string data, std::size_t block);

}  // namespace yz::wechat::detail
