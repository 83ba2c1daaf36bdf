// SPDX-License-Identifier: MIT
// AES-128-CBC open-data decryption with strict unpadding and the watermark.appid check.
#include <nlohmann/json.hpp>
#include <yz/wechat/encoding.hpp>
#include <yz/wechat/user_data.hpp>

#include "evp_cipher.hpp"
#include "json_fields.hpp"

namespace yz::wechat {

Result<UserData> decrypt_user_data(std::string_view appid, std::string_view session_key,
                                   std::string_view encrypted_data, std::string_view iv) {
    auto key = base64_decode(session_key);
    if (!key) return fail(Errc::bad_encoding, "session_key: " + key.error().detail);
    auto iv_bytes = base64_decode(iv);
    if (!iv_bytes) return fail(Errc::bad_encoding, "iv: " + iv_bytes.error().detail);
    auto cipher = base64_decode(encrypted_data);
    if (!cipher) return fail(Errc::bad_encoding, "encryptedData: " + cipher.error().detail);
    if (key->size() != 16) return fail(Errc::bad_key, "session_key must decode to 16 bytes");
    if (iv_bytes->size() != 16) return fail(Errc::bad_key, "iv must decode to 16 bytes");

    auto padded = detail::aes_cbc_nopad(detail::CbcDirection::decrypt, *key, *iv_bytes, *cipher);
    if (!padded) return padded.error();
    auto plain = detail::pkcs7_unpad(std::move(padded).value(), 16);
    if (!plain) return plain.error();

    const auto doc = nlohmann::json::parse(*plain, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) return fail(Errc::bad_json, "not a JSON object");
    const auto wm = doc.find("watermark");
    if (wm == doc.end() || !wm->is_object()) return fail(Errc::missing_field, "no watermark");
    const std::string wm_appid = detail::string_field(*wm, "appid");
    if (wm_appid.empty()) return fail(Errc::missing_field, "no watermark.appid");
    if (wm_appid != appid) return fail(Errc::wrong_appid, "watermark.appid does not match");
    return UserData{std::move(plain).value(), detail::int_field(*wm, "timestamp").value_or(0)};
}

}  // namespace yz::wechat
