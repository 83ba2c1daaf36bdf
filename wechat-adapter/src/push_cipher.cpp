// SPDX-License-Identifier: MIT
// AES-256-CBC push encryption with the 32-byte PKCS#7 block and the random16/len/msg/appid layout.
#include <openssl/evp.h>

#include <cstdint>
#include <optional>
#include <yz/wechat/encoding.hpp>
#include <yz/wechat/push_cipher.hpp>

#include "evp_cipher.hpp"

namespace yz::wechat {
namespace {

constexpr std::size_t kPadBlock = 32;  // §5.3: K = 32, not AES's 16
constexpr std::size_t kRandomLen = 16;
constexpr std::size_t kHeaderLen = kRandomLen + 4;

bool is_alnum(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

}  // namespace

Result<std::string> decode_encoding_aes_key(std::string_view encoding_aes_key) {
    if (encoding_aes_key.size() != 43)
        return fail(Errc::bad_key, "EncodingAESKey must be 43 chars");
    for (char c : encoding_aes_key) {
        if (!is_alnum(c)) return fail(Errc::bad_key, "EncodingAESKey must be [A-Za-z0-9]");
    }
    // Not base64_decode(): the console's 43 random characters need not be canonical base64 (the
    // last one may carry non-zero unused bits), and WeChat itself decodes leniently.
    std::string padded(encoding_aes_key);
    padded.push_back('=');
    std::string out(33, '\0');
    const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(padded.data()),
                                  static_cast<int>(padded.size()));
    if (n != 33) return fail(Errc::bad_key, "EncodingAESKey does not decode");
    out.resize(32);
    return out;
}

Result<PushCipher> PushCipher::create(std::string appid, std::string_view encoding_aes_key,
                                      std::string_view previous_encoding_aes_key) {
    if (appid.empty()) return fail(Errc::missing_field, "push cipher needs the appid");
    std::vector<std::string> keys;
    auto current = decode_encoding_aes_key(encoding_aes_key);
    if (!current) return current.error();
    keys.push_back(std::move(current).value());
    if (!previous_encoding_aes_key.empty()) {
        auto previous = decode_encoding_aes_key(previous_encoding_aes_key);
        if (!previous) return fail(Errc::bad_key, "previous " + previous.error().detail);
        keys.push_back(std::move(previous).value());
    }
    return PushCipher(std::move(appid), std::move(keys));
}

Result<std::string> PushCipher::decrypt_with(const std::string& key,
                                             std::string_view ciphertext) const {
    const std::string_view iv(key.data(), 16);
    auto padded = detail::aes_cbc_nopad(detail::CbcDirection::decrypt, key, iv, ciphertext);
    if (!padded) return padded.error();
    auto plain = detail::pkcs7_unpad(std::move(padded).value(), kPadBlock);
    if (!plain) return plain.error();
    const std::string& p = *plain;
    if (p.size() < kHeaderLen + appid_.size()) return fail(Errc::bad_layout, "plaintext too short");
    const auto* len_bytes = reinterpret_cast<const unsigned char*>(p.data() + kRandomLen);
    const std::uint32_t msg_len = (std::uint32_t{len_bytes[0]} << 24) |
                                  (std::uint32_t{len_bytes[1]} << 16) |
                                  (std::uint32_t{len_bytes[2]} << 8) | std::uint32_t{len_bytes[3]};
    if (msg_len > p.size() - kHeaderLen - appid_.size()) {
        return fail(Errc::bad_layout, "msg_len exceeds the plaintext");
    }
    // The trailer must be exactly our appid: a longer trailer would mean msg_len is lying.
    const std::string_view trailer(p.data() + kHeaderLen + msg_len,
                                   p.size() - kHeaderLen - msg_len);
    if (trailer != appid_) return fail(Errc::wrong_appid, "appid trailer does not match");
    return p.substr(kHeaderLen, msg_len);
}

Result<PushCipher::Decrypted> PushCipher::decrypt(std::string_view encrypt_base64) const {
    auto ciphertext = base64_decode(encrypt_base64);
    if (!ciphertext) return ciphertext.error();
    if (ciphertext->empty() || ciphertext->size() % 16 != 0) {
        return fail(Errc::bad_ciphertext, "ciphertext length is not a positive multiple of 16");
    }
    std::optional<Error> first_error;
    for (std::size_t i = 0; i < keys_.size(); ++i) {
        auto plain = decrypt_with(keys_[i], *ciphertext);
        if (plain) return Decrypted{std::move(plain).value(), static_cast<KeySlot>(i)};
        if (!first_error) first_error = plain.error();
    }
    return *first_error;
}

Result<std::string> PushCipher::encrypt(std::string_view message, KeySlot slot) const {
    std::string random16(kRandomLen, '\0');
    if (!fill_random({reinterpret_cast<unsigned char*>(random16.data()), random16.size()})) {
        return fail(Errc::crypto_failure, "RAND_bytes failed");
    }
    return encrypt_with_random(message, random16, slot);
}

Result<std::string> PushCipher::encrypt_with_random(std::string_view message,
                                                    std::string_view random16, KeySlot slot) const {
    if (random16.size() != kRandomLen) return fail(Errc::bad_request, "random16 must be 16 bytes");
    const auto index = static_cast<std::size_t>(slot);
    if (index >= keys_.size()) return fail(Errc::bad_key, "no previous key configured");
    if (message.size() > 0xffffffffu) return fail(Errc::bad_request, "message too long");
    const auto len = static_cast<std::uint32_t>(message.size());
    std::string plain;
    plain.reserve(kHeaderLen + message.size() + appid_.size() + kPadBlock);
    plain.append(random16);
    plain.push_back(static_cast<char>((len >> 24) & 0xff));
    plain.push_back(static_cast<char>((len >> 16) & 0xff));
    plain.push_back(static_cast<char>((len >> 8) & 0xff));
    plain.push_back(static_cast<char>(len & 0xff));
    plain.append(message);
    plain.append(appid_);
    const std::string& key = keys_[index];
    auto cipher =
        detail::aes_cbc_nopad(detail::CbcDirection::encrypt, key, std::string_view(key.data(), 16),
                              detail::pkcs7_pad(std::move(plain), kPadBlock));
    if (!cipher) return cipher.error();
    return base64_encode(*cipher);
}

}  // namespace yz::wechat
