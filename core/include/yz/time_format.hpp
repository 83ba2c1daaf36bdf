// SPDX-License-Identifier: MIT
// ISO 8601 for API times, header-only so the core and every station format alike: instants are UTC
// milliseconds; the API shows them in Beijing time, "2026-11-22T16:30:00+08:00". Asia/Shanghai has
// had no DST since 1991, so the fixed offset is exact.
#pragma once

#include <cstdint>
#include <string>

namespace yz {
inline namespace v1 {

constexpr int64_t kBeijingOffsetMs = 8LL * 3600 * 1000;

// Howard Hinnant's civil_from_days: days since 1970-01-01 → year, month, day.
inline void civil_from_days(int64_t z, int64_t& y, unsigned& m, unsigned& d) {
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = static_cast<int64_t>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
}

// `local_ms` already shifted to the wanted zone; `suffix` is "+08:00" or "Z".
inline std::string format_iso8601(int64_t local_ms, bool with_ms, const char* suffix) {
    int64_t days = local_ms / 86400000 - ((local_ms % 86400000) < 0 ? 1 : 0);
    int64_t rem = local_ms - days * 86400000;
    int64_t y;
    unsigned mo, d;
    civil_from_days(days, y, mo, d);
    int h = static_cast<int>(rem / 3600000), mi = static_cast<int>(rem / 60000 % 60),
        s = static_cast<int>(rem / 1000 % 60), milli = static_cast<int>(rem % 1000);
    // Digits by hand: snprintf was a visible share of every request (access log, station lists).
    char buf[40];
    char* p = buf;
    auto put = [&p](int64_t v, int width) {
        for (int i = width - 1; i >= 0; --i) {
            p[i] = static_cast<char>('0' + v % 10);
            v /= 10;
        }
        p += width;
    };
    if (y < 0 || y > 9999) y = 0;  // outside ISO 8601's four digits: not a date we store
    put(y, 4);
    *p++ = '-';
    put(mo, 2);
    *p++ = '-';
    put(d, 2);
    *p++ = 'T';
    put(h, 2);
    *p++ = ':';
    put(mi, 2);
    *p++ = ':';
    put(s, 2);
    if (with_ms) {
        *p++ = '.';
        put(milli, 3);
    }
    return std::string(buf, p) + suffix;
}

inline std::string iso8601_beijing(int64_t utc_ms) { return format_iso8601(utc_ms + kBeijingOffsetMs, false, "+08:00"); }

}  // namespace v1
}  // namespace yz
