// SPDX-License-Identifier: MIT
// Inbound push endpoint logic (PROTOCOL.md §5), as one function the core can mount on
// `GET/POST /wechat/push` without this module knowing the HTTP server:
//
//     auto result = verifier.handle(req.method, req.params, req.body);
//     if (!result) { res.status = PushVerifier::http_status_for(result.code()); return; }
//     res.set_content(result->response_body, "text/plain");   // echostr or "success"
//     if (result->message) outbox.enqueue_once(result->message->dedupe_key(), ...);
//
// GET verifies `signature` and echoes `echostr` unchanged (§5.1). POST verifies according to the
// configured mode: plain checks `signature`; safe authenticates with `msg_signature` over Encrypt
// only (§5.2) and decrypts; compatible uses the encrypted copy when present. Then come the
// timestamp window (±max_clock_skew) and the replay cache, and the body is decoded (JSON or XML,
// detected from the first byte) into a PushMessage.
// Thread-safe: handle() may be called concurrently; the replay cache has its own lock.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <yz/wechat/nonce_cache.hpp>
#include <yz/wechat/push_cipher.hpp>
#include <yz/wechat/push_message.hpp>
#include <yz/wechat/result.hpp>

namespace yz::wechat {

/// The console's "message encryption mode" (§5).
enum class PushMode { plain, compatible, safe };

/// Same type as httplib::Params, so the core can pass `req.params` directly.
using QueryParams = std::multimap<std::string, std::string>;

struct PushConfig {
    std::string token;                      // the console's push Token
    std::string appid;                      // checked against the decrypted trailer
    std::string encoding_aes_key;           // required for safe/compatible mode
    std::string previous_encoding_aes_key;  // optional, during a key rotation (§5.3)
    PushMode mode = PushMode::safe;
    std::int64_t max_clock_skew_seconds = 300;
    std::size_t max_body_bytes = 64 * 1024;
    std::size_t replay_cache_capacity = 4096;
    std::function<std::int64_t()> now;  // unix seconds; empty = system clock (tests inject)
};

struct PushOutcome {
    enum class Kind { url_verification, message };
    Kind kind = Kind::message;
    std::string response_body;             // reply with HTTP 200 and this body
    std::optional<PushMessage> message;    // set for Kind::message
    std::string plaintext;                 // the (decrypted) push text, for audit or raw storage
    BodyFormat format = BodyFormat::json;  // format of `plaintext`
    bool encrypted = false;
    PushCipher::KeySlot key_slot = PushCipher::KeySlot::current;
    std::string nonce;  // echoed in an encrypted reply (§5.4)
};

class PushVerifier {
  public:
    /// Errc::missing_field if the token is empty, or the key is missing in safe/compatible mode;
    /// Errc::bad_key for a malformed EncodingAESKey.
    static Result<std::unique_ptr<PushVerifier>> create(PushConfig config);

    /// Verifies and decodes one push request. `method` is "GET" or "POST".
    /// Errors: bad_signature, stale_timestamp, replayed_nonce, body_too_large, missing_field (query
    /// parameter or Encrypt absent), bad_request (method, duplicate or malformed parameters), and
    /// the cipher/parser errors (bad_padding, wrong_appid, bad_xml, bad_json...).
    Result<PushOutcome> handle(std::string_view method, const QueryParams& query,
                               std::string_view body);

    /// Encrypted reply (§5.4) to a push handled by this verifier, with the key that decrypted it
    /// and the request's nonce. Normally unnecessary: we answer "success" and reply via §6.
    Result<std::string> encrypted_reply(const PushOutcome& to,
                                        std::string_view reply_plaintext) const;

    /// 401 for signature, timestamp and replay failures; 413 for body_too_large; 500 for
    /// crypto_failure; 400 otherwise.
    static int http_status_for(Errc code) noexcept;

  private:
    explicit PushVerifier(PushConfig config, std::optional<PushCipher> cipher);
    std::int64_t now() const;
    Result<PushOutcome> handle_get(const QueryParams& query);
    Result<PushOutcome> handle_post(const QueryParams& query, std::string_view body);
    std::optional<Error> check_freshness(std::string_view timestamp, std::string_view nonce);

    PushConfig config_;
    std::optional<PushCipher> cipher_;
    std::unique_ptr<NonceCache> nonces_;
};

}  // namespace yz::wechat
