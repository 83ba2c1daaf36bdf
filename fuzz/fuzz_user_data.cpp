// SPDX-License-Identifier: MIT
// Legacy user-data decryption (AES-128-CBC, strict padding, watermark.appid): the input is split
// into session_key, iv and encryptedData at two offsets taken from its first bytes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <yz/wechat/user_data.hpp>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 2) return 0;
    std::string_view rest(reinterpret_cast<const char*>(data + 2), size - 2);
    size_t a = data[0] % (rest.size() + 1);
    size_t b = a + data[1] % (rest.size() - a + 1);
    (void)yz::wechat::decrypt_user_data("wx4f4bc4dec97d474b", rest.substr(0, a), rest.substr(a, b - a), rest.substr(b));
    return 0;
}
