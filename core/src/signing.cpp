// SPDX-License-Identifier: MIT
#include "signing.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <stdexcept>

#include "crypto_util.hpp"
#include "db.hpp"

namespace yz {

std::string SigningKeys::key_for(const std::string& station, int64_t now_ms) {
    {
        std::lock_guard lock(mu_);
        if (auto it = keys_.find(station); it != keys_.end()) return it->second;
    }
    // Not under mu_: this may wait for the write lock, and its holder may be signing too.
    Conn& c = db_.conn();
    auto core = c.enter_core();
    std::string key = c.write_tx([&] {
        // INSERT OR IGNORE then read: two processes making the first key agree on one.
        auto ins = c.prepare("INSERT OR IGNORE INTO core_signing_keys(station, key, created_at) VALUES (?1, ?2, ?3)");
        std::string fresh = crypto::random_bytes(32);
        ins->bind(1, station);
        ins->bind(2, fresh.data(), static_cast<int>(fresh.size()));
        ins->bind(3, static_cast<int64_t>(now_ms));
        ins->exec();
        auto q = c.prepare("SELECT key FROM core_signing_keys WHERE station = ?1");
        q->bind(1, station);
        if (!q->executeStep()) throw std::runtime_error("signing key vanished");
        auto col = q->getColumn(0);
        return std::string(static_cast<const char*>(col.getBlob()), static_cast<size_t>(col.getBytes()));
    });
    std::lock_guard lock(mu_);
    keys_.emplace(station, key);
    return key;
}

std::string SigningKeys::sign(const std::string& station, std::string_view purpose, std::string_view payload, int64_t now_ms) {
    std::string key = key_for(station, now_ms);
    // Length-prefixed purpose: ("ab", "c") and ("a", "bc") sign differently.
    std::string message = std::to_string(purpose.size()) + ":" + std::string(purpose) + std::string(payload);
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(message.data()),
              message.size(), mac, &len))
        throw std::runtime_error("HMAC-SHA256 failed");
    return crypto::base64url(std::string_view(reinterpret_cast<const char*>(mac), len));
}

}  // namespace yz
