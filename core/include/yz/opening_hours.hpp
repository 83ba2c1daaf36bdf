// SPDX-License-Identifier: MIT
// Opening hours as data: a weekly plan with breaks, what to do on public holidays and 调休 make-up
// working days, and dated exceptions (a day closed, extra hours). Header-only, for every station
// that opens by the hour; staff edit the JSON, nobody rebuilds:
//
//     {"weekly": {"mon": ["08:30-11:30", "13:30-17:00"], "tue": [...], ..., "sat": ["09:00-12:00"]},
//      "holidays": "closed",          // default; "ignore" keeps the weekly plan on holidays
//      "makeup_workday_as": "mon",    // default; a 调休 working day opens with this weekday's hours
//      "exceptions": [{"date": "2026-12-24", "closed": true, "note": "内部培训"},
//                     {"date": "2026-12-27", "hours": ["09:00-12:00"], "note": "周日加开"}]}
//
// Times are Beijing local "HH:MM-HH:MM" ("24:00" may close a day); within a day periods must not
// overlap, and the gap between two is a break. A weekday missing from "weekly" is closed.
// For a given day the first rule that speaks wins: its exception, then the holiday calendar
// (a holiday is closed; a make-up working day keeps `makeup_workday_as` hours), then the weekly
// plan. An OpeningHours is immutable once parsed: share it between threads freely.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include <yz/calendar.hpp>
#include <yz/holidays.hpp>

namespace yz {
inline namespace v1 {

// A stretch of a day, in minutes since local midnight: [start, end).
struct Period {
    int start = 0;
    int end = 0;
    friend bool operator==(const Period& a, const Period& b) { return a.start == b.start && a.end == b.end; }
};

// Which rule decided a day's hours.
enum class DayBasis { weekly, holiday, makeup_workday, exception };

inline const char* basis_name(DayBasis b) {
    switch (b) {
        case DayBasis::weekly: return "weekly";
        case DayBasis::holiday: return "holiday";
        case DayBasis::makeup_workday: return "makeup_workday";
        case DayBasis::exception: return "exception";
    }
    return "weekly";
}

// One day's hours and why: empty periods mean closed.
struct OpenDay {
    Date date;
    DayBasis basis = DayBasis::weekly;
    std::string note;  // the holiday's or the exception's name, if any
    std::vector<Period> periods;
    bool open() const { return !periods.empty(); }
};

class OpeningHours {
public:
    static constexpr size_t kMaxPeriodsPerDay = 8;
    static constexpr size_t kMaxExceptions = 400;

    // Reads the shape above. nullopt with `why` (Chinese, for the staff console) on anything it
    // does not understand, so a typo is refused when saved rather than ignored.
    static std::optional<OpeningHours> parse(const nlohmann::json& j, std::string& why) {
        OpeningHours h;
        if (!j.is_object()) {
            why = "开放时间须为对象";
            return std::nullopt;
        }
        for (auto it = j.begin(); it != j.end(); ++it) {
            const std::string& k = it.key();
            if (k != "weekly" && k != "holidays" && k != "makeup_workday_as" && k != "exceptions") {
                why = "开放时间中有未知字段 " + k;
                return std::nullopt;
            }
        }
        const nlohmann::json weekly = j.value("weekly", nlohmann::json::object());
        if (!weekly.is_object()) {
            why = "weekly 须为对象，如 {\"mon\": [\"08:30-11:30\"]}";
            return std::nullopt;
        }
        for (auto it = weekly.begin(); it != weekly.end(); ++it) {
            auto wd = parse_weekday(it.key());
            if (!wd) {
                why = "weekly 中的 " + it.key() + " 不是星期（mon … sun）";
                return std::nullopt;
            }
            auto periods = parse_periods(it.value(), it.key(), why);
            if (!periods) return std::nullopt;
            h.weekly_[static_cast<size_t>(*wd - 1)] = std::move(*periods);
        }
        auto text = [&j](const char* key, const char* fallback) {
            if (!j.contains(key)) return std::string(fallback);
            return j[key].is_string() ? j[key].get<std::string>() : std::string();
        };
        std::string holidays = text("holidays", "closed");
        if (holidays != "closed" && holidays != "ignore") {
            why = "holidays 只能是 closed 或 ignore";
            return std::nullopt;
        }
        h.close_on_holidays_ = holidays == "closed";
        auto makeup = parse_weekday(text("makeup_workday_as", "mon"));
        if (!makeup || *makeup > 5) {
            why = "makeup_workday_as 须为工作日（mon … fri）";
            return std::nullopt;
        }
        h.makeup_as_ = *makeup;
        const nlohmann::json exceptions = j.value("exceptions", nlohmann::json::array());
        if (!exceptions.is_array() || exceptions.size() > kMaxExceptions) {
            why = "exceptions 须为列表（最多 400 项）";
            return std::nullopt;
        }
        for (const auto& e : exceptions) {
            std::optional<Date> date;
            if (e.is_object() && e.contains("date") && e["date"].is_string()) date = Date::parse(e["date"].get<std::string>());
            if (!date) {
                why = "exceptions 中每项须有有效日期 date（YYYY-MM-DD）";
                return std::nullopt;
            }
            Exception ex;
            bool closed = e.contains("closed") && e["closed"] == true;
            if (closed == e.contains("hours")) {
                why = date->str() + "：例外须写 \"closed\": true 或 \"hours\"，二选一";
                return std::nullopt;
            }
            if (!closed) {
                auto periods = parse_periods(e["hours"], date->str(), why);
                if (!periods) return std::nullopt;
                if (periods->empty()) {
                    why = date->str() + "：hours 不能为空（关闭请写 \"closed\": true）";
                    return std::nullopt;
                }
                ex.periods = std::move(*periods);
            }
            if (e.contains("note")) {
                if (!e["note"].is_string()) {
                    why = date->str() + "：note 须为文字";
                    return std::nullopt;
                }
                ex.note = e["note"].get<std::string>();
            }
            for (auto it = e.begin(); it != e.end(); ++it)
                if (it.key() != "date" && it.key() != "closed" && it.key() != "hours" && it.key() != "note") {
                    why = date->str() + "：例外中有未知字段 " + it.key();
                    return std::nullopt;
                }
            if (!h.exceptions_.emplace(date->days(), std::move(ex)).second) {
                why = date->str() + " 有两条例外";
                return std::nullopt;
            }
        }
        return h;
    }

    // The hours of Beijing day `d`, given the holiday calendar in force.
    OpenDay day(Date d, const HolidayCalendar& calendar) const {
        OpenDay out;
        out.date = d;
        if (auto it = exceptions_.find(d.days()); it != exceptions_.end()) {
            out.basis = DayBasis::exception;
            out.note = it->second.note;
            out.periods = it->second.periods;
            return out;
        }
        HolidayCalendar::Day special = calendar.day(d);
        if (special.kind == HolidayCalendar::Kind::holiday && close_on_holidays_) {
            out.basis = DayBasis::holiday;
            out.note = special.name;
            return out;
        }
        if (special.kind == HolidayCalendar::Kind::makeup_workday) {
            out.basis = DayBasis::makeup_workday;
            out.note = special.name;
            out.periods = weekly_[static_cast<size_t>(makeup_as_ - 1)];
            return out;
        }
        out.periods = weekly_[static_cast<size_t>(d.weekday() - 1)];
        return out;
    }

    // The canonical form: parse(to_json()) gives the same hours.
    nlohmann::json to_json() const {
        nlohmann::json weekly = nlohmann::json::object();
        for (int wd = 1; wd <= 7; ++wd) {
            const auto& periods = weekly_[static_cast<size_t>(wd - 1)];
            if (!periods.empty()) weekly[weekday_key(wd)] = periods_json(periods);
        }
        nlohmann::json exceptions = nlohmann::json::array();
        for (const auto& [days, ex] : exceptions_) {
            nlohmann::json e = {{"date", Date::from_days(days).str()}};
            if (ex.periods.empty()) e["closed"] = true;
            else e["hours"] = periods_json(ex.periods);
            if (!ex.note.empty()) e["note"] = ex.note;
            exceptions.push_back(std::move(e));
        }
        return {{"weekly", weekly},
                {"holidays", close_on_holidays_ ? "closed" : "ignore"},
                {"makeup_workday_as", weekday_key(makeup_as_)},
                {"exceptions", exceptions}};
    }

    static nlohmann::json periods_json(const std::vector<Period>& periods) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& p : periods) out.push_back(format_hhmm(p.start) + "-" + format_hhmm(p.end));
        return out;
    }

private:
    struct Exception {
        std::vector<Period> periods;  // empty = closed
        std::string note;
    };

    // ["08:30-11:30", "13:30-17:00"] → sorted, non-overlapping periods.
    static std::optional<std::vector<Period>> parse_periods(const nlohmann::json& list, const std::string& where,
                                                            std::string& why) {
        if (!list.is_array() || list.size() > kMaxPeriodsPerDay) {
            why = where + "：时段须为列表（最多 8 段），如 [\"08:30-11:30\", \"13:30-17:00\"]";
            return std::nullopt;
        }
        std::vector<Period> out;
        for (const auto& p : list) {
            std::string text = p.is_string() ? p.get<std::string>() : std::string();
            size_t dash = text.find('-');
            std::optional<int> start, end;
            if (dash != std::string::npos) {
                start = parse_hhmm(std::string_view(text).substr(0, dash));
                end = parse_hhmm(std::string_view(text).substr(dash + 1));
            }
            if (!start || !end || *start >= *end) {
                why = where + "：时段 " + (p.is_string() ? text : p.dump()) + " 无效（应为 HH:MM-HH:MM，结束晚于开始）";
                return std::nullopt;
            }
            out.push_back(Period{*start, *end});
        }
        std::sort(out.begin(), out.end(), [](const Period& a, const Period& b) { return a.start < b.start; });
        for (size_t i = 1; i < out.size(); ++i)
            if (out[i].start < out[i - 1].end) {
                why = where + "：时段 " + format_hhmm(out[i].start) + " 与前一段重叠";
                return std::nullopt;
            }
        return out;
    }

    std::array<std::vector<Period>, 7> weekly_;  // index 0 = Monday
    bool close_on_holidays_ = true;
    int makeup_as_ = 1;
    std::map<int64_t, Exception> exceptions_;  // by Date::days()
};

// The bookable slots of a day: `minutes` long, laid end to end from each period's start; a slot
// never spans a break, and a tail too short for a whole slot is left out.
inline std::vector<Period> slots_of(const OpenDay& day, int minutes) {
    std::vector<Period> out;
    if (minutes <= 0) return out;
    for (const auto& p : day.periods)
        for (int t = p.start; t + minutes <= p.end; t += minutes) out.push_back(Period{t, t + minutes});
    return out;
}

}  // namespace v1
}  // namespace yz
