// SPDX-License-Identifier: MIT
// Staff-defined forms and residents' answers: the input is "<fields JSON>\n<submission JSON>".
// A definition is checked first (as on save); a valid one validates any submission without
// throwing, and every error it reports names a field — except one about the submission as a
// whole (not an object), and an unknown key "" named as sent.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "forms.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    size_t nl = text.find('\n');
    if (nl == std::string_view::npos) return 0;
    auto fields = nlohmann::json::parse(text.substr(0, nl), nullptr, false);
    auto submission = nlohmann::json::parse(text.substr(nl + 1), nullptr, false);
    if (fields.is_discarded() || submission.is_discarded()) return 0;
    if (!yz::forms::check_definition(fields).empty()) return 0;
    auto result = yz::forms::validate(fields, submission, std::chrono::year_month_day{std::chrono::year{2026}, std::chrono::month{12}, std::chrono::day{1}});
    for (const auto& e : result.errors)
        if (e.code.empty() || (e.field.empty() && submission.is_object() && !submission.contains(""))) std::abort();
    (void)yz::forms::errors_to_json(result.errors).dump();
    return 0;
}
