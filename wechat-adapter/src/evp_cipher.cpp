// SPDX-License-Identifier: MIT
// AES-CBC (no OpenSSL padding) and explicit PKCS#7 padding with a caller-chosen block size.
#include "evp_cipher.hpp"

#include <openssl/evp.h>

#include <memory>

namespace yz::wechat::detail {
namespace {

using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

const unsigned char* bytes(std::string_view s) {
    return reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace

Result<std::string> aes_cbc_nopad(CbcDirection direction, std::string_view key, std::string_view iv,
                                  std::string_view data) {
    const EVP_CIPHER* cipher = nullptr;
    if (key.size() == 16) cipher = EVP_aes_128_cbc();
    if (key.size() == 32) cipher = EVP_aes_256_cbc();
    if (cipher == nullptr) return fail(Errc::bad_key, "AES key must be 16 or 32 bytes");
    if (iv.size() != 16) return fail(Errc::bad_key, "AES-CBC IV must be 16 bytes");
    if (data.empty() || data.size() % 16 != 0) {
        return fail(Errc::bad_ciphertext, "AES-CBC input is empty or not a multiple of 16 bytes");
    }

    CipherCtx ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
    if (!ctx) return fail(Errc::crypto_failure, "EVP_CIPHER_CTX_new failed");
    const int enc = direction == CbcDirection::encrypt ? 1 : 0;
    if (EVP_CipherInit_ex(ctx.get(), cipher, nullptr, bytes(key), bytes(iv), enc) != 1 ||
        EVP_CIPHER_CTX_set_padding(ctx.get(), 0) != 1) {
        return fail(Errc::crypto_failure, "EVP_CipherInit_ex failed");
    }
    std::string out(data.size(), '\0');
    int len1 = 0;
    int len2 = 0;
    auto* out_bytes = reinterpret_cast<unsigned char*>(out.data());
    if (EVP_CipherUpdate(ctx.get(), out_bytes, &len1, bytes(data), static_cast<int>(data.size())) !=
            1 ||
        EVP_CipherFinal_ex(ctx.get(), out_bytes + len1, &len2) != 1) {
        return fail(Errc::crypto_failure, "EVP_Cipher failed");
    }
    out.resize(static_cast<std::size_t>(len1 + len2));
    return out;
}

std::string pkcs7_pad(std::string data, std::size_t block) {
    const std::size_t n = block - (data.size() % block);  // 1..block, never 0
    data.append(n, static_cast<char>(n));
    return data;
}

Result<std::string> pkcs7_unpad(std::string data, std::size_t block) {
    if (data.empty() || data.size() % block != 0) {
        return fail(Errc::bad_padding, "padded length is not a multiple of the block");
    }
    const auto n = static_cast<unsigned char>(data.back());
    if (n < 1 || n > block) return fail(Errc::bad_padding, "pad value out of range");
    // Compare every pad byte without an early exit; the decision is taken once at the end.
    unsigned char diff = 0;
    for (std::size_t i = data.size() - n; i < data.size(); ++i) {
        diff |= static_cast<unsigned char>(static_cast<unsigned char>(data[i]) ^ n);
    }
    if (diff != 0) return fail(Errc::bad_padding, "pad bytes differ");
    data.resize(data.size() - n);
    return data;
}

}  // namespace yz::wechat::detail
