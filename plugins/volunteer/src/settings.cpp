// SPDX-License-Identifier: MIT
#include "settings.hpp"

#include <stdexcept>

#include <yz/calendar.hpp>

namespace volunteer {

namespace {
int64_t whole(const yz::json& obj, const char* key, int64_t fallback, int64_t lo, int64_t hi) {
    if (!obj.contains(key)) return fallback;
    const yz::json& v = obj[key];
    if (!v.is_number_integer() || v.get<int64_t>() < lo || v.get<int64_t>() > hi)
        throw std::runtime_error(std::string("volunteer config: ") + key + " must be an integer in [" + std::to_string(lo) +
                                 ", " + std::to_string(hi) + "]");
    return v.get<int64_t>();
}
}  // namespace

Settings settings_from_config(const yz::json& config) {
    Settings s;
    if (!config.is_object()) return s;
    if (config.contains("points")) {
        const yz::json& p = config["points"];
        if (!p.is_object()) throw std::runtime_error("volunteer config: points must be an object");
        s.points.per_unit = whole(p, "per_unit", s.points.per_unit, 0, 10000);
        s.points.unit_minutes = whole(p, "unit_minutes", s.points.unit_minutes, 1, 24 * 60);
    }
    if (config.contains("claim_deadline")) {
        // "MM-DD", checked against a leap year so 02-29 is allowed (it falls back to 02-28).
        std::string md = config["claim_deadline"].is_string() ? config["claim_deadline"].get<std::string>() : "";
        auto day = yz::Date::parse("2028-" + md);
        if (md.size() != 5 || !day) throw std::runtime_error("volunteer config: claim_deadline must be \"MM-DD\"");
        s.claim_deadline_month = static_cast<int>(day->month());
        s.claim_deadline_day = static_cast<int>(day->day());
    }
    if (config.contains("issuer")) {
        if (!config["issuer"].is_string() || config["issuer"].get<std::string>().empty())
            throw std::runtime_error("volunteer config: issuer must be a non-empty string");
        s.issuer = config["issuer"].get<std::string>();
    }
    s.checkin_early_minutes = whole(config, "checkin_early_minutes", s.checkin_early_minutes, 0, 24 * 60);
    s.auto_close_grace_minutes = whole(config, "auto_close_grace_minutes", s.auto_close_grace_minutes, 0, 24 * 60);
    s.shift_reminder_minutes = whole(config, "shift_reminder_minutes", s.shift_reminder_minutes, 0, 7 * 24 * 60);
    return s;
}

}  // namespace volunteer
