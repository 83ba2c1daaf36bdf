// SPDX-License-Identifier: MIT
// Safe-mode push decryption (AES-256-CBC, 32-byte-block PKCS#7 done by hand, length field, appid
// trailer) on arbitrary `Encrypt` values: every malformed input is an error, never a crash or an
// out-of-bounds read. A valid encryption of the input is also decrypted back (round trip).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <yz/wechat/push_cipher.hpp>

namespace {
const yz::wechat::PushCipher& cipher() {
    // The EncodingAESKey and appid of PROTOCOL.md's example: any fixed valid key will do.
    static const auto c = yz::wechat::PushCipher::create("wx5823bf96d3bd56c7", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C");
    if (!c.ok()) std::abort();
    return c.value();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view input(reinterpret_cast<const char*>(data), size);
    (void)cipher().decrypt(input);
    auto sealed = cipher().encrypt(input);
    if (!sealed.ok()) std::abort();
    auto back = cipher().decrypt(sealed.value());
    if (!back.ok() || back->message != input) std::abort();
    return 0;
}
