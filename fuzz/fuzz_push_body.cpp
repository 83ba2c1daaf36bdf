// SPDX-License-Identifier: MIT
// WeChat's inbound push bodies (decrypted text), XML and JSON: whatever arrives must decode or be
// refused with an error, never crash, hang or grow without bound (XML bombs, deep nesting).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <yz/wechat/push_message.hpp>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto format = yz::wechat::detect_body_format(text);
    for (auto f : {yz::wechat::BodyFormat::xml, yz::wechat::BodyFormat::json}) {
        auto m = yz::wechat::decode_push_message(text, f);
        if (m.ok()) (void)m->dedupe_key();
    }
    (void)format;
    return 0;
}
