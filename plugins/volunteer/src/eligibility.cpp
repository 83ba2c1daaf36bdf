// SPDX-License-Identifier: MIT
#include "eligibility.hpp"

namespace volunteer {

int64_t age_on(yz::Date birth, yz::Date day) {
    int64_t age = day.year() - birth.year();
    if (day.month() < birth.month() || (day.month() == birth.month() && day.day() < birth.day())) --age;
    return age;
}

std::optional<yz::ApiError> eligibility_refusal(const Post& post, const yz::Auth& who, const json& registration, bool trained,
                                                yz::Date on_day) {
    const Eligibility& rule = post.eligibility;
    if (rule.members_only && !who.has_role("member"))
        return yz::ApiError(422, "not_eligible", "该岗位仅限党员认领", {{"rule", "members_only"}});
    if (!rule.training.empty() && !trained)
        return yz::ApiError(422, "not_eligible", "该岗位须先完成培训：" + rule.training, {{"rule", "training"}, {"training", rule.training}});
    if (rule.min_age || rule.max_age) {
        json limits = {{"rule", "age"}, {"min_age", rule.min_age ? json(*rule.min_age) : json()},
                       {"max_age", rule.max_age ? json(*rule.max_age) : json()}};
        const json& birth_text = registration.at("birth_date");
        auto birth = birth_text.is_string() ? yz::Date::parse(birth_text.get<std::string>()) : std::nullopt;
        if (!birth) {
            limits["birth_date"] = nullptr;
            return yz::ApiError(422, "not_eligible", "该岗位有年龄要求，请先在志愿者登记中填写出生日期", limits);
        }
        int64_t age = age_on(*birth, on_day);
        if ((rule.min_age && age < *rule.min_age) || (rule.max_age && age > *rule.max_age)) {
            limits["age"] = age;
            return yz::ApiError(422, "not_eligible", "年龄不符合该岗位的要求", limits);
        }
    }
    return std::nullopt;
}

}  // namespace volunteer
