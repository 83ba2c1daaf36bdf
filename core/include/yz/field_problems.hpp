// SPDX-License-Identifier: MIT
// What is wrong with a submission, field by field, collected before refusing it so the console
// can mark every wrong field at once: one 422 whose details.fields lists {field, code, message}.
#pragma once

#include <string>

#include <yz/plugin.hpp>

namespace yz {
inline namespace v1 {

class FieldProblems {
public:
    void add(const std::string& field, const std::string& message_zh) {
        list_.push_back({{"field", field}, {"code", "invalid"}, {"message", message_zh}});
    }
    // Takes over a nested object's problems, their fields prefixed ("eligibility.min_age").
    void absorb(const FieldProblems& inner, const std::string& prefix) {
        for (json f : inner.list_) {
            f["field"] = prefix + "." + f["field"].get<std::string>();
            list_.push_back(std::move(f));
        }
    }
    bool empty() const { return list_.empty(); }
    // Refuses with 422 `code`, listing every problem, if there is any.
    void throw_if_any(const std::string& code, const std::string& message_zh) const {
        if (!list_.empty()) throw ApiError(422, code, message_zh, {{"fields", list_}});
    }

private:
    json list_ = json::array();
};

}  // namespace v1
}  // namespace yz
