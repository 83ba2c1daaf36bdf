// SPDX-License-Identifier: MIT
// Codes people read aloud, type in or carry in a QR code — a booking code at the station's desk, a
// certificate's verification code — drawn from the kernel's CSPRNG (getrandom) without modulo
// bias, from an alphabet without look-alikes (no 0/O, 1/I/L): about 4.95 bits per character, so
// 8 characters are about 40 bits and 12 about 59. Nobody can predict a code from codes they have
// seen, as they could with a seeded Mersenne Twister. Header-only; thread-safe.
//
//     std::string code = yz::random_code(8);                  // "K7PX3M9Q"
//     auto typed = yz::normalize_code("k7px-3m9q", 8);         // "K7PX3M9Q"
#pragma once

#include <sys/random.h>

#include <cerrno>
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace yz {
inline namespace v1 {

constexpr std::string_view kCodeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

// `length` characters of kCodeAlphabet. Throws std::runtime_error if the kernel gives no randomness.
inline std::string random_code(size_t length) {
    // Bytes at or above the largest multiple of the alphabet's size are drawn again, so every
    // character is equally likely.
    constexpr unsigned kUnbiasedLimit = 256 - 256 % kCodeAlphabet.size();
    std::string code;
    unsigned char bytes[32];
    while (code.size() < length) {
        size_t got = 0;
        while (got < sizeof bytes) {
            ssize_t n = ::getrandom(bytes + got, sizeof bytes - got, 0);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) throw std::runtime_error("getrandom failed");
            got += static_cast<size_t>(n);
        }
        for (unsigned char b : bytes) {
            if (b >= kUnbiasedLimit) continue;
            code.push_back(kCodeAlphabet[b % kCodeAlphabet.size()]);
            if (code.size() == length) break;
        }
    }
    return code;
}

// What someone typed, upper-cased with spaces and dashes dropped; nullopt unless it is `length`
// characters of kCodeAlphabet.
inline std::optional<std::string> normalize_code(std::string_view typed, size_t length) {
    std::string code;
    for (char c : typed) {
        if (c == ' ' || c == '-') continue;
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        if (kCodeAlphabet.find(c) == std::string_view::npos) return std::nullopt;
        code.push_back(c);
    }
    if (code.size() != length) return std::nullopt;
    return code;
}

}  // namespace v1
}  // namespace yz
