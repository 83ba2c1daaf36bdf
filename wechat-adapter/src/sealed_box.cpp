// SPDX-License-Identifier: MIT
// AES-256-GCM seal/unseal over OpenSSL EVP.
#include <openssl/evp.h>

#include <memory>
#include <yz/wechat/encoding.hpp>
#include <yz/wechat/sealed_box.hpp>

namespace yz::wechat {
namespace {

constexpr unsigned char kVersion = 0x01;
constexpr std::size_t kNonceLen = 12;
constexpr std::size_t kTagLen = 16;

using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

const unsigned char* bytes(std::string_view s) {
    return reinterpret_cast<const unsigned char*>(s.data());
}
unsigned char* bytes(std::string& s) { return reinterpret_cast<unsigned char*>(s.data()); }

}  // namespace

Result<std::string> seal(std::string_view key, std::string_view plaintext, std::string_view aad) {
    if (key.size() != kSealedBoxKeySize)
        return fail(Errc::bad_key, "sealed box key must be 32 bytes");
    std::string out(1 + kNonceLen + plaintext.size() + kTagLen, '\0');
    out[0] = static_cast<char>(kVersion);
    if (!fill_random({bytes(out) + 1, kNonceLen})) return fail(Errc::crypto_failure, "RAND_bytes");

    CipherCtx ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
    int len = 0;
    unsigned char* ct = bytes(out) + 1 + kNonceLen;
    // EVP's default GCM IV length is 12, so no EVP_CTRL_GCM_SET_IVLEN is needed.
    bool good = ctx && EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, bytes(key),
                                          bytes(out) + 1) == 1;
    good = good && (aad.empty() || EVP_EncryptUpdate(ctx.get(), nullptr, &len, bytes(aad),
                                                     static_cast<int>(aad.size())) == 1);
    good = good && EVP_EncryptUpdate(ctx.get(), ct, &len, bytes(plaintext),
                                     static_cast<int>(plaintext.size())) == 1;
    good = good && EVP_EncryptFinal_ex(ctx.get(), ct + len, &len) == 1;
    good = good && EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagLen,
                                       ct + plaintext.size()) == 1;
    if (!good) return fail(Errc::crypto_failure, "AES-256-GCM encryption failed");
    return out;
}

Result<std::string> unseal(std::string_view key, std::string_view sealed, std::string_view aad) {
    if (key.size() != kSealedBoxKeySize)
        return fail(Errc::bad_key, "sealed box key must be 32 bytes");
    if (sealed.size() < kSealedBoxOverhead)
        return fail(Errc::bad_ciphertext, "sealed box too short");
    if (static_cast<unsigned char>(sealed[0]) != kVersion) {
        return fail(Errc::bad_ciphertext, "unknown sealed box version");
    }
    const std::string_view nonce = sealed.substr(1, kNonceLen);
    const std::string_view ct = sealed.substr(1 + kNonceLen, sealed.size() - kSealedBoxOverhead);
    std::string tag(sealed.substr(sealed.size() - kTagLen));
    std::string out(ct.size(), '\0');

    CipherCtx ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
    int len = 0;
    bool good = ctx && EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, bytes(key),
                                          bytes(nonce)) == 1;
    good = good && (aad.empty() || EVP_DecryptUpdate(ctx.get(), nullptr, &len, bytes(aad),
                                                     static_cast<int>(aad.size())) == 1);
    good = good && EVP_DecryptUpdate(ctx.get(), bytes(out), &len, bytes(ct),
                                     static_cast<int>(ct.size())) == 1;
    good = good && EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagLen, tag.data()) == 1;
    if (!good) return fail(Errc::crypto_failure, "AES-256-GCM decryption failed");
    // Final is where GCM compares the tag; nothing decrypted is returned unless it matches.
    if (EVP_DecryptFinal_ex(ctx.get(), bytes(out) + len, &len) != 1) {
        return fail(Errc::auth_failed, "sealed box tag mismatch");
    }
    return out;
}

}  // namespace yz::wechat
