// SPDX-License-Identifier: MIT
// Per-prefix validation of subscribe-message values, on code points.
#include <algorithm>
#include <functional>
#include <yz/wechat/subscribe_rules.hpp>
#include <yz/wechat/utf8.hpp>

namespace yz::wechat {
namespace {

using Check = std::function<std::optional<std::string>(const std::u32string&, std::string_view)>;

bool is_digit(char32_t c) { return c >= U'0' && c <= U'9'; }
bool is_letter(char32_t c) { return (c >= U'A' && c <= U'Z') || (c >= U'a' && c <= U'z'); }
bool is_cjk(char32_t c) {
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x2FA1F);
}
bool is_ascii_symbol(char32_t c) {
    return (c >= 0x21 && c <= 0x2F) || (c >= 0x3A && c <= 0x40) || (c >= 0x5B && c <= 0x60) ||
           (c >= 0x7B && c <= 0x7E);
}
/// Punctuation and currency outside ASCII: Latin-1 signs, general punctuation, CJK punctuation and
/// the full-width ASCII punctuation forms.
bool is_wide_symbol(char32_t c) {
    return (c >= 0xA1 && c <= 0xBF) || c == 0xD7 || c == 0xF7 || (c >= 0x2010 && c <= 0x205E) ||
           (c >= 0x20A0 && c <= 0x20CF) || (c >= 0x3001 && c <= 0x303F) ||
           (c >= 0xFF01 && c <= 0xFF0F) || (c >= 0xFF1A && c <= 0xFF20) ||
           (c >= 0xFF3B && c <= 0xFF40) || (c >= 0xFF5B && c <= 0xFF65) || c == 0xFFE5;
}
bool is_symbol(char32_t c) { return is_ascii_symbol(c) || is_wide_symbol(c); }
bool is_control(char32_t c) { return c < 0x20 || (c >= 0x7F && c <= 0x9F); }
/// Emoji and pictographs, which WeChat refuses in template values.
bool is_emoji(char32_t c) {
    return (c >= 0x1F000 && c <= 0x1FAFF) || (c >= 0x2600 && c <= 0x27BF) || c == 0xFE0F ||
           c == 0x200D || (c >= 0x1F1E6 && c <= 0x1F1FF);
}

std::string too_long(std::size_t n, std::size_t max) {
    return std::to_string(n) + " characters, at most " + std::to_string(max) + " allowed";
}

std::optional<std::string> require_all(const std::u32string& cps, std::size_t max,
                                       bool (*allowed)(char32_t), const char* what) {
    if (cps.size() > max) return too_long(cps.size(), max);
    if (!std::all_of(cps.begin(), cps.end(), allowed))
        return std::string("only ") + what + " allowed";
    return std::nullopt;
}

// ---- date and time grammar: "15:01", "2019年10月1日", "2019-10-01 15:01", ranges with "~" ----

class Cursor {
  public:
    explicit Cursor(std::string_view s) : s_(s) {}
    bool done() const { return pos_ == s_.size(); }
    bool lit(std::string_view t) {
        if (s_.substr(pos_, t.size()) != t) return false;
        pos_ += t.size();
        return true;
    }
    /// 1..max_digits digits within [lo, hi]; exact=true demands exactly max_digits.
    bool number(std::size_t max_digits, int lo, int hi, bool exact = false) {
        std::size_t n = 0;
        int v = 0;
        while (pos_ + n < s_.size() && n < max_digits && s_[pos_ + n] >= '0' &&
               s_[pos_ + n] <= '9') {
            v = v * 10 + (s_[pos_ + n] - '0');
            ++n;
        }
        if (n == 0 || (exact && n != max_digits) || v < lo || v > hi) return false;
        pos_ += n;
        return true;
    }
    void spaces() {
        while (pos_ < s_.size() && s_[pos_] == ' ') ++pos_;
    }
    std::size_t pos() const { return pos_; }
    void reset(std::size_t p) { pos_ = p; }

  private:
    std::string_view s_;
    std::size_t pos_ = 0;
};

bool date(Cursor& c) {
    const auto start = c.pos();
    if (c.number(4, 1900, 2999, true) && c.lit("年") && c.number(2, 1, 12) && c.lit("月") &&
        c.number(2, 1, 31) && c.lit("日")) {
        return true;
    }
    for (std::string_view sep : {"-", "/"}) {
        c.reset(start);
        if (c.number(4, 1900, 2999, true) && c.lit(sep) && c.number(2, 1, 12) && c.lit(sep) &&
            c.number(2, 1, 31)) {
            return true;
        }
    }
    c.reset(start);
    return false;
}

bool clock_time(Cursor& c) {
    const auto start = c.pos();
    if (!(c.number(2, 0, 23) && c.lit(":") && c.number(2, 0, 59, true))) {
        c.reset(start);
        return false;
    }
    const auto before_seconds = c.pos();
    if (!(c.lit(":") && c.number(2, 0, 59, true))) c.reset(before_seconds);
    return true;
}

/// time_point := [date " "+] time      date_point := date [" "+ time]
bool point(Cursor& c, bool time_required) {
    const auto start = c.pos();
    if (date(c)) {
        const auto after_date = c.pos();
        c.spaces();
        if (clock_time(c)) return true;
        c.reset(after_date);
        return !time_required;
    }
    c.reset(start);
    return time_required && clock_time(c);
}

std::optional<std::string> date_or_time(std::string_view value, bool time_required) {
    Cursor c(value);
    bool good = point(c, time_required);
    c.spaces();
    if (good && c.lit("~")) {  // a period: two points joined by "~"
        c.spaces();
        good = point(c, time_required);
    }
    if (good && c.done()) return std::nullopt;
    return time_required ? "not a 24-hour time such as 15:01 or 2019年10月1日 15:01"
                         : "not a date such as 2019年10月1日 or 2019年10月1日 15:01";
}

std::optional<std::string> check_amount(const std::u32string& cps) {
    static constexpr char32_t kCurrencies[] = {U'¥', U'￥', U'$', U'€', U'£'};
    std::size_t i = 0;
    if (i < cps.size() && std::find(std::begin(kCurrencies), std::end(kCurrencies), cps[i]) !=
                              std::end(kCurrencies)) {
        ++i;
    }
    std::size_t end = cps.size();
    if (end > i && cps[end - 1] == U'元') --end;
    std::size_t digits = 0;
    std::size_t dots = 0;
    for (std::size_t k = i; k < end; ++k) {
        if (is_digit(cps[k])) {
            ++digits;
        } else if (cps[k] == U'.' && digits > 0 && dots == 0 && k + 1 < end) {
            ++dots;
        } else {
            return std::string("not an amount such as ¥100.50 or 100元");
        }
    }
    if (digits == 0) return std::string("not an amount such as ¥100.50 or 100元");
    if (digits > 10) return "amount has " + std::to_string(digits) + " digits, at most 10 allowed";
    return std::nullopt;
}

std::optional<std::string> check_number(const std::u32string& cps) {
    if (cps.size() > 32) return too_long(cps.size(), 32);
    std::size_t dots = 0;
    for (std::size_t k = 0; k < cps.size(); ++k) {
        if (is_digit(cps[k])) continue;
        if (cps[k] == U'.' && k > 0 && k + 1 < cps.size() && dots++ == 0) continue;
        return std::string("only digits with an optional decimal point allowed");
    }
    return std::nullopt;
}

std::optional<std::string> check_car_number(const std::u32string& cps) {
    if (cps.size() > 8) return too_long(cps.size(), 8);
    auto alnum = [](char32_t c) { return is_digit(c) || is_letter(c); };
    for (std::size_t k = 0; k < cps.size(); ++k) {
        const bool edge = k == 0 || k + 1 == cps.size();
        if (alnum(cps[k]) || (edge && is_cjk(cps[k]))) continue;
        return std::string("only letters and digits, with Chinese allowed first and last");
    }
    return std::nullopt;
}

std::optional<std::string> check_name(const std::u32string& cps) {
    const bool chinese = std::any_of(cps.begin(), cps.end(), is_cjk);
    const std::size_t max = chinese ? 10 : 20;  // mixed text counts as a Chinese name
    if (cps.size() > max) return too_long(cps.size(), max);
    for (char32_t c : cps) {
        if (!(is_cjk(c) || is_letter(c) || is_symbol(c) || c == U' ')) {
            return std::string("only Chinese characters, letters and symbols allowed");
        }
    }
    return std::nullopt;
}

std::optional<std::string> check_thing(const std::u32string& cps) {
    if (cps.size() > 20) return too_long(cps.size(), 20);
    for (char32_t c : cps) {
        if (is_control(c)) return std::string("control characters are not allowed");
        if (is_emoji(c)) return std::string("emoji are not allowed");
    }
    return std::nullopt;
}

const std::vector<std::pair<std::string_view, Check>>& rules() {
    static const std::vector<std::pair<std::string_view, Check>> kRules = {
        // Longest prefixes first: "character_string" must not be read as an unknown "c...".
        {"character_string",
         [](const auto& cps, auto) {
             return require_all(
                 cps, 32,
                 [](char32_t c) { return is_digit(c) || is_letter(c) || is_ascii_symbol(c); },
                 "digits, letters and ASCII symbols");
         }},
        {"phone_number",
         [](const auto& cps, auto) -> std::optional<std::string> {
             if (std::none_of(cps.begin(), cps.end(), is_digit))
                 return "no digits in a phone number";
             return require_all(
                 cps, 17, [](char32_t c) { return is_digit(c) || is_ascii_symbol(c) || c == U' '; },
                 "digits and symbols");
         }},
        {"car_number", [](const auto& cps, auto) { return check_car_number(cps); }},
        {"thing", [](const auto& cps, auto) { return check_thing(cps); }},
        {"number", [](const auto& cps, auto) { return check_number(cps); }},
        {"letter",
         [](const auto& cps, auto) { return require_all(cps, 32, is_letter, "letters"); }},
        {"symbol", [](const auto& cps, auto) { return require_all(cps, 5, is_symbol, "symbols"); }},
        {"time", [](const auto&, auto v) { return date_or_time(v, true); }},
        {"date", [](const auto&, auto v) { return date_or_time(v, false); }},
        {"amount", [](const auto& cps, auto) { return check_amount(cps); }},
        {"name", [](const auto& cps, auto) { return check_name(cps); }},
        {"phrase",
         [](const auto& cps, auto) { return require_all(cps, 5, is_cjk, "Chinese characters"); }},
    };
    return kRules;
}

}  // namespace

std::optional<SubscribeValueError> check_subscribe_value(std::string_view keyword,
                                                         std::string_view value) {
    std::string_view prefix = keyword;
    while (!prefix.empty() && prefix.back() >= '0' && prefix.back() <= '9') prefix.remove_suffix(1);
    auto error = [&](std::string reason) {
        return SubscribeValueError{std::string(keyword), std::move(reason)};
    };
    const auto& all = rules();
    const auto rule =
        std::find_if(all.begin(), all.end(), [&](const auto& r) { return r.first == prefix; });
    if (rule == all.end()) return error("unknown keyword type '" + std::string(prefix) + "'");
    const auto cps = decode_utf8(value);
    if (!cps) return error("value is not valid UTF-8");
    if (cps->empty()) return error("value is empty");
    if (auto reason = rule->second(*cps, value)) return error(std::move(*reason));
    return std::nullopt;
}

std::vector<SubscribeValueError> check_subscribe_data(
    const std::vector<std::pair<std::string, std::string>>& data) {
    std::vector<SubscribeValueError> errors;
    for (const auto& [keyword, value] : data) {
        if (auto e = check_subscribe_value(keyword, value)) errors.push_back(std::move(*e));
    }
    return errors;
}

std::string fit_thing_value(std::string_view value) {
    const auto cps = decode_utf8(value);
    if (!cps) return {};
    std::string cleaned;
    bool pending_space = false;
    for (char32_t c : *cps) {
        if (is_emoji(c)) continue;
        if (is_control(c) || c == U' ' || c == 0x3000) {
            pending_space = !cleaned.empty();
            continue;
        }
        if (pending_space) cleaned.push_back(' ');
        pending_space = false;
        append_utf8(cleaned, c);
    }
    return truncate_code_points(cleaned, 20);
}

}  // namespace yz::wechat
