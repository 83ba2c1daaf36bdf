// SPDX-License-Identifier: MIT
// The config loader on arbitrary file contents: a config loads or is refused with ConfigError
// (naming the key), never another exception or a crash.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <unistd.h>

#include "config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const std::string path = "/tmp/yz-fuzz-config-" + std::to_string(::getpid()) + ".json";
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    }
    try {
        (void)yz::load_config(path, {});
    } catch (const yz::ConfigError&) {
        // refused, with a reason: expected
    }
    return 0;
}
