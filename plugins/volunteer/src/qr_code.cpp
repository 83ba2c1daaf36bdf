// SPDX-License-Identifier: MIT
#include "qr_code.hpp"

#include <charconv>
#include <optional>

namespace volunteer {

namespace {
constexpr const char* kPurpose = "volunteer.checkin";
constexpr size_t kSignatureLength = 43;

std::string signed_text(int64_t post_id, int64_t tick, const std::string& place) {
    return std::to_string(post_id) + "\n" + std::to_string(tick) + "\n" + place;
}

std::optional<int64_t> number(std::string_view text) {
    int64_t v = 0;
    auto r = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || r.ec != std::errc() || r.ptr != text.data() + text.size() || v < 0) return std::nullopt;
    return v;
}

struct Parts {
    int64_t post_id = 0, tick = 0;
    std::string signature, place;
};

std::optional<Parts> parse(const std::string& code) {
    size_t a = code.find('.');
    size_t b = a == std::string::npos ? a : code.find('.', a + 1);
    size_t c = b == std::string::npos ? b : code.find('.', b + 1);
    if (c == std::string::npos) return std::nullopt;
    auto post = number(std::string_view(code).substr(0, a));
    auto tick = number(std::string_view(code).substr(a + 1, b - a - 1));
    if (!post || !tick || c - b - 1 != kSignatureLength) return std::nullopt;
    return Parts{*post, *tick, code.substr(b + 1, kSignatureLength), code.substr(c + 1)};
}
}  // namespace

IssuedCode issue_code(const yz::Host& host, int64_t post_id, const std::string& place, int64_t now) {
    int64_t tick = now / kTickMs;
    std::string signature = host.sign(kPurpose, signed_text(post_id, tick, place));
    return IssuedCode{std::to_string(post_id) + "." + std::to_string(tick) + "." + signature + "." + place, (tick + 2) * kTickMs,
                      (tick + 1) * kTickMs};
}

CheckedCode check_code(const yz::Host& host, const std::string& code, int64_t post_id, int64_t now) {
    CheckedCode checked;
    auto parts = parse(code);
    if (!parts || !host.verify(kPurpose, signed_text(parts->post_id, parts->tick, parts->place), parts->signature)) return checked;
    checked.place = parts->place;
    int64_t current = now / kTickMs;
    if (parts->post_id != post_id) checked.verdict = CodeVerdict::other_post;
    else if (parts->tick > current) checked.verdict = CodeVerdict::invalid;  // from the future: not one the screen showed
    else if (current > parts->tick + 1) checked.verdict = CodeVerdict::expired;
    else checked.verdict = CodeVerdict::ok;
    return checked;
}

void refuse_unless_ok(const CheckedCode& checked) {
    switch (checked.verdict) {
        case CodeVerdict::ok: return;
        case CodeVerdict::invalid: throw yz::ApiError(422, "code_invalid", "签到码无效，请扫描现场屏幕上的二维码");
        case CodeVerdict::expired: throw yz::ApiError(422, "code_expired", "签到码已过期，请重新扫描现场屏幕上的二维码");
        case CodeVerdict::other_post: throw yz::ApiError(422, "code_wrong_post", "这个签到码不属于该岗位");
    }
}

}  // namespace volunteer
