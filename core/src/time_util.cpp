// SPDX-License-Identifier: MIT
// ISO 8601 formatting and parsing on civil-date arithmetic (no locale, no TZ database needed).
#include "time_util.hpp"

#include <chrono>
#include <cstdio>

#include <yz/time_format.hpp>

namespace yz::time {
namespace {
// Howard Hinnant's days_from_civil / civil_from_days.
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<int64_t>(doe) - 719468;
}
bool digits(std::string_view t, size_t pos, size_t n, int& out) {
    if (pos + n > t.size()) return false;
    out = 0;
    for (size_t i = pos; i < pos + n; ++i) {
        if (t[i] < '0' || t[i] > '9') return false;
        out = out * 10 + (t[i] - '0');
    }
    return true;
}
}  // namespace

int64_t system_now_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string iso8601_beijing(int64_t utc_ms) { return yz::iso8601_beijing(utc_ms); }
std::string iso8601_utc(int64_t utc_ms) { return format_iso8601(utc_ms, true, "Z"); }

std::optional<int64_t> parse_iso8601(std::string_view t) {
    int y, mo, d, h, mi, s;
    if (!digits(t, 0, 4, y) || t.size() < 19 || t[4] != '-' || !digits(t, 5, 2, mo) || t[7] != '-' ||
        !digits(t, 8, 2, d) || (t[10] != 'T' && t[10] != ' ') || !digits(t, 11, 2, h) || t[13] != ':' ||
        !digits(t, 14, 2, mi) || t[16] != ':' || !digits(t, 17, 2, s))
        return std::nullopt;
    static const int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (mo < 1 || mo > 12 || d < 1 || d > kDays[mo - 1] || (mo == 2 && d == 29 && !leap) || h > 23 ||
        mi > 59 || s > 59)
        return std::nullopt;
    size_t pos = 19;
    int milli = 0;
    if (pos < t.size() && t[pos] == '.') {
        size_t start = ++pos;
        while (pos < t.size() && t[pos] >= '0' && t[pos] <= '9') ++pos;
        if (pos == start) return std::nullopt;
        std::string frac(t.substr(start, std::min<size_t>(pos - start, 3)));
        while (frac.size() < 3) frac.push_back('0');
        milli = std::stoi(frac);
    }
    int64_t offset_ms = 0;
    if (pos < t.size() && t[pos] == 'Z' && pos + 1 == t.size()) {
        offset_ms = 0;
    } else if (pos + 6 == t.size() && (t[pos] == '+' || t[pos] == '-') && t[pos + 3] == ':') {
        int oh, om;
        if (!digits(t, pos + 1, 2, oh) || !digits(t, pos + 4, 2, om) || oh > 14 || om > 59) return std::nullopt;
        offset_ms = (oh * 3600000LL + om * 60000LL) * (t[pos] == '-' ? -1 : 1);
    } else {
        return std::nullopt;  // an instant without an offset is ambiguous: refuse it
    }
    int64_t days = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
    return days * 86400000 + h * 3600000LL + mi * 60000LL + s * 1000LL + milli - offset_ms;
}

}  // namespace yz::time
