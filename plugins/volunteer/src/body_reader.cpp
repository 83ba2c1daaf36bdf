// SPDX-License-Identifier: MIT
#include "body_reader.hpp"

namespace volunteer {

void BodyReader::problem(const std::string& field, const std::string& message) { problems_.add(field, message); }

void BodyReader::absorb(const BodyReader& inner, const std::string& prefix) { problems_.absorb(inner.problems_, prefix); }

std::string BodyReader::text(const char* key, size_t max_chars, bool required) {
    if (!has(key)) {
        if (required) problem(key, "必填");
        return {};
    }
    if (!body_[key].is_string()) {
        problem(key, "须为文字");
        return {};
    }
    std::string v = body_[key].get<std::string>();
    if (required && v.empty()) problem(key, "必填");
    if (yz::char_count(v) > max_chars) problem(key, "不能超过 " + std::to_string(max_chars) + " 个字");
    return v;
}

std::optional<int64_t> BodyReader::integer(const char* key, int64_t lo, int64_t hi, bool required) {
    if (!has(key)) {
        if (required) problem(key, "必填");
        return std::nullopt;
    }
    const json& v = body_[key];
    bool whole = v.is_number_integer() || v.is_number_unsigned();
    if (!whole || v.get<int64_t>() < lo || v.get<int64_t>() > hi) {
        problem(key, "须为 " + std::to_string(lo) + " 到 " + std::to_string(hi) + " 之间的整数");
        return std::nullopt;
    }
    return v.get<int64_t>();
}

bool BodyReader::flag(const char* key, bool fallback) {
    if (!has(key)) return fallback;
    if (!body_[key].is_boolean()) {
        problem(key, "须为 true 或 false");
        return fallback;
    }
    return body_[key].get<bool>();
}

std::optional<int64_t> BodyReader::instant(const char* key, bool required) {
    if (!has(key)) {
        if (required) problem(key, "必填");
        return std::nullopt;
    }
    std::optional<int64_t> t;
    if (body_[key].is_string()) t = yz::parse_iso8601(body_[key].get<std::string>());
    if (!t) problem(key, "须为带时区的时间，如 2026-03-07T09:00:00+08:00");
    return t;
}

std::optional<yz::Date> BodyReader::date(const char* key, bool required) {
    if (!has(key)) {
        if (required) problem(key, "必填");
        return std::nullopt;
    }
    std::optional<yz::Date> d;
    if (body_[key].is_string()) d = yz::Date::parse(body_[key].get<std::string>());
    if (!d) problem(key, "须为 YYYY-MM-DD 格式的日期");
    return d;
}

void BodyReader::done(const char* code, const char* message_zh) const {
    problems_.throw_if_any(code, message_zh);
}

int64_t int_query(const yz::Request& req, const char* name, int64_t fallback) {
    auto text = req.query(name);
    if (!text || text->empty()) return fallback;
    int64_t v = 0;
    if (text->size() > 18) throw yz::ApiError(400, "invalid_field", "参数格式不正确", {{"field", name}});
    for (char c : *text) {
        if (c < '0' || c > '9') throw yz::ApiError(400, "invalid_field", "参数格式不正确", {{"field", name}});
        v = v * 10 + (c - '0');
    }
    return v;
}

std::optional<yz::Date> date_query(const yz::Request& req, const char* name) {
    auto text = req.query(name);
    if (!text || text->empty()) return std::nullopt;
    auto d = yz::Date::parse(*text);
    if (!d) throw yz::ApiError(400, "invalid_field", "日期须为 YYYY-MM-DD", {{"field", name}});
    return d;
}

}  // namespace volunteer
