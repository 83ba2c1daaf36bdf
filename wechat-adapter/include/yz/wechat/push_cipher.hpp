// SPDX-License-Identifier: MIT
// The push message cipher of safe/compatible mode (PROTOCOL.md §5.3): AES-256-CBC, key =
// base64(EncodingAESKey + "="), IV = key[0..16), PKCS#7 padding to 32-byte blocks done by hand, and
// the plaintext layout random16 ‖ msg_len (u32 big-endian) ‖ msg ‖ appid. Holds the current and,
// during a key rotation, the previous EncodingAESKey: decryption tries current then previous and
// reports which one worked so the reply can be encrypted with the same key.
// Thread-safe: immutable after create().
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>
#include <yz/wechat/result.hpp>

namespace yz::wechat {

class PushCipher {
  public:
    /// Which configured key a message used.
    enum class KeySlot { current = 0, previous = 1 };

    struct Decrypted {
        std::string message;  // the inner JSON or XML text
        KeySlot key_slot;
    };

    /// Validates both keys (43 characters of [A-Za-z0-9], decoding to exactly 32 bytes) so a bad
    /// configuration fails at start-up, not on the first push. `previous` may be empty.
    /// Errc::bad_key on a malformed key, Errc::missing_field on an empty appid.
    static Result<PushCipher> create(std::string appid, std::string_view encoding_aes_key,
                                     std::string_view previous_encoding_aes_key = {});

    /// Decrypts a base64 `Encrypt` value and checks, in order: base64, length a multiple of 16,
    /// pad value 1..32 with all pad bytes equal, msg_len within the plaintext, trailer == appid.
    /// Each failure has its own Errc (bad_encoding, bad_ciphertext, bad_padding, bad_layout,
    /// wrong_appid); the error reported is the current key's.
    Result<Decrypted> decrypt(std::string_view encrypt_base64) const;

    /// Encrypts `message` with 16 random bytes from the CSPRNG; returns base64 `Encrypt`.
    Result<std::string> encrypt(std::string_view message, KeySlot slot = KeySlot::current) const;

    /// Same with caller-chosen random16 (exactly 16 bytes): reproducible vectors in tests.
    Result<std::string> encrypt_with_random(std::string_view message, std::string_view random16,
                                            KeySlot slot = KeySlot::current) const;

    const std::string& appid() const noexcept { return appid_; }
    bool has_previous_key() const noexcept { return keys_.size() > 1; }

  private:
    PushCipher(std::string appid, std::vector<std::string> keys)
        : appid_(std::move(appid)), keys_(std::move(keys)) {}
    Result<std::string> decrypt_with(const std::string& key, std::string_view ciphertext) const;

    std::string appid_;
    std::vector<std::string> keys_;  // 32-byte AES keys: [0] current, [1] previous if configured
};

/// Decodes an EncodingAESKey (43 chars) into the 32-byte AES key; Errc::bad_key otherwise.
Result<std::string> decode_encoding_aes_key(std::string_view encoding_aes_key);

}  // namespace yz::wechat
