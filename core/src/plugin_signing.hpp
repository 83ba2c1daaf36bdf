// SPDX-License-Identifier: MIT
// Station files signed by whoever may install stations: a detached Ed25519 signature over the
// file's SHA-256 (OpenSSL EVP). The private key stays with the signer (PEM, mode 0600); the
// server trusts the public keys its config lists (plugins.trusted_keys, 64 hex characters each)
// and checks an uploaded file against them before it is ever opened.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace yz::plugin_signing {

struct KeyPair {
    std::string private_pem;
    std::string public_hex;  // the raw 32-byte key, as config lists it
};

KeyPair generate();
// The public half of a PEM private key; throws std::invalid_argument if it is not an Ed25519 key.
std::string public_hex_of(const std::string& private_pem);
// The signature (128 hex characters) over SHA-256 of `file_bytes`.
std::string sign(const std::string& file_bytes, const std::string& private_pem);
// The trusted key (hex) that made `signature_hex` over these bytes, or nullopt: a forged, altered
// or malformed signature, or one by a key not trusted.
std::optional<std::string> verify(const std::string& file_bytes, const std::string& signature_hex,
                                  const std::vector<std::string>& trusted_hex);
// 64 hex characters decoding to 32 bytes.
bool valid_public_hex(const std::string& text);

}  // namespace yz::plugin_signing
