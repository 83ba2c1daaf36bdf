// SPDX-License-Identifier: MIT
// Push verification: signature or msg_signature per mode, freshness, replay, decryption, decoding.
#include <charconv>
#include <chrono>
#include <yz/wechat/push_reply.hpp>
#include <yz/wechat/push_verifier.hpp>
#include <yz/wechat/signature.hpp>

#include "json_fields.hpp"
#include "push_body.hpp"

namespace yz::wechat {
namespace {

/// The single value of a query parameter. A duplicated parameter is refused rather than guessed:
/// which copy the signature covered would be ambiguous.
Result<std::string> query_param(const QueryParams& query, const std::string& name) {
    const auto [first, last] = query.equal_range(name);
    if (first == last) return fail(Errc::missing_field, "query parameter '" + name + "' missing");
    if (std::next(first) != last) return fail(Errc::bad_request, "duplicate '" + name + "'");
    return first->second;
}

bool has_param(const QueryParams& query, const std::string& name) {
    return query.find(name) != query.end();
}

}  // namespace

Result<std::unique_ptr<PushVerifier>> PushVerifier::create(PushConfig config) {
    if (config.token.empty()) return fail(Errc::missing_field, "push Token is not configured");
    std::optional<PushCipher> cipher;
    if (!config.encoding_aes_key.empty()) {
        auto c = PushCipher::create(config.appid, config.encoding_aes_key,
                                    config.previous_encoding_aes_key);
        if (!c) return c.error();
        cipher.emplace(std::move(c).value());
    } else if (config.mode != PushMode::plain) {
        return fail(Errc::missing_field, "EncodingAESKey is required in safe/compatible mode");
    }
    return std::unique_ptr<PushVerifier>(new PushVerifier(std::move(config), std::move(cipher)));
}

PushVerifier::PushVerifier(PushConfig config, std::optional<PushCipher> cipher)
    : config_(std::move(config)), cipher_(std::move(cipher)) {
    // A (timestamp, nonce) older than the skew window is refused by the timestamp check anyway,
    // so remembering it for twice the window covers both directions of clock skew.
    nonces_ = std::make_unique<NonceCache>(config_.replay_cache_capacity,
                                           2 * config_.max_clock_skew_seconds);
}

std::int64_t PushVerifier::now() const {
    if (config_.now) return config_.now();
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

int PushVerifier::http_status_for(Errc code) noexcept {
    switch (code) {
        case Errc::bad_signature:
        case Errc::stale_timestamp:
        case Errc::replayed_nonce:
            return 401;
        case Errc::body_too_large:
            return 413;
        case Errc::crypto_failure:
            return 500;
        default:
            return 400;
    }
}

std::optional<Error> PushVerifier::check_freshness(std::string_view timestamp,
                                                   std::string_view nonce) {
    std::int64_t ts = 0;
    const auto [p, ec] = std::from_chars(timestamp.data(), timestamp.data() + timestamp.size(), ts);
    if (ec != std::errc() || p != timestamp.data() + timestamp.size() || timestamp.empty()) {
        return fail(Errc::bad_request, "timestamp is not an integer");
    }
    const std::int64_t t = now();
    if (ts < t - config_.max_clock_skew_seconds || ts > t + config_.max_clock_skew_seconds) {
        return fail(Errc::stale_timestamp, "timestamp outside the accepted window");
    }
    std::string key(timestamp);
    key.push_back(':');
    key.append(nonce);
    if (!nonces_->remember(key, t)) return fail(Errc::replayed_nonce, "nonce already seen");
    return std::nullopt;
}

Result<PushOutcome> PushVerifier::handle(std::string_view method, const QueryParams& query,
                                         std::string_view body) {
    if (method == "GET") return handle_get(query);
    if (method == "POST") return handle_post(query, body);
    return fail(Errc::bad_request, "method must be GET or POST");
}

Result<PushOutcome> PushVerifier::handle_get(const QueryParams& query) {
    auto signature = query_param(query, "signature");
    auto timestamp = query_param(query, "timestamp");
    auto nonce = query_param(query, "nonce");
    auto echostr = query_param(query, "echostr");
    for (const auto* r : {&signature, &timestamp, &nonce, &echostr}) {
        if (!*r) return r->error();
    }
    if (!constant_time_equal(push_signature(config_.token, *timestamp, *nonce), *signature)) {
        return fail(Errc::bad_signature, "URL verification signature mismatch");
    }
    if (auto err = check_freshness(*timestamp, *nonce)) return *err;
    PushOutcome out;
    out.kind = PushOutcome::Kind::url_verification;
    out.response_body = *echostr;  // unchanged, not decrypted, for mini-programs (§5.1)
    out.nonce = *nonce;
    return out;
}

Result<PushOutcome> PushVerifier::handle_post(const QueryParams& query, std::string_view body) {
    if (body.size() > config_.max_body_bytes) {
        return fail(Errc::body_too_large,
                    "push body exceeds " + std::to_string(config_.max_body_bytes));
    }
    auto timestamp = query_param(query, "timestamp");
    auto nonce = query_param(query, "nonce");
    if (!timestamp) return timestamp.error();
    if (!nonce) return nonce.error();

    const auto format = detect_body_format(body);
    if (!format) return fail(Errc::bad_request, "body is neither JSON nor XML");
    XmlLimits limits;
    limits.max_bytes = config_.max_body_bytes;
    auto outer = detail::parse_push_body(body, *format, limits);
    if (!outer) return outer.error();

    const bool has_encrypt = outer->contains("Encrypt");
    const bool use_cipher =
        config_.mode == PushMode::safe || (config_.mode == PushMode::compatible && has_encrypt);
    PushOutcome out;
    out.nonce = *nonce;
    out.format = *format;

    if (use_cipher) {
        if (has_param(query, "encrypt_type")) {
            auto type = query_param(query, "encrypt_type");
            if (!type) return type.error();
            if (*type != "aes") return fail(Errc::bad_request, "encrypt_type must be aes");
        }
        auto msg_signature = query_param(query, "msg_signature");
        if (!msg_signature) return msg_signature.error();
        const std::string encrypt = detail::string_field(*outer, "Encrypt");
        if (encrypt.empty()) return fail(Errc::missing_field, "body has no Encrypt");
        // Safe mode authenticates the ciphertext with msg_signature only; `signature` (which
        // covers no body) is deliberately not consulted (§5.2).
        const auto expected = push_msg_signature(config_.token, *timestamp, *nonce, encrypt);
        if (!constant_time_equal(expected, *msg_signature)) {
            return fail(Errc::bad_signature, "msg_signature mismatch");
        }
        if (auto err = check_freshness(*timestamp, *nonce)) return *err;
        auto decrypted = cipher_->decrypt(encrypt);
        if (!decrypted) return decrypted.error();
        out.encrypted = true;
        out.key_slot = decrypted->key_slot;
        out.plaintext = std::move(decrypted->message);
        const auto inner_format = detect_body_format(out.plaintext);
        if (!inner_format) return fail(Errc::bad_request, "decrypted push is neither JSON nor XML");
        out.format = *inner_format;
    } else {
        auto signature = query_param(query, "signature");
        if (!signature) return signature.error();
        if (!constant_time_equal(push_signature(config_.token, *timestamp, *nonce), *signature)) {
            return fail(Errc::bad_signature, "signature mismatch");
        }
        if (auto err = check_freshness(*timestamp, *nonce)) return *err;
        out.plaintext = std::string(body);
    }

    auto inner = out.encrypted ? detail::parse_push_body(out.plaintext, out.format, limits)
                               : std::move(outer);
    if (!inner) return inner.error();
    auto message = detail::decode_push_object(*inner);
    if (!message) return message.error();
    out.message = std::move(message).value();
    out.response_body = "success";
    return out;
}

Result<std::string> PushVerifier::encrypted_reply(const PushOutcome& to,
                                                  std::string_view reply_plaintext) const {
    if (!cipher_) return fail(Errc::missing_field, "no EncodingAESKey configured");
    return build_encrypted_reply(*cipher_, to.key_slot, config_.token, reply_plaintext, to.nonce,
                                 now(), to.format);
}

}  // namespace yz::wechat
