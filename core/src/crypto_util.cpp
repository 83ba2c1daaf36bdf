// SPDX-License-Identifier: MIT
#include "crypto_util.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <stdexcept>

namespace yz::crypto {

std::string random_bytes(size_t n) {
    std::string out(n, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1)
        throw std::runtime_error("RAND_bytes failed");
    return out;
}

std::string base64url(std::string_view bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
    int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                            reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
    out.resize(static_cast<size_t>(n));
    while (!out.empty() && out.back() == '=') out.pop_back();
    for (char& c : out) c = c == '+' ? '-' : c == '/' ? '_' : c;
    return out;
}

std::string hex(std::string_view bytes) {
    static const char* digits = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (unsigned char c : bytes) {
        out.push_back(digits[c >> 4]);
        out.push_back(digits[c & 15]);
    }
    return out;
}

std::string sha256(std::string_view data) {
    // Fetch the implementation once: an implicit fetch per call takes OpenSSL's global locks.
    static EVP_MD* sha = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    // One context per thread, reused: every authenticated request hashes its token.
    struct Ctx {
        EVP_MD_CTX* p = EVP_MD_CTX_new();
        ~Ctx() { EVP_MD_CTX_free(p); }
    };
    thread_local Ctx ctx;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (!sha || !ctx.p || EVP_DigestInit_ex2(ctx.p, sha, nullptr) != 1 || EVP_DigestUpdate(ctx.p, data.data(), data.size()) != 1 ||
        EVP_DigestFinal_ex(ctx.p, md, &len) != 1)
        throw std::runtime_error("SHA-256 failed");
    return std::string(reinterpret_cast<char*>(md), len);
}

std::string new_token() { return base64url(random_bytes(32)); }

}  // namespace yz::crypto
