// SPDX-License-Identifier: MIT
// SHA-1/SHA-256 digests (EVP_Digest), HMAC-SHA256 (EVP_Q_mac) and the WeChat signature rules built
// on them.
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <stdexcept>
#include <vector>
#include <yz/wechat/encoding.hpp>
#include <yz/wechat/signature.hpp>

namespace yz::wechat {
namespace {

std::string digest_hex(const EVP_MD* md, std::string_view data) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
    unsigned int len = 0;
    if (EVP_Digest(data.data(), data.size(), out.data(), &len, md, nullptr) != 1) {
        // Only reachable on allocation failure inside OpenSSL; a wrong digest would be worse.
        throw std::runtime_error("EVP_Digest failed");
    }
    return to_hex({reinterpret_cast<const char*>(out.data()), len});
}

std::string sorted_join(std::vector<std::string_view> parts) {
    std::sort(parts.begin(), parts.end());
    std::string joined;
    for (auto p : parts) joined.append(p);
    return joined;
}

}  // namespace

bool constant_time_equal(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    if (a.empty()) return true;
    return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string sha1_hex(std::string_view data) { return digest_hex(EVP_sha1(), data); }

std::string sha256_hex(std::string_view data) { return digest_hex(EVP_sha256(), data); }

std::string push_signature(std::string_view token, std::string_view timestamp,
                           std::string_view nonce) {
    return sha1_hex(sorted_join({token, timestamp, nonce}));
}

std::string push_msg_signature(std::string_view token, std::string_view timestamp,
                               std::string_view nonce, std::string_view encrypt) {
    return sha1_hex(sorted_join({token, timestamp, nonce, encrypt}));
}

std::string login_state_signature(std::string_view session_key_text, std::string_view body) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
    std::size_t len = 0;
    // EVP_Q_mac reads the key through a non-null pointer even when empty.
    static constexpr unsigned char kEmpty = 0;
    const auto* key = session_key_text.empty()
                          ? &kEmpty
                          : reinterpret_cast<const unsigned char*>(session_key_text.data());
    const auto* msg = body.empty() ? &kEmpty : reinterpret_cast<const unsigned char*>(body.data());
    if (EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, key, session_key_text.size(), msg,
                  body.size(), out.data(), out.size(), &len) == nullptr) {
        throw std::runtime_error("EVP_Q_mac(HMAC-SHA256) failed");
    }
    return to_hex({reinterpret_cast<const char*>(out.data()), len});
}

std::string raw_data_signature(std::string_view raw_data, std::string_view session_key_text) {
    std::string joined(raw_data);
    joined.append(session_key_text);
    return sha1_hex(joined);
}

bool verify_raw_data_signature(std::string_view raw_data, std::string_view session_key_text,
                               std::string_view signature) {
    std::string lowered(signature);
    std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return constant_time_equal(raw_data_signature(raw_data, session_key_text), lowered);
}

}  // namespace yz::wechat
