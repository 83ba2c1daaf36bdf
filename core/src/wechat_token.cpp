// SPDX-License-Identifier: MIT
// Shared access token: in-memory copy → database row → single refresher (see wechat_token.hpp).
#include "wechat_token.hpp"

#include <thread>

#include <yz/wechat/encoding.hpp>
#include <yz/wechat/sealed_box.hpp>

#include "crypto_util.hpp"
#include "log.hpp"

namespace yz {

namespace {
std::string token_aad(const std::string& appid) { return "access_token:" + appid; }
constexpr int kWaitRounds = 50;  // × 100 ms: how long a caller waits for another process's refresh
}  // namespace

AccessTokenCache::AccessTokenCache(Database& db, const time::Clock& clock, const wechat::Client& client,
                                   std::string data_key)
    : db_(db), clock_(clock), client_(client), data_key_(std::move(data_key)), appid_(client.options().appid),
      owner_(crypto::hex(crypto::random_bytes(8))) {}

bool AccessTokenCache::local_fresh(int64_t now, std::string& out) {
    std::lock_guard lock(local_mu_);
    if (local_token_.empty() || now >= local_expires_at_ - kStaleMarginMs || now - local_checked_at_ >= kLocalTtlMs ||
        now < local_checked_at_)
        return false;
    out = local_token_;
    return true;
}

void AccessTokenCache::set_local(const std::string& token, int64_t expires_at, int64_t now) {
    std::lock_guard lock(local_mu_);
    local_token_ = token;
    local_expires_at_ = expires_at;
    local_checked_at_ = now;
}

AccessTokenCache::Row AccessTokenCache::read_row(Conn& c) {
    Row r;
    auto q = c.prepare("SELECT token_enc, expires_at FROM core_wechat_tokens WHERE appid = ?1");
    q->bind(1, appid_);
    if (!q->executeStep() || q->getColumn(0).isNull()) return r;
    auto token = wechat::unseal(data_key_, q->getColumn(0).getString(), token_aad(appid_));
    if (!token) return r;  // sealed with another data key: refresh
    r.token = *token;
    r.expires_at = q->getColumn(1).getInt64();
    return r;
}

bool AccessTokenCache::claim(Conn& c, int64_t now) {
    return c.write_tx([&] {
        // Claimed only if nobody holds a live claim and the token is still stale (another process
        // may have refreshed it since we looked).
        auto up = c.prepare(
            "INSERT INTO core_wechat_tokens(appid, expires_at, claim_owner, claim_until, updated_at) "
            "VALUES (?1, 0, ?2, ?3, ?4) "
            "ON CONFLICT(appid) DO UPDATE SET claim_owner = excluded.claim_owner, claim_until = excluded.claim_until "
            "WHERE (core_wechat_tokens.claim_until IS NULL OR core_wechat_tokens.claim_until < ?4) "
            "AND core_wechat_tokens.expires_at - ?5 <= ?4");
        up->bind(1, appid_);
        up->bind(2, owner_);
        up->bind(3, now + kClaimLeaseMs);
        up->bind(4, now);
        up->bind(5, kStaleMarginMs);
        return up->exec() == 1;
    });
}

void AccessTokenCache::store(Conn& c, const std::string& token, int64_t expires_at, int64_t now) {
    auto sealed = wechat::seal(data_key_, token, token_aad(appid_));
    if (!sealed) throw std::runtime_error("sealing the access token failed");
    std::string hash = crypto::sha256(token);
    c.write_tx([&] {
        auto up = c.prepare(
            "UPDATE core_wechat_tokens SET token_enc = ?2, token_hash = ?3, expires_at = ?4, claim_owner = NULL, "
            "claim_until = NULL, updated_at = ?5 WHERE appid = ?1");
        up->bind(1, appid_);
        up->bind(2, sealed->data(), static_cast<int>(sealed->size()));
        up->bind(3, hash.data(), static_cast<int>(hash.size()));
        up->bind(4, expires_at);
        up->bind(5, now);
        up->exec();
    });
}

void AccessTokenCache::release(Conn& c) {
    c.write_tx([&] {
        auto up = c.prepare(
            "UPDATE core_wechat_tokens SET claim_owner = NULL, claim_until = NULL WHERE appid = ?1 AND claim_owner = ?2");
        up->bind(1, appid_);
        up->bind(2, owner_);
        up->exec();
    });
}

wechat::ApiResult<std::string> AccessTokenCache::get() {
    wechat::ApiResult<std::string> out;
    if (local_fresh(clock_.now_ms(), out.value)) return out;
    std::lock_guard single(refresh_mu_);
    Conn& c = db_.conn();
    auto core = c.enter_core();
    for (int round = 0; round < kWaitRounds; ++round) {
        int64_t now = clock_.now_ms();
        if (local_fresh(now, out.value)) return out;  // refreshed while we waited for the mutex
        Row row = read_row(c);
        if (!row.token.empty() && now < row.expires_at - kStaleMarginMs) {
            set_local(row.token, row.expires_at, now);
            out.value = row.token;
            return out;
        }
        if (claim(c, now)) {
            auto fresh = client_.stable_token();
            if (!fresh.ok()) {
                release(c);
                log::error("wechat_token_refresh_failed",
                           {{"errcode", fresh.status.errcode}, {"action", std::string(wechat::to_string(fresh.status.action))},
                            {"detail", fresh.status.detail}});
                // A stale token still works for its last 5 minutes: better than failing the call.
                if (!row.token.empty() && now < row.expires_at) {
                    out.value = row.token;
                    return out;
                }
                out.status = fresh.status;
                return out;
            }
            int64_t expires_at = now + fresh.value.expires_in * 1000;
            store(c, fresh.value.access_token, expires_at, now);
            set_local(fresh.value.access_token, expires_at, now);
            log::info("wechat_token_refreshed", {{"expires_in", fresh.value.expires_in}});
            out.value = fresh.value.access_token;
            return out;
        }
        // Another process is refreshing. Use the stale token while it is valid; else wait.
        if (!row.token.empty() && now < row.expires_at) {
            out.value = row.token;
            return out;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    out.status.failure = wechat::ApiStatus::Failure::transport;
    out.status.action = wechat::Action::unavailable;
    out.status.detail = "stable_token: waited too long for another process's refresh";
    return out;
}

void AccessTokenCache::invalidate(const std::string& failed) {
    {
        std::lock_guard lock(local_mu_);
        if (local_token_ == failed) local_token_.clear();
    }
    std::string hash = crypto::sha256(failed);
    Conn& c = db_.conn();
    auto core = c.enter_core();
    c.write_tx([&] {
        auto up = c.prepare(
            "UPDATE core_wechat_tokens SET token_enc = NULL, token_hash = NULL, expires_at = 0, updated_at = ?3 "
            "WHERE appid = ?1 AND token_hash = ?2");
        up->bind(1, appid_);
        up->bind(2, hash.data(), static_cast<int>(hash.size()));
        up->bind(3, clock_.now_ms());
        if (up->exec() == 1) log::warn("wechat_token_invalidated");
    });
}

}  // namespace yz
