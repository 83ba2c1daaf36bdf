// SPDX-License-Identifier: MIT
// Builds the §5.4 encrypted reply body in JSON or XML.
#include <nlohmann/json.hpp>
#include <yz/wechat/push_reply.hpp>
#include <yz/wechat/signature.hpp>
#include <yz/wechat/xml_reader.hpp>

namespace yz::wechat {

Result<std::string> build_encrypted_reply(const PushCipher& cipher, PushCipher::KeySlot slot,
                                          std::string_view token, std::string_view reply_plaintext,
                                          std::string_view nonce, std::int64_t timestamp,
                                          BodyFormat format) {
    auto encrypt = cipher.encrypt(reply_plaintext, slot);
    if (!encrypt) return encrypt.error();
    const std::string ts = std::to_string(timestamp);
    const std::string signature = push_msg_signature(token, ts, nonce, *encrypt);
    if (format == BodyFormat::json) {
        nlohmann::json body = {{"Encrypt", *encrypt},
                               {"MsgSignature", signature},
                               {"TimeStamp", timestamp},
                               {"Nonce", std::string(nonce)}};
        return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
    return "<xml><Encrypt>" + xml_cdata(*encrypt) + "</Encrypt><MsgSignature>" +
           xml_cdata(signature) + "</MsgSignature><TimeStamp>" + ts + "</TimeStamp><Nonce>" +
           xml_cdata(nonce) + "</Nonce></xml>";
}

}  // namespace yz::wechat
