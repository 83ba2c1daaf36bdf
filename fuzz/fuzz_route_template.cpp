// SPDX-License-Identifier: MIT
// Route templates as stations declare them and paths as clients send them: the input is
// "<template>\n<path>". Parsing and matching never crash; a parsed template prints back to
// something that parses to the same shape; a match binds exactly the template's parameters.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "router.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    size_t nl = text.find('\n');
    std::string_view tpl = text.substr(0, nl), path = nl == std::string_view::npos ? "" : text.substr(nl + 1);
    (void)yz::Permission::parse(path);
    auto t = yz::PathTemplate::parse(tpl);
    if (!t) return 0;
    auto again = yz::PathTemplate::parse(t->text());
    if (!again || !again->same_shape(*t)) std::abort();
    std::vector<std::pair<std::string, std::string>> params;
    if (t->match(yz::split_path(path), params) && params.size() != t->params.size()) std::abort();
    return 0;
}
