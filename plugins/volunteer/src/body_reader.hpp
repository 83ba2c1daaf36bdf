// SPDX-License-Identifier: MIT
// Reads a request's JSON body field by field, collecting every problem before refusing, so the
// console can mark each wrong field at once: 422 <code> with details.fields = [{field, code,
// message}]. Query-string readers answer 400 invalid_field naming the parameter.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <yz/calendar.hpp>
#include <yz/field_problems.hpp>
#include <yz/plugin.hpp>
#include <yz/text.hpp>

namespace volunteer {

using yz::json;

class BodyReader {
public:
    explicit BodyReader(json body) : body_(std::move(body)) {
        if (!body_.is_object()) body_ = json::object();
    }

    bool has(const char* key) const { return body_.contains(key) && !body_[key].is_null(); }
    // Text of at most max_chars characters (code points); "" when absent and not required.
    std::string text(const char* key, size_t max_chars, bool required);
    // A whole number in [lo, hi]; nullopt when absent (a problem if required) or wrong.
    std::optional<int64_t> integer(const char* key, int64_t lo, int64_t hi, bool required);
    bool flag(const char* key, bool fallback);
    // An ISO 8601 instant with its offset ("2026-03-07T09:00:00+08:00") → UTC ms.
    std::optional<int64_t> instant(const char* key, bool required);
    // A Beijing calendar day "YYYY-MM-DD".
    std::optional<yz::Date> date(const char* key, bool required);

    void problem(const std::string& field, const std::string& message);
    // Takes over a nested object's problems, their fields prefixed ("eligibility.min_age").
    void absorb(const BodyReader& inner, const std::string& prefix);
    bool ok() const { return problems_.empty(); }
    // Throws 422 `code` listing every problem, if there is any.
    void done(const char* code = "invalid_field", const char* message_zh = "填写的内容有误") const;

private:
    json body_;
    yz::FieldProblems problems_;
};

// An integer query parameter (?year=2026), or `fallback` when absent.
int64_t int_query(const yz::Request& req, const char* name, int64_t fallback);
// An optional "YYYY-MM-DD" query parameter.
std::optional<yz::Date> date_query(const yz::Request& req, const char* name);

}  // namespace volunteer
