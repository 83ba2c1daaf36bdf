// SPDX-License-Identifier: MIT
// The encrypted passive reply of PROTOCOL.md §5.4: Encrypt (§5.3 layout), TimeStamp, the request's
// Nonce echoed, and MsgSignature = sha1(sort([Token, TimeStamp, Nonce, Encrypt])), as JSON or as
// the XML equivalent with CDATA. Thread-safe: pure function (plus the CSPRNG).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <yz/wechat/push_cipher.hpp>
#include <yz/wechat/push_message.hpp>
#include <yz/wechat/result.hpp>

namespace yz::wechat {

Result<std::string> build_encrypted_reply(const PushCipher& cipher, PushCipher::KeySlot slot,
                                          std::string_view token, std::string_view reply_plaintext,
                                          std::string_view nonce, std::int64_t timestamp,
                                          BodyFormat format);

}  // namespace yz::wechat
