// SPDX-License-Identifier: MIT
// The WeChat access token, shared by every worker and process through one database row per appid
// (PROTOCOL §2.3). The token is treated as stale at expires_at − 300 s (stable_token keeps the old
// token valid for those 5 minutes) and refreshed by exactly one caller at a time: a mutex makes it
// single-flight within the process, and a row claim (claim_owner/claim_until, a lease) does the same
// across processes; a caller that loses the claim keeps using the stale-but-valid token, or waits
// for the winner when there is none. On 40001/40014/42001 only the token that failed is removed
// (compare-and-delete, so a slow caller never throws away a token someone just refreshed), and the
// call is retried once — never twice.
// The token is sealed at rest with the data key and never logged.
// Thread-safe: every member may be called concurrently.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>

#include <yz/wechat/client.hpp>

#include "db.hpp"
#include "time_util.hpp"

namespace yz {

class AccessTokenCache {
public:
    static constexpr int64_t kStaleMarginMs = 300'000;  // refresh 5 minutes before expiry
    static constexpr int64_t kLocalTtlMs = 60'000;      // trust the in-memory copy this long
    static constexpr int64_t kClaimLeaseMs = 15'000;    // a refresher that died frees the claim

    AccessTokenCache(Database& db, const time::Clock& clock, const wechat::Client& client, std::string data_key);

    // A valid token, refreshing it if stale. On failure the status says why (token endpoint
    // errcode, transport...); value is empty.
    wechat::ApiResult<std::string> get();
    // Forgets `failed` if it is still the cached token; a newer token is left alone.
    void invalidate(const std::string& failed);

    // Runs call(token); on a token error, invalidates that token, gets a fresh one and retries once.
    template <class Call>
    auto with_token(Call&& call) -> decltype(call(std::string())) {
        using R = decltype(call(std::string()));
        for (int attempt = 0;; ++attempt) {
            auto token = get();
            if (!token.ok()) return R{token.status, {}};
            R r = call(token.value);
            if (r.status.action != wechat::Action::token_invalid || attempt == 1) return r;
            invalidate(token.value);
        }
    }

private:
    struct Row {
        std::string token;
        int64_t expires_at = 0;
    };
    Row read_row(Conn& c);
    bool claim(Conn& c, int64_t now);
    void store(Conn& c, const std::string& token, int64_t expires_at, int64_t now);
    void release(Conn& c);
    bool local_fresh(int64_t now, std::string& out);
    void set_local(const std::string& token, int64_t expires_at, int64_t now);

    Database& db_;
    const time::Clock& clock_;
    const wechat::Client& client_;
    std::string data_key_;
    std::string appid_;
    std::string owner_;  // this cache's claim id

    std::mutex refresh_mu_;  // single flight within the process
    std::mutex local_mu_;
    std::string local_token_;
    int64_t local_expires_at_ = 0;
    int64_t local_checked_at_ = 0;
};

}  // namespace yz
