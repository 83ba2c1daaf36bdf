// SPDX-License-Identifier: MIT
#include "plugin_signing.hpp"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <memory>
#include <stdexcept>

#include "crypto_util.hpp"

namespace yz::plugin_signing {

namespace {
using Pkey = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using Bio = std::unique_ptr<BIO, decltype(&BIO_free)>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;

std::optional<std::string> from_hex(const std::string& text) {
    if (text.size() % 2) return std::nullopt;
    auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    std::string out;
    for (size_t i = 0; i < text.size(); i += 2) {
        int hi = nibble(text[i]), lo = nibble(text[i + 1]);
        if (hi < 0 || lo < 0) return std::nullopt;
        out.push_back(static_cast<char>(hi * 16 + lo));
    }
    return out;
}

Pkey private_key(const std::string& pem) {
    Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
    Pkey key(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr, &EVP_PKEY_free);
    if (!key || EVP_PKEY_id(key.get()) != EVP_PKEY_ED25519) throw std::invalid_argument("not an Ed25519 private key in PEM");
    return key;
}

std::string raw_public(EVP_PKEY* key) {
    std::string raw(32, '\0');
    size_t len = raw.size();
    if (EVP_PKEY_get_raw_public_key(key, reinterpret_cast<unsigned char*>(raw.data()), &len) != 1 || len != 32)
        throw std::runtime_error("could not read the public key");
    return raw;
}
}  // namespace

KeyPair generate() {
    std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr), &EVP_PKEY_CTX_free);
    EVP_PKEY* made = nullptr;
    if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 || EVP_PKEY_keygen(ctx.get(), &made) != 1)
        throw std::runtime_error("Ed25519 key generation failed");
    Pkey key(made, &EVP_PKEY_free);
    Bio bio(BIO_new(BIO_s_mem()), &BIO_free);
    if (!bio || PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1)
        throw std::runtime_error("could not write the private key");
    char* data = nullptr;
    long n = BIO_get_mem_data(bio.get(), &data);
    return KeyPair{std::string(data, static_cast<size_t>(n)), crypto::hex(raw_public(key.get()))};
}

std::string public_hex_of(const std::string& private_pem) { return crypto::hex(raw_public(private_key(private_pem).get())); }

std::string sign(const std::string& file_bytes, const std::string& private_pem) {
    Pkey key = private_key(private_pem);
    std::string digest = crypto::sha256(file_bytes), sig(64, '\0');
    size_t len = sig.size();
    MdCtx md(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    // Ed25519 is one-shot: no message digest parameter, the whole message at once.
    if (!md || EVP_DigestSignInit(md.get(), nullptr, nullptr, nullptr, key.get()) != 1 ||
        EVP_DigestSign(md.get(), reinterpret_cast<unsigned char*>(sig.data()), &len,
                       reinterpret_cast<const unsigned char*>(digest.data()), digest.size()) != 1 || len != 64)
        throw std::runtime_error("signing failed");
    return crypto::hex(sig);
}

std::optional<std::string> verify(const std::string& file_bytes, const std::string& signature_hex,
                                  const std::vector<std::string>& trusted_hex) {
    auto sig = from_hex(signature_hex);
    if (!sig || sig->size() != 64) return std::nullopt;
    std::string digest = crypto::sha256(file_bytes);
    for (const auto& hex : trusted_hex) {
        auto raw = from_hex(hex);
        if (!raw || raw->size() != 32) continue;
        Pkey key(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(raw->data()), 32),
                 &EVP_PKEY_free);
        MdCtx md(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
        if (!key || !md || EVP_DigestVerifyInit(md.get(), nullptr, nullptr, nullptr, key.get()) != 1) continue;
        if (EVP_DigestVerify(md.get(), reinterpret_cast<const unsigned char*>(sig->data()), sig->size(),
                             reinterpret_cast<const unsigned char*>(digest.data()), digest.size()) == 1)
            return hex;
    }
    return std::nullopt;
}

bool valid_public_hex(const std::string& text) {
    auto raw = from_hex(text);
    return raw && raw->size() == 32;
}

}  // namespace yz::plugin_signing
