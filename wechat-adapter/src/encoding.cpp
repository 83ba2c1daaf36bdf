// SPDX-License-Identifier: MIT
// Hex, strict base64 over OpenSSL's EVP_EncodeBlock/EVP_DecodeBlock, and CSPRNG helpers.
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <stdexcept>
#include <yz/wechat/encoding.hpp>

namespace yz::wechat {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool is_base64_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

bool is_base64_char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
           c == '/';
}

}  // namespace

std::string to_hex(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size() * 2);
    for (unsigned char b : bytes) {
        out.push_back(kHexDigits[b >> 4]);
        out.push_back(kHexDigits[b & 0x0f]);
    }
    return out;
}

Result<std::string> from_hex(std::string_view hex) {
    if (hex.size() % 2 != 0) return fail(Errc::bad_encoding, "hex: odd length");
    std::string out;
    out.reserve(hex.size() / 2);
    for (std::size_t i = 0; i < hex.size(); i += 2) {
        const int hi = hex_value(hex[i]);
        const int lo = hex_value(hex[i + 1]);
        if (hi < 0 || lo < 0) return fail(Errc::bad_encoding, "hex: invalid character");
        out.push_back(static_cast<char>((hi << 4) | lo));
    }
    return out;
}

std::string base64_encode(std::string_view bytes) {
    if (bytes.empty()) return {};
    // EVP_EncodeBlock writes 4 chars per started 3-byte group plus a terminating NUL.
    std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(bytes.data()),
                                  static_cast<int>(bytes.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

Result<std::string> base64_decode(std::string_view text) {
    std::string clean;
    clean.reserve(text.size());
    for (char c : text) {
        if (!is_base64_space(c)) clean.push_back(c);
    }
    if (clean.empty()) return std::string{};
    if (clean.size() % 4 != 0)
        return fail(Errc::bad_encoding, "base64: length not a multiple of 4");

    std::size_t pad = 0;
    if (clean.back() == '=') pad = clean[clean.size() - 2] == '=' ? 2 : 1;
    for (std::size_t i = 0; i < clean.size() - pad; ++i) {
        if (!is_base64_char(clean[i])) return fail(Errc::bad_encoding, "base64: invalid character");
    }

    // EVP_DecodeBlock ignores padding semantics: it returns 3 bytes per quad, counting the bytes
    // that '=' stands for as zeros. Strip those ourselves.
    std::string out(clean.size() / 4 * 3, '\0');
    const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(clean.data()),
                                  static_cast<int>(clean.size()));
    if (n < 0 || static_cast<std::size_t>(n) != out.size()) {
        return fail(Errc::bad_encoding, "base64: decoder refused input");
    }
    out.resize(out.size() - pad);

    // Canonical form only: "QR==" and "QQ==" must not both decode to "A". Re-encoding is the
    // simplest complete check for non-zero unused bits.
    if (base64_encode(out) != clean) return fail(Errc::bad_encoding, "base64: not canonical");
    return out;
}

bool fill_random(std::span<unsigned char> out) noexcept {
    if (out.empty()) return true;
    return RAND_bytes(out.data(), static_cast<int>(out.size())) == 1;
}

std::string random_bytes(std::size_t n) {
    std::string out(n, '\0');
    if (!fill_random({reinterpret_cast<unsigned char*>(out.data()), n})) {
        throw std::runtime_error("RAND_bytes failed");
    }
    return out;
}

std::string random_alnum(std::size_t n) {
    static constexpr char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    constexpr unsigned kSize = sizeof(kAlphabet) - 1;  // 62
    constexpr unsigned kLimit = 256 - (256 % kSize);   // reject bytes >= 248 to avoid bias
    std::string out;
    out.reserve(n);
    while (out.size() < n) {
        const std::string batch = random_bytes(n - out.size() + 8);
        for (unsigned char b : batch) {
            if (b < kLimit && out.size() < n) out.push_back(kAlphabet[b % kSize]);
        }
    }
    return out;
}

}  // namespace yz::wechat
