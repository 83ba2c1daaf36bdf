// SPDX-License-Identifier: MIT
// Any bytes: json_valid says what nlohmann::json::accept says — except that it refuses nesting past
// its limit and a NUL byte outside a string, where nlohmann stops reading and takes what came
// before ("{}\0junk"). A text it passed and nlohmann refused would reach a station's parse as a
// 500; one it refused otherwise would be a resident's valid request turned away.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <nlohmann/json.hpp>

#include "json_valid.hpp"

namespace {
int depth_of(std::string_view s) {  // an upper bound of the nesting: brackets never closed count too
    int depth = 0, most = 0;
    for (char c : s) {
        if (c == '[' || c == '{') most = std::max(most, ++depth);
        else if (c == ']' || c == '}') --depth;
    }
    return most;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    bool ours = yz::json_valid(text);
    bool theirs = nlohmann::json::accept(text);
    if (ours && !theirs) std::abort();
    if (!ours && theirs && depth_of(text) <= yz::kJsonMaxDepth && text.find('\0') == std::string_view::npos) std::abort();
    return 0;
}
