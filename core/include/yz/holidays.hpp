// SPDX-License-Identifier: MIT
// China's public-holiday calendar as data: the days off (放假) and the make-up working days (调休上班)
// the State Council announces for each year. Header-only, for every station that opens by the day.
//
// The dates move every year and are known only once announced (usually in November for the next
// year), so they are data an operator loads, never code:
//
//     {"holidays": [{"from": "2026-02-15", "to": "2026-02-23", "name": "春节"},
//                   {"date": "2026-01-01", "name": "元旦"}, "2026-05-01"],
//      "workdays": [{"date": "2026-02-14", "name": "春节调休"}, "2026-02-28"]}
//
// A make-up working day is a Saturday or Sunday that works as a weekday; OpeningHours
// (opening_hours.hpp) decides which hours a station keeps on one. A calendar is immutable once
// parsed: share it between threads freely.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include <yz/calendar.hpp>

namespace yz {
inline namespace v1 {

class HolidayCalendar {
public:
    enum class Kind { ordinary, holiday, makeup_workday };
    struct Day {
        Kind kind = Kind::ordinary;
        std::string name;  // "春节", "国庆节调休"; may be empty
    };

    // Limits that keep a typo ("to": "2062-…") from turning into a million rows.
    static constexpr int64_t kMaxRangeDays = 62;
    static constexpr size_t kMaxDays = 4000;

    // Reads the shape above. nullopt with `why` (Chinese, for the staff console) when an entry is
    // malformed, a range runs backwards or is too long, or a day is both a holiday and a workday.
    static std::optional<HolidayCalendar> parse(const nlohmann::json& j, std::string& why) {
        HolidayCalendar cal;
        if (!j.is_object()) {
            why = "节假日安排须为对象：{\"holidays\": [...], \"workdays\": [...]}";
            return std::nullopt;
        }
        for (auto it = j.begin(); it != j.end(); ++it)
            if (it.key() != "holidays" && it.key() != "workdays") {
                why = "未知字段 " + it.key() + "（只允许 holidays、workdays）";
                return std::nullopt;
            }
        if (!cal.read_list(j, "holidays", Kind::holiday, why) || !cal.read_list(j, "workdays", Kind::makeup_workday, why))
            return std::nullopt;
        return cal;
    }

    // What kind of day d is; ordinary for days the calendar does not mention.
    Day day(Date d) const {
        auto it = days_.find(d.days());
        return it == days_.end() ? Day{} : it->second;
    }
    bool empty() const { return days_.empty(); }
    size_t size() const { return days_.size(); }

    // The canonical form: consecutive days of the same kind and name become one {from, to, name}
    // range, single days {date, name}. parse(to_json()) gives the same calendar.
    nlohmann::json to_json() const {
        nlohmann::json out = {{"holidays", nlohmann::json::array()}, {"workdays", nlohmann::json::array()}};
        for (auto it = days_.begin(); it != days_.end();) {
            auto last = it;
            for (auto next = std::next(it); next != days_.end() && next->first == last->first + 1 &&
                                            next->second.kind == it->second.kind && next->second.name == it->second.name;
                 ++next)
                last = next;
            nlohmann::json entry = nlohmann::json::object();
            if (last == it) {
                entry["date"] = Date::from_days(it->first).str();
            } else {
                entry["from"] = Date::from_days(it->first).str();
                entry["to"] = Date::from_days(last->first).str();
            }
            entry["name"] = it->second.name;
            out[it->second.kind == Kind::holiday ? "holidays" : "workdays"].push_back(std::move(entry));
            it = std::next(last);
        }
        return out;
    }

private:
    bool read_list(const nlohmann::json& j, const char* key, Kind kind, std::string& why) {
        if (!j.contains(key)) return true;
        const nlohmann::json& list = j[key];
        if (!list.is_array()) {
            why = std::string(key) + " 须为列表";
            return false;
        }
        for (const auto& e : list) {
            std::optional<Date> from, to;
            std::string name;
            if (e.is_string()) {
                from = to = Date::parse(e.get<std::string>());
            } else if (e.is_object()) {
                auto date_at = [&e](const char* k) {
                    return e.contains(k) && e[k].is_string() ? Date::parse(e[k].get<std::string>()) : std::nullopt;
                };
                if (e.contains("date")) from = to = date_at("date");
                else {
                    from = date_at("from");
                    to = date_at("to");
                }
                if (e.contains("name")) {
                    if (!e["name"].is_string()) {
                        why = std::string(key) + " 中的 name 须为文字";
                        return false;
                    }
                    name = e["name"].get<std::string>();
                }
            }
            if (!from || !to) {
                why = std::string(key) + " 中有一项不是有效日期：" + e.dump() + "（应为 \"YYYY-MM-DD\"、{\"date\"} 或 {\"from\", \"to\"}）";
                return false;
            }
            if (*to < *from || *to - *from >= kMaxRangeDays) {
                why = std::string(key) + " 中的日期区间无效：" + from->str() + " 至 " + to->str();
                return false;
            }
            for (Date d = *from; d <= *to; d = d.plus_days(1)) {
                auto [it, fresh] = days_.emplace(d.days(), Day{kind, name});
                if (!fresh && it->second.kind != kind) {
                    why = d.str() + " 既是假日又是调休上班日";
                    return false;
                }
                if (days_.size() > kMaxDays) {
                    why = "节假日安排的天数过多";
                    return false;
                }
            }
        }
        return true;
    }

    std::map<int64_t, Day> days_;  // by Date::days()
};

}  // namespace v1
}  // namespace yz
