// SPDX-License-Identifier: MIT
// Byte encodings and randomness used by the WeChat protocol: lowercase hex (signatures), strict
// base64 (keys, IVs, ciphertexts) and a CSPRNG (OpenSSL RAND_bytes). Byte strings are carried in
// std::string throughout the adapter because the protocol glues bytes and text together
// (random16 ‖ len ‖ msg ‖ appid); no function here assumes they are printable.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <yz/wechat/result.hpp>

namespace yz::wechat {

/// Lowercase hex, two characters per byte.
std::string to_hex(std::string_view bytes);

/// Hex (either case) to bytes; refuses odd lengths and non-hex characters (Errc::bad_encoding).
Result<std::string> from_hex(std::string_view hex);

/// Standard base64 (RFC 4648 §4, '+' '/', '=' padding), no line breaks.
std::string base64_encode(std::string_view bytes);

/// Strict standard base64. ASCII whitespace (spaces, tabs, CR, LF) is removed first, because
/// several SDKs' samples wrap encryptedData over lines (PROTOCOL.md §9). After that the input must
/// be canonical: length a multiple of 4, at most two '=' and only at the end, unused bits zero.
/// Anything else is Errc::bad_encoding.
Result<std::string> base64_decode(std::string_view text);

/// Fills `out` from OpenSSL's CSPRNG. Returns false only if the RNG failed (never seen in practice,
/// but callers treat it as Errc::crypto_failure rather than continuing with predictable bytes).
[[nodiscard]] bool fill_random(std::span<unsigned char> out) noexcept;

/// n bytes from the CSPRNG. Throws std::runtime_error if the RNG fails: there is no safe fallback.
std::string random_bytes(std::size_t n);

/// n characters from [A-Za-z0-9] drawn without modulo bias (push random16, nonces, sim codes).
/// Throws std::runtime_error if the RNG fails.
std::string random_alnum(std::size_t n);

}  // namespace yz::wechat
