// SPDX-License-Identifier: MIT
// Beijing calendar days and times of day, header-only so the core and every station count days alike.
//
// Stations think in local days: "open Monday 08:30", "book up to 14 days ahead", "two bookings a
// week". Those are Asia/Shanghai days, a fixed UTC+8 (no DST since 1991) whatever zone the server
// runs in. A Date is a day number (days since 1970-01-01), so arithmetic and comparison are plain
// integers; a time of day is minutes since local midnight. Instants stay UTC milliseconds, as
// everywhere else; the functions here convert between the two and parse ISO 8601 from clients.
// Everything is a pure function of its arguments: safe from any thread, never throws.
// C++17, like the rest of the SDK.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <yz/time_format.hpp>

namespace yz {
inline namespace v1 {

constexpr int64_t kMinuteMs = 60'000;
constexpr int64_t kHourMs = 60 * kMinuteMs;
constexpr int64_t kDayMs = 24 * kHourMs;
constexpr int kMinutesPerDay = 24 * 60;

// Howard Hinnant's days_from_civil, the inverse of civil_from_days (time_format.hpp).
inline int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

namespace detail {
inline int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0); }

// Reads exactly `width` ASCII digits at s[pos]; -1 if any is not a digit.
inline int64_t digits(std::string_view s, size_t pos, size_t width) {
    if (pos + width > s.size()) return -1;
    int64_t v = 0;
    for (size_t i = pos; i < pos + width; ++i) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}
}  // namespace detail

// A calendar day in Beijing. A value type as cheap as the integer inside it.
class Date {
public:
    constexpr Date() = default;
    static constexpr Date from_days(int64_t days_since_epoch) { return Date(days_since_epoch); }
    // nullopt unless y-m-d is a real day (2026-02-30 is not).
    static std::optional<Date> from_ymd(int64_t y, unsigned m, unsigned d) {
        if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31) return std::nullopt;
        Date date(days_from_civil(y, m, d));
        if (date.month() != m || date.day() != d) return std::nullopt;  // rolled into the next month
        return date;
    }
    // Exactly "YYYY-MM-DD"; nullopt if malformed or not a real day.
    static std::optional<Date> parse(std::string_view text) {
        if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
        int64_t y = detail::digits(text, 0, 4), m = detail::digits(text, 5, 2), d = detail::digits(text, 8, 2);
        if (y < 0 || m < 0 || d < 0) return std::nullopt;
        return from_ymd(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
    }

    constexpr int64_t days() const { return days_; }
    int64_t year() const { return ymd().y; }
    unsigned month() const { return ymd().m; }
    unsigned day() const { return ymd().d; }
    // ISO weekday: 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday).
    int weekday() const { return static_cast<int>(((days_ % 7) + 7 + 3) % 7) + 1; }
    Date plus_days(int64_t n) const { return Date(days_ + n); }
    // "YYYY-MM-DD".
    std::string str() const {
        Ymd v = ymd();
        char buf[11];
        int64_t y = v.y < 0 || v.y > 9999 ? 0 : v.y;
        buf[0] = static_cast<char>('0' + y / 1000);
        buf[1] = static_cast<char>('0' + y / 100 % 10);
        buf[2] = static_cast<char>('0' + y / 10 % 10);
        buf[3] = static_cast<char>('0' + y % 10);
        buf[4] = '-';
        buf[5] = static_cast<char>('0' + v.m / 10);
        buf[6] = static_cast<char>('0' + v.m % 10);
        buf[7] = '-';
        buf[8] = static_cast<char>('0' + v.d / 10);
        buf[9] = static_cast<char>('0' + v.d % 10);
        buf[10] = '\0';
        return std::string(buf, 10);
    }

    friend constexpr bool operator==(Date a, Date b) { return a.days_ == b.days_; }
    friend constexpr bool operator!=(Date a, Date b) { return a.days_ != b.days_; }
    friend constexpr bool operator<(Date a, Date b) { return a.days_ < b.days_; }
    friend constexpr bool operator<=(Date a, Date b) { return a.days_ <= b.days_; }
    friend constexpr bool operator>(Date a, Date b) { return a.days_ > b.days_; }
    friend constexpr bool operator>=(Date a, Date b) { return a.days_ >= b.days_; }
    // Whole days from b to a.
    friend constexpr int64_t operator-(Date a, Date b) { return a.days_ - b.days_; }

private:
    struct Ymd {
        int64_t y;
        unsigned m, d;
    };
    constexpr explicit Date(int64_t days) : days_(days) {}
    Ymd ymd() const {
        Ymd v{};
        civil_from_days(days_, v.y, v.m, v.d);
        return v;
    }
    int64_t days_ = 0;
};

// The Beijing day an instant falls on.
inline Date beijing_date(int64_t utc_ms) { return Date::from_days(detail::floor_div(utc_ms + kBeijingOffsetMs, kDayMs)); }

// Minutes since Beijing midnight of an instant (seconds dropped): 0 … 1439.
inline int beijing_minute_of_day(int64_t utc_ms) {
    int64_t local = utc_ms + kBeijingOffsetMs;
    return static_cast<int>((local - detail::floor_div(local, kDayMs) * kDayMs) / kMinuteMs);
}

// The instant of `minute_of_day` (0 … 1440) on Beijing day `d`, in UTC milliseconds.
inline int64_t beijing_instant(Date d, int minute_of_day) {
    return d.days() * kDayMs + minute_of_day * kMinuteMs - kBeijingOffsetMs;
}

// Monday of d's week (weeks run Monday to Sunday, as on Chinese calendars).
inline Date week_start(Date d) { return d.plus_days(1 - d.weekday()); }
// The first of d's month, and of the month after.
inline Date month_start(Date d) { return d.plus_days(1 - static_cast<int64_t>(d.day())); }
inline Date next_month_start(Date d) { return month_start(month_start(d).plus_days(31)); }

// "08:30" → 510; "24:00" → 1440 (end of day, for closing times). nullopt otherwise.
inline std::optional<int> parse_hhmm(std::string_view text) {
    if (text.size() != 5 || text[2] != ':') return std::nullopt;
    int64_t h = detail::digits(text, 0, 2), m = detail::digits(text, 3, 2);
    if (h < 0 || m < 0 || m > 59 || h > 24 || (h == 24 && m != 0)) return std::nullopt;
    return static_cast<int>(h * 60 + m);
}

// 510 → "08:30"; 1440 → "24:00".
inline std::string format_hhmm(int minute_of_day) {
    int h = minute_of_day / 60, m = minute_of_day % 60;
    char buf[6] = {static_cast<char>('0' + h / 10), static_cast<char>('0' + h % 10), ':',
                   static_cast<char>('0' + m / 10), static_cast<char>('0' + m % 10), '\0'};
    return std::string(buf, 5);
}

// Weekday keys used in data ("mon" … "sun") ↔ ISO weekday numbers (1 … 7).
inline const char* weekday_key(int iso_weekday) {
    static const char* const kKeys[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    return iso_weekday >= 1 && iso_weekday <= 7 ? kKeys[iso_weekday - 1] : "";
}
inline std::optional<int> parse_weekday(std::string_view key) {
    for (int i = 1; i <= 7; ++i)
        if (key == weekday_key(i)) return i;
    return std::nullopt;
}

// Parses an instant written as ISO 8601 with an explicit offset, as clients send it:
// "2026-02-14T09:00:00+08:00", "2026-02-14T09:00+08:00", "…T01:00:00.000Z", "…+0800".
// Returns UTC milliseconds; nullopt if malformed or without an offset (a bare local time is
// ambiguous, so it is refused rather than guessed).
inline std::optional<int64_t> parse_iso8601(std::string_view s) {
    if (s.size() < 17 || (s[10] != 'T' && s[10] != 't' && s[10] != ' ')) return std::nullopt;
    auto date = Date::parse(s.substr(0, 10));
    if (!date || s[13] != ':') return std::nullopt;
    int64_t h = detail::digits(s, 11, 2), mi = detail::digits(s, 14, 2), sec = 0, ms = 0;
    if (h < 0 || h > 23 || mi < 0 || mi > 59) return std::nullopt;
    size_t i = 16;
    if (i < s.size() && s[i] == ':') {
        sec = detail::digits(s, i + 1, 2);
        if (sec < 0 || sec > 59) return std::nullopt;
        i += 3;
        if (i < s.size() && s[i] == '.') {
            size_t start = ++i;
            while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
            if (i == start) return std::nullopt;
            int64_t scale = 100;
            for (size_t k = start; k < i && k < start + 3; ++k, scale /= 10) ms += (s[k] - '0') * scale;
        }
    }
    if (i >= s.size()) return std::nullopt;
    int64_t offset_min = 0;
    if (s[i] == 'Z' || s[i] == 'z') {
        if (i + 1 != s.size()) return std::nullopt;
    } else if (s[i] == '+' || s[i] == '-') {
        std::string_view off = s.substr(i + 1);
        int64_t oh = detail::digits(off, 0, 2), om = -1;
        if (off.size() == 5 && off[2] == ':') om = detail::digits(off, 3, 2);
        else if (off.size() == 4) om = detail::digits(off, 2, 2);
        if (oh < 0 || oh > 23 || om < 0 || om > 59) return std::nullopt;
        offset_min = (s[i] == '+' ? 1 : -1) * (oh * 60 + om);
    } else {
        return std::nullopt;
    }
    return date->days() * kDayMs + h * kHourMs + mi * kMinuteMs + sec * 1000 + ms - offset_min * kMinuteMs;
}

}  // namespace v1
}  // namespace yz
