// SPDX-License-Identifier: MIT
// Form definitions and submissions: the definition checker, one validator per field type, and the
// small text helpers they share (UTF-8 decoding, whitespace trimming, full-width folding, dates).
// Everything here is a pure function of its arguments; the only clock read is the default `today`.

#include "forms.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <set>
#include <stdexcept>
#include <string_view>
#include <utility>

namespace yz::forms {
namespace {

using json = nlohmann::json;
using std::chrono::year_month_day;

constexpr std::size_t kMaxFields = 100;
constexpr std::int64_t kMaxTextLength = 2000;
constexpr std::size_t kMaxNameLength = 32;
// Longest unknown key echoed back: enough to recognise a typo, not a way to reflect a megabyte.
constexpr std::size_t kMaxEchoedKey = 64;

// ---- text helpers ------------------------------------------------------------------------------

// Strict UTF-8 (no overlongs, surrogates or values past U+10FFFF). nlohmann's parser already
// refuses bad UTF-8, but a json built in code can hold any bytes, and dump() would throw later.
std::optional<std::u32string> decode_utf8(std::string_view s) {
    std::u32string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        const auto b = static_cast<unsigned char>(s[i]);
        std::size_t len = 0;
        char32_t cp = 0;
        char32_t min = 0;
        if (b < 0x80) {
            len = 1, cp = b;
        } else if ((b & 0xE0) == 0xC0) {
            len = 2, cp = b & 0x1Fu, min = 0x80;
        } else if ((b & 0xF0) == 0xE0) {
            len = 3, cp = b & 0x0Fu, min = 0x800;
        } else if ((b & 0xF8) == 0xF0) {
            len = 4, cp = b & 0x07u, min = 0x10000;
        } else {
            return std::nullopt;
        }
        if (i + len > s.size()) return std::nullopt;
        for (std::size_t k = 1; k < len; ++k) {
            const auto c = static_cast<unsigned char>(s[i + k]);
            if ((c & 0xC0) != 0x80) return std::nullopt;
            cp = (cp << 6) | (c & 0x3Fu);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
        out.push_back(cp);
        i += len;
    }
    return out;
}

std::string encode_utf8(std::u32string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char32_t cp : s) {
        if (cp < 0x80) {
            out += static_cast<char>(cp);
        } else if (cp < 0x800) {
            out += static_cast<char>(0xC0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (cp >> 18));
            out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        }
    }
    return out;
}

// Includes the ideographic space U+3000 and NBSP, which Chinese IMEs and copy-paste produce often.
bool is_space(char32_t c) {
    return c == ' ' || (c >= '\t' && c <= '\r') || c == 0x00A0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200B) || c == 0x2028 || c == 0x2029 || c == 0x202F ||
           c == 0x205F || c == 0x3000 || c == 0xFEFF;
}

bool is_control(char32_t c) { return c < 0x20 || (c >= 0x7F && c <= 0x9F); }

std::u32string_view trim(std::u32string_view s) {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

// For the structured types (date, phone, ID card): residents typing with a Chinese IME often get
// full-width digits and punctuation ("１３８…", "Ｘ", "－"), which are plainly the ASCII ones.
// Returns the folded and trimmed string, or nullopt for bad UTF-8.
std::optional<std::string> fold_and_trim(const std::string& raw) {
    auto cps = decode_utf8(raw);
    if (!cps) return std::nullopt;
    for (char32_t& c : *cps) {
        if (c >= 0xFF01 && c <= 0xFF5E)
            c -= 0xFEE0;
        else if (c == 0x3000)
            c = ' ';
    }
    return encode_utf8(trim(*cps));
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool all_digits(std::string_view s) { return std::all_of(s.begin(), s.end(), is_digit); }

// Keeps an echoed client key printable: bad UTF-8 becomes U+FFFD, long keys are cut.
std::string sanitise_key(const std::string& key) {
    auto cps = decode_utf8(key);
    if (!cps) return "\xEF\xBF\xBD";
    if (cps->size() <= kMaxEchoedKey) return key;
    return encode_utf8(std::u32string_view(*cps).substr(0, kMaxEchoedKey)) + "\xE2\x80\xA6";
}

// ---- dates -------------------------------------------------------------------------------------

int digits_value(std::string_view s) {
    int v = 0;
    for (char c : s) v = v * 10 + (c - '0');
    return v;
}

// Exactly "YYYY-MM-DD" naming a real day (year_month_day::ok() knows the leap years).
std::optional<year_month_day> parse_date(std::string_view s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
    if (!all_digits(s.substr(0, 4)) || !all_digits(s.substr(5, 2)) || !all_digits(s.substr(8, 2)))
        return std::nullopt;
    const int y = digits_value(s.substr(0, 4));
    if (y == 0) return std::nullopt;
    const year_month_day d{std::chrono::year{y},
                           std::chrono::month{static_cast<unsigned>(digits_value(s.substr(5, 2)))},
                           std::chrono::day{static_cast<unsigned>(digits_value(s.substr(8, 2)))}};
    if (!d.ok()) return std::nullopt;
    return d;
}

// ---- numbers -----------------------------------------------------------------------------------

std::optional<std::int64_t> as_int(const json& v) {
    if (v.is_number_unsigned()) {
        const auto u = v.get<std::uint64_t>();
        if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
            return std::nullopt;
        return static_cast<std::int64_t>(u);
    }
    if (v.is_number_integer()) return v.get<std::int64_t>();
    return std::nullopt;
}

bool is_finite_number(const json& v) {
    return v.is_number() && (!v.is_number_float() || std::isfinite(v.get<double>()));
}

// "120" rather than "120.0" for whole numbers, which is how staff wrote them.
std::string format_number(const json& v) {
    if (v.is_number_float()) {
        const double d = v.get<double>();
        if (d == std::floor(d) && std::fabs(d) < 1e15)
            return std::to_string(static_cast<std::int64_t>(d));
    }
    return v.dump();
}

// ---- definition --------------------------------------------------------------------------------

constexpr std::array<std::string_view, 7> kTypes = {"text",  "number",  "choice", "date",
                                                    "phone", "id_card", "boolean"};
constexpr std::array<std::string_view, 6> kCommonKeys = {"name",     "label", "type",
                                                         "required", "help",  "placeholder"};

std::vector<std::string_view> type_keys(std::string_view type) {
    if (type == "text") return {"max_length", "min_length", "multiline"};
    if (type == "number") return {"min", "max", "integer"};
    if (type == "choice") return {"options", "multiple", "min_count", "max_count"};
    if (type == "date") return {"min", "max"};
    return {};
}

bool valid_name(const std::string& n) {
    if (n.empty() || n.size() > kMaxNameLength || n[0] < 'a' || n[0] > 'z') return false;
    return std::all_of(n.begin(), n.end(),
                       [](char c) { return (c >= 'a' && c <= 'z') || is_digit(c) || c == '_'; });
}

// Collects the errors of one definition entry; every message starts with its 1-based position so
// staff can find it in the console even when the name itself is what is wrong.
class EntryChecker {
  public:
    EntryChecker(const json& f, std::size_t index, std::vector<FieldError>& out)
        : f_(f), out_(out), prefix_("第" + std::to_string(index + 1) + "个字段：") {
        const auto it = f.is_object() ? f.find("name") : f.end();
        ref_ =
            (f.is_object() && it != f.end() && it->is_string() && !it->get<std::string>().empty())
                ? it->get<std::string>()
                : "fields[" + std::to_string(index) + "]";
    }

    void fail(const std::string& code, const std::string& message) {
        out_.push_back({ref_, code, prefix_ + message});
    }

    // nullptr when absent, so callers can write `if (auto* v = get("min"))`.
    const json* get(const char* key) const {
        const auto it = f_.find(key);
        return it == f_.end() ? nullptr : &*it;
    }

    void bool_param(const char* key) {
        if (const json* v = get(key); v && !v->is_boolean())
            fail("invalid_parameter", std::string(key) + " 必须是 true 或 false");
    }

    void string_param(const char* key) {
        if (const json* v = get(key); v && !v->is_string())
            fail("invalid_parameter", std::string(key) + " 必须是文字");
    }

    // An integer in [lo, hi], or nullopt (after reporting) when present but invalid or absent.
    std::optional<std::int64_t> int_param(const char* key, std::int64_t lo, std::int64_t hi) {
        const json* v = get(key);
        if (!v) return std::nullopt;
        const auto n = as_int(*v);
        if (!n || *n < lo || *n > hi) {
            fail("invalid_parameter", std::string(key) + " 必须是 " + std::to_string(lo) + " 到 " +
                                          std::to_string(hi) + " 之间的整数");
            return std::nullopt;
        }
        return n;
    }

  private:
    const json& f_;
    std::vector<FieldError>& out_;
    std::string prefix_;
    std::string ref_;
};

void check_text(EntryChecker& c) {
    if (!c.get("max_length")) c.fail("missing_parameter", "文字类字段必须设置最大长度 max_length");
    const auto max = c.int_param("max_length", 1, kMaxTextLength);
    const auto min = c.int_param("min_length", 0, kMaxTextLength);
    if (min && max && *min > *max) c.fail("invalid_parameter", "min_length 不能大于 max_length");
    c.bool_param("multiline");
}

void check_number(EntryChecker& c) {
    const json* min = c.get("min");
    const json* max = c.get("max");
    if (min && !is_finite_number(*min)) c.fail("invalid_parameter", "min 必须是数字");
    if (max && !is_finite_number(*max)) c.fail("invalid_parameter", "max 必须是数字");
    if (min && max && is_finite_number(*min) && is_finite_number(*max) &&
        min->get<double>() > max->get<double>())
        c.fail("invalid_parameter", "min 不能大于 max");
    c.bool_param("integer");
}

void check_choice(EntryChecker& c) {
    const json* options = c.get("options");
    std::int64_t count = 0;
    if (!options) {
        c.fail("missing_parameter", "选择类字段必须设置选项 options");
    } else if (!options->is_array() || options->empty()) {
        c.fail("invalid_parameter", "options 必须是至少有一项的列表");
    } else {
        std::set<std::string> seen;
        for (const auto& o : *options) {
            if (!o.is_string() || o.get<std::string>().empty()) {
                c.fail("invalid_parameter", "每个选项都必须是非空文字");
                break;
            }
            if (!seen.insert(o.get<std::string>()).second) {
                c.fail("invalid_parameter", "选项“" + o.get<std::string>() + "”重复了");
                break;
            }
        }
        count = static_cast<std::int64_t>(options->size());
    }
    c.bool_param("multiple");
    const json* multiple = c.get("multiple");
    const bool is_multiple = multiple && multiple->is_boolean() && multiple->get<bool>();
    if (!is_multiple && (c.get("min_count") || c.get("max_count"))) {
        c.fail("invalid_parameter", "只有多选（multiple 为 true）才能设置 min_count / max_count");
        return;
    }
    // Without a usable option list the counts cannot be judged, so only their shape is checked.
    const std::int64_t limit = count > 0 ? count : std::numeric_limits<std::int64_t>::max();
    const auto min = c.int_param("min_count", 0, limit);
    const auto max = c.int_param("max_count", 1, limit);
    if (min && max && *min > *max) c.fail("invalid_parameter", "min_count 不能大于 max_count");
}

void check_date(EntryChecker& c) {
    std::optional<year_month_day> bounds[2];
    const char* keys[2] = {"min", "max"};
    for (int i = 0; i < 2; ++i) {
        const json* v = c.get(keys[i]);
        if (!v) continue;
        if (v->is_string()) bounds[i] = parse_date(v->get<std::string>());
        if (!bounds[i])
            c.fail("invalid_parameter", std::string(keys[i]) + " 必须是 YYYY-MM-DD 格式的真实日期");
    }
    if (bounds[0] && bounds[1] && *bounds[0] > *bounds[1])
        c.fail("invalid_parameter", "min 不能晚于 max");
}

void check_entry(const json& f, std::size_t index, std::set<std::string>& names,
                 std::vector<FieldError>& out) {
    EntryChecker c(f, index, out);
    if (!f.is_object()) {
        c.fail("not_an_object", "字段定义必须是一个对象");
        return;
    }
    if (const json* name = c.get("name"); !name) {
        c.fail("missing_parameter", "缺少字段名 name");
    } else if (!name->is_string() || !valid_name(name->get<std::string>())) {
        c.fail("invalid_name", "字段名只能由小写字母、数字和下划线组成，以字母开头，最长32个字符");
    } else if (!names.insert(name->get<std::string>()).second) {
        c.fail("duplicate_name", "字段名“" + name->get<std::string>() + "”与前面的字段重复");
    }

    if (const json* label = c.get("label"); !label) {
        c.fail("missing_parameter", "缺少显示名称 label");
    } else {
        // Residents read every message through the label, so a blank one would read "请填写".
        const auto text =
            label->is_string() ? decode_utf8(label->get<std::string>()) : std::nullopt;
        if (!text || trim(*text).empty()) c.fail("invalid_parameter", "label 必须是非空文字");
    }
    c.bool_param("required");
    c.string_param("help");
    c.string_param("placeholder");

    const json* type = c.get("type");
    if (!type) {
        c.fail("missing_parameter", "缺少字段类型 type");
        return;
    }
    const std::string t = type->is_string() ? type->get<std::string>() : type->dump();
    if (std::find(kTypes.begin(), kTypes.end(), t) == kTypes.end()) {
        c.fail("unknown_type", "不支持的字段类型“" + t + "”");
        return;
    }

    const auto own = type_keys(t);
    for (const auto& [key, value] : f.items()) {
        if (std::find(kCommonKeys.begin(), kCommonKeys.end(), key) == kCommonKeys.end() &&
            std::find(own.begin(), own.end(), key) == own.end())
            c.fail("unknown_parameter", "类型 " + t + " 没有参数“" + sanitise_key(key) + "”");
    }

    if (t == "text")
        check_text(c);
    else if (t == "number")
        check_number(c);
    else if (t == "choice")
        check_choice(c);
    else if (t == "date")
        check_date(c);
}

// ---- submission --------------------------------------------------------------------------------

// What one field's validator concluded: a clean value, an error, or "not answered" (blank).
struct Verdict {
    json value;
    std::string code;
    std::string message;
    bool blank = false;
};

Verdict accept(json v) { return {std::move(v), {}, {}, false}; }
Verdict reject(std::string code, std::string message) {
    return {nullptr, std::move(code), std::move(message), false};
}
Verdict blank() { return {nullptr, {}, {}, true}; }

// A field definition already known valid, with its common parts unpacked.
struct Field {
    const json& def;
    std::string name;
    std::string label;
    std::string type;
    bool required;

    const json* get(const char* key) const {
        const auto it = def.find(key);
        return it == def.end() ? nullptr : &*it;
    }
    bool flag(const char* key) const {
        const json* v = get(key);
        return v && v->get<bool>();
    }
};

Verdict wrong_type(const Field& f) { return reject("wrong_type", f.label + "的格式不正确"); }

Verdict validate_text(const Field& f, const json& v) {
    if (!v.is_string()) return wrong_type(f);
    auto cps = decode_utf8(v.get<std::string>());
    if (!cps) return reject("invalid_characters", f.label + "含有无法识别的字符");
    const bool multiline = f.flag("multiline");
    if (multiline) {
        // Windows and old Mac line ends become "\n", so stored text has one convention.
        std::u32string lf;
        for (std::size_t i = 0; i < cps->size(); ++i) {
            if ((*cps)[i] == '\r') {
                lf.push_back('\n');
                if (i + 1 < cps->size() && (*cps)[i + 1] == '\n') ++i;
            } else {
                lf.push_back((*cps)[i]);
            }
        }
        *cps = std::move(lf);
    }
    const auto text = trim(*cps);
    if (text.empty()) return blank();
    for (char32_t c : text) {
        if (is_control(c) && !(multiline && c == '\n'))
            return reject("invalid_characters", f.label + (multiline ? "含有不能使用的特殊字符"
                                                                     : "不能换行或含有特殊字符"));
    }
    const auto length = static_cast<std::int64_t>(text.size());
    const auto max = as_int(*f.get("max_length")).value_or(kMaxTextLength);
    if (length > max)
        return reject("too_long", f.label + "最多" + std::to_string(max) + "个字，现在有" +
                                      std::to_string(length) + "个字");
    if (const json* min = f.get("min_length"); min && length < as_int(*min).value_or(0))
        return reject("too_short", f.label + "至少要" + std::to_string(*as_int(*min)) + "个字");
    return accept(encode_utf8(text));
}

Verdict validate_number(const Field& f, const json& v) {
    // Strings such as "12" are refused on purpose: the mini-program sends numbers as numbers, and
    // guessing at "１２" or "12岁" here would hide client bugs.
    if (!is_finite_number(v)) return reject("not_a_number", f.label + "请填写数字");
    const double d = v.get<double>();
    json clean = v;
    if (f.flag("integer")) {
        if (d != std::floor(d)) return reject("not_integer", f.label + "请填写整数");
        // 3.0 is stored as 3 while that is exact; beyond 2^53 a double is integral anyway.
        if (v.is_number_float() && std::fabs(d) <= 9007199254740992.0)
            clean = static_cast<std::int64_t>(d);
    }
    const json* min = f.get("min");
    const json* max = f.get("max");
    if ((min && d < min->get<double>()) || (max && d > max->get<double>())) {
        if (min && max)
            return reject("out_of_range", f.label + "应在" + format_number(*min) + "到" +
                                              format_number(*max) + "之间");
        if (min) return reject("out_of_range", f.label + "不能小于" + format_number(*min));
        return reject("out_of_range", f.label + "不能大于" + format_number(*max));
    }
    return accept(std::move(clean));
}

Verdict validate_choice(const Field& f, const json& v) {
    const json& options = *f.get("options");
    const auto known = [&](const json& o) {
        return o.is_string() && std::find(options.begin(), options.end(), o) != options.end();
    };
    const Verdict invalid = reject("invalid_choice", f.label + "的选项无效，请重新选择");
    if (!f.flag("multiple")) {
        if (!v.is_string()) return wrong_type(f);
        if (v.get<std::string>().empty()) return blank();
        return known(v) ? accept(v) : invalid;
    }
    if (!v.is_array()) return wrong_type(f);
    if (v.empty()) return blank();
    for (const auto& o : v) {
        if (!o.is_string()) return wrong_type(f);
        if (!known(o)) return invalid;
    }
    // Normalised to option order without repeats, so two equal answers store equally.
    json clean = json::array();
    for (const auto& o : options)
        if (std::find(v.begin(), v.end(), o) != v.end()) clean.push_back(o);
    const auto n = static_cast<std::int64_t>(clean.size());
    if (const json* min = f.get("min_count"); min && n < *as_int(*min))
        return reject("too_short", f.label + "至少要选择" + std::to_string(*as_int(*min)) + "项");
    if (const json* max = f.get("max_count"); max && n > *as_int(*max))
        return reject("too_long", f.label + "最多只能选择" + std::to_string(*as_int(*max)) + "项");
    return accept(std::move(clean));
}

Verdict validate_date(const Field& f, const json& v) {
    if (!v.is_string()) return wrong_type(f);
    const auto s = fold_and_trim(v.get<std::string>());
    if (!s) return reject("invalid_date", f.label + "不是有效的日期");
    if (s->empty()) return blank();
    const auto d = parse_date(*s);
    if (!d) return reject("invalid_date", f.label + "不是有效的日期，请按 2024-01-31 的格式填写");
    const json* min = f.get("min");
    const json* max = f.get("max");
    const bool early = min && *d < *parse_date(min->get<std::string>());
    const bool late = max && *d > *parse_date(max->get<std::string>());
    if (early || late) {
        if (min && max)
            return reject("out_of_range", f.label + "应在" + min->get<std::string>() + "到" +
                                              max->get<std::string>() + "之间");
        if (early) return reject("out_of_range", f.label + "不能早于" + min->get<std::string>());
        return reject("out_of_range", f.label + "不能晚于" + max->get<std::string>());
    }
    return accept(*s);
}

// Mainland mobiles are stored as 11 bare digits; landlines as "area-local", with the area code
// length taken from the numbering plan (010 and 02x are three digits, every other 0xxx is four),
// so "075512345678" and "0755-1234 5678" store alike.
std::optional<std::string> normalise_phone(std::string s) {
    std::erase_if(s, [](char c) { return c == ' ' || c == '-'; });
    const bool international = s.rfind("+86", 0) == 0;
    if (international) s.erase(0, 3);
    if (s.empty() || !all_digits(s)) return std::nullopt;
    if (s.size() == 11 && s[0] == '1' && s[1] >= '3' && s[1] <= '9') return s;
    if (international || s[0] != '0' || s.size() < 2) return std::nullopt;
    std::size_t area = 4;
    if (s[1] == '1' || s[1] == '2') area = 3;
    if (s[1] == '0' || (s[1] == '1' && s.size() > 2 && s[2] != '0')) return std::nullopt;
    if (s.size() < area) return std::nullopt;
    const auto local = s.substr(area);
    if ((local.size() != 7 && local.size() != 8) || local[0] == '0') return std::nullopt;
    return s.substr(0, area) + "-" + local;
}

Verdict validate_phone(const Field& f, const json& v) {
    if (!v.is_string()) return wrong_type(f);
    const auto s = fold_and_trim(v.get<std::string>());
    if (s && s->empty()) return blank();
    const auto phone = s ? normalise_phone(*s) : std::nullopt;
    if (!phone)
        return reject("invalid_phone",
                      "请填写正确的" + f.label + "，如 13812345678 或 010-12345678");
    return accept(*phone);
}

// GB 11643-1999: six-digit region, YYYYMMDD birth date, three-digit sequence, then an ISO 7064
// MOD 11-2 check character over the first seventeen.
char id_check_char(std::string_view first17) {
    static constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    int sum = 0;
    for (std::size_t i = 0; i < 17; ++i) sum += (first17[i] - '0') * kWeights[i];
    return "10X98765432"[sum % 11];
}

Verdict validate_id_card(const Field& f, const json& v, year_month_day today) {
    if (!v.is_string()) return wrong_type(f);
    auto s = fold_and_trim(v.get<std::string>());
    if (s) std::erase(*s, ' ');  // "110105 19491231 002X" as read off the card
    if (s && s->empty()) return blank();
    if (!s || s->size() != 18 || !all_digits(std::string_view(*s).substr(0, 17)) ||
        !(is_digit((*s)[17]) || (*s)[17] == 'X' || (*s)[17] == 'x'))
        return reject("invalid_id_card", f.label + "应为18位，最后一位可以是X");
    if ((*s)[17] == 'x') (*s)[17] = 'X';
    const auto& id = *s;
    const auto birth =
        parse_date(id.substr(6, 4) + "-" + id.substr(10, 2) + "-" + id.substr(12, 2));
    const bool plausible = birth && birth->year() >= std::chrono::year{1900} && *birth <= today;
    if (!plausible || id_check_char(id) != id[17])
        return reject("invalid_id_card", f.label + "有误，请仔细核对");
    return accept(id);
}

Verdict validate_value(const Field& f, const json& v, year_month_day today) {
    if (v.is_null()) return blank();
    if (f.type == "text") return validate_text(f, v);
    if (f.type == "number") return validate_number(f, v);
    if (f.type == "choice") return validate_choice(f, v);
    if (f.type == "date") return validate_date(f, v);
    if (f.type == "phone") return validate_phone(f, v);
    if (f.type == "id_card") return validate_id_card(f, v, today);
    // boolean: a required one is a consent box, so only true answers it.
    if (!v.is_boolean()) return wrong_type(f);
    if (f.required && !v.get<bool>()) return blank();
    return accept(v);
}

std::string required_message(const Field& f) {
    if (f.type == "boolean") return "请勾选“" + f.label + "”";
    if (f.type == "choice") return "请选择" + f.label;
    return "请填写" + f.label;
}

}  // namespace

std::vector<FieldError> check_definition(const json& fields) {
    std::vector<FieldError> out;
    if (!fields.is_array()) {
        out.push_back({"", "not_an_array", "表单定义必须是字段列表"});
        return out;
    }
    if (fields.size() > kMaxFields) {
        // Checking thousands of entries would only bury this one message.
        out.push_back({"", "too_many_fields",
                       "一个表单最多" + std::to_string(kMaxFields) + "个字段，现在有" +
                           std::to_string(fields.size()) + "个"});
        return out;
    }
    std::set<std::string> names;
    for (std::size_t i = 0; i < fields.size(); ++i) check_entry(fields[i], i, names, out);
    return out;
}

Result validate(const json& fields, const json& submission, year_month_day today) {
    if (const auto problems = check_definition(fields); !problems.empty()) {
        throw std::invalid_argument("yz::forms::validate: invalid definition: " +
                                    problems.front().field + ": " + problems.front().code);
    }
    Result result;
    if (!submission.is_object()) {
        result.errors.push_back({"", "wrong_type", "提交的内容格式不正确"});
        return result;
    }
    std::set<std::string> known;
    for (const auto& def : fields) {
        const Field f{def, def["name"].get<std::string>(), def["label"].get<std::string>(),
                      def["type"].get<std::string>(), def.value("required", false)};
        known.insert(f.name);
        const auto it = submission.find(f.name);
        const Verdict verdict = it == submission.end() ? blank() : validate_value(f, *it, today);
        if (verdict.blank) {
            if (f.required) result.errors.push_back({f.name, "required", required_message(f)});
        } else if (!verdict.code.empty()) {
            result.errors.push_back({f.name, verdict.code, verdict.message});
        } else {
            result.clean[f.name] = verdict.value;
        }
    }
    // Reported rather than dropped: an unexpected key is usually a client out of step with the
    // form.
    for (const auto& [key, value] : submission.items()) {
        if (!known.contains(key))
            result.errors.push_back({sanitise_key(key), "unknown_field", "表单中没有这一项"});
    }
    return result;
}

Result validate(const json& fields, const json& submission) {
    using namespace std::chrono;
    const auto china_now = system_clock::now() + hours{8};
    return validate(fields, submission, year_month_day{floor<days>(china_now)});
}

json errors_to_json(const std::vector<FieldError>& errors) {
    json out = json::array();
    for (const auto& e : errors)
        out.push_back({{"field", e.field}, {"code", e.code}, {"message", e.message}});
    return out;
}

}  // namespace yz::forms
