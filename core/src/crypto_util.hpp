// SPDX-License-Identifier: MIT
// The few crypto primitives the core needs itself (OpenSSL): random tokens and SHA-256.
#pragma once

#include <string>
#include <string_view>

namespace yz::crypto {

// n bytes from OpenSSL's CSPRNG; throws if the generator fails.
std::string random_bytes(size_t n);
// URL-safe base64 without padding (tokens travel in headers and links).
std::string base64url(std::string_view bytes);
std::string hex(std::string_view bytes);
std::string sha256(std::string_view data);  // raw 32 bytes
// A 256-bit random token, base64url (43 characters).
std::string new_token();

}  // namespace yz::crypto
