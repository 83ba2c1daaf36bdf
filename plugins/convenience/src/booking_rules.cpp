// SPDX-License-Identifier: MIT
#include "booking_rules.hpp"

#include <yz/calendar.hpp>
#include <yz/time_format.hpp>

namespace convenience {

std::optional<yz::ApiError> booking_window_refusal(const Rules& rules, int64_t start, int64_t now) {
    int64_t earliest = now + rules.min_notice_minutes * yz::kMinuteMs;
    if (start < earliest)
        return yz::ApiError(422, "too_late", "该时段已过或距开始不足提前预约时间",
                            {{"min_notice_minutes", rules.min_notice_minutes}});
    yz::Date last = yz::beijing_date(now).plus_days(rules.max_days_ahead);
    if (yz::beijing_date(start) > last)
        return yz::ApiError(422, "too_far_ahead", "只能预约 " + std::to_string(rules.max_days_ahead) + " 天内的时段",
                            {{"max_days_ahead", rules.max_days_ahead}, {"last_date", last.str()}});
    return std::nullopt;
}

bool before_cancel_cutoff(const Rules& rules, int64_t start, int64_t now) {
    return now <= start - rules.cancel_cutoff_minutes * yz::kMinuteMs;
}

Span quota_span(const Quota& quota, int64_t start) {
    yz::Date day = yz::beijing_date(start);
    yz::Date from = day, to = day.plus_days(1);
    if (quota.per == "week") {
        from = yz::week_start(day);
        to = from.plus_days(7);
    } else if (quota.per == "month") {
        from = yz::month_start(day);
        to = yz::next_month_start(day);
    }
    return Span{yz::beijing_instant(from, 0), yz::beijing_instant(to, 0)};
}

}  // namespace convenience
