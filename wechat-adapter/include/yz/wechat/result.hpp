// SPDX-License-Identifier: MIT
// The adapter's error vocabulary: Errc names every expected refusal (bad signature, bad padding,
// stale timestamp...), Error adds a human detail for logs, and Result<T> carries either a value or
// an Error. Expected failures are return values, never exceptions (STYLE.md §6.5). Details never
// contain secrets or plaintext, so they are safe to log.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace yz::wechat {

enum class Errc {
    bad_encoding,     // base64, hex or UTF-8 that does not decode strictly
    bad_key,          // a key of the wrong length (EncodingAESKey, session_key, at-rest key)
    bad_ciphertext,   // truncated, or not a multiple of the block size
    bad_padding,      // PKCS#7 pad value out of range or pad bytes not all equal
    bad_layout,       // decrypted push plaintext whose msg_len does not fit
    wrong_appid,      // the appid trailer / watermark names another mini-program
    auth_failed,      // AES-GCM tag mismatch: tampered or wrong key
    bad_signature,    // signature / msg_signature missing or not equal
    stale_timestamp,  // push timestamp outside the accepted window
    replayed_nonce,   // push (timestamp, nonce) already seen
    body_too_large,   // push body above the configured limit
    bad_xml,          // XML refused by the strict reader (DOCTYPE, depth, syntax...)
    bad_json,         // JSON that does not parse or has the wrong shape
    missing_field,    // a required field or query parameter is absent
    bad_request,      // anything else wrong with an inbound request (method, mode)
    crypto_failure,   // OpenSSL itself failed (out of memory, RNG failure)
};

/// Stable snake_case name of an error code, for logs and metrics.
std::string_view to_string(Errc code) noexcept;

struct Error {
    Errc code;
    std::string detail;  // safe to log: never contains keys, tokens or decrypted content
};

/// Either a T or an Error. Accessing the wrong alternative throws std::bad_variant_access, which is
/// a programming error, not an expected failure.
template <class T>
class Result {
  public:
    Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
    Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}

    bool ok() const noexcept { return v_.index() == 0; }
    explicit operator bool() const noexcept { return ok(); }

    T& value() & { return std::get<0>(v_); }
    const T& value() const& { return std::get<0>(v_); }
    T&& value() && { return std::get<0>(std::move(v_)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    const Error& error() const { return std::get<1>(v_); }
    Errc code() const { return error().code; }

  private:
    std::variant<T, Error> v_;
};

/// Shorthand used by every module: `return fail(Errc::bad_padding, "pad byte 0x21");`
inline Error fail(Errc code, std::string detail = {}) { return Error{code, std::move(detail)}; }

}  // namespace yz::wechat
