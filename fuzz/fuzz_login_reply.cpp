// SPDX-License-Identifier: MIT
// jscode2session reply bodies as WeChat (or anything posing as it) might send them: numbers as
// strings, huge errcodes, missing fields, non-objects. Parsed or refused, never a crash.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <yz/wechat/client.hpp>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    auto r = yz::wechat::parse_session_reply(std::string_view(reinterpret_cast<const char*>(data), size));
    // A success always carries what login needs.
    if (r.ok() && (r.value.openid.empty() || r.value.session_key.empty())) std::abort();
    return 0;
}
