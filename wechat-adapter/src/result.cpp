// SPDX-License-Identifier: MIT
// Names of the adapter's error codes; kept next to nothing else so the switch stays exhaustive.
#include <yz/wechat/result.hpp>

namespace yz::wechat {

std::string_view to_string(Errc code) noexcept {
    switch (code) {
        case Errc::bad_encoding:
            return "bad_encoding";
        case Errc::bad_key:
            return "bad_key";
        case Errc::bad_ciphertext:
            return "bad_ciphertext";
        case Errc::bad_padding:
            return "bad_padding";
        case Errc::bad_layout:
            return "bad_layout";
        case Errc::wrong_appid:
            return "wrong_appid";
        case Errc::auth_failed:
            return "auth_failed";
        case Errc::bad_signature:
            return "bad_signature";
        case Errc::stale_timestamp:
            return "stale_timestamp";
        case Errc::replayed_nonce:
            return "replayed_nonce";
        case Errc::body_too_large:
            return "body_too_large";
        case Errc::bad_xml:
            return "bad_xml";
        case Errc::bad_json:
            return "bad_json";
        case Errc::missing_field:
            return "missing_field";
        case Errc::bad_request:
            return "bad_request";
        case Errc::crypto_failure:
            return "crypto_failure";
    }
    return "unknown";
}

}  // namespace yz::wechat
