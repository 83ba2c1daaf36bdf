// SPDX-License-Identifier: MIT
#include "station_policy.hpp"

#include <stdexcept>
#include <string>

namespace convenience {

namespace {
int whole(const yz::json& obj, const char* section, const char* key, int fallback, int lo, int hi) {
    if (!obj.contains(key)) return fallback;
    const yz::json& v = obj[key];
    if (!v.is_number_integer() || v.get<int64_t>() < lo || v.get<int64_t>() > hi)
        throw std::runtime_error(std::string("config.") + section + "." + key + " must be an integer from " +
                                 std::to_string(lo) + " to " + std::to_string(hi));
    return static_cast<int>(v.get<int64_t>());
}

const yz::json& section(const yz::json& config, const char* name) {
    static const yz::json kEmpty = yz::json::object();
    if (!config.contains(name)) return kEmpty;
    if (!config[name].is_object()) throw std::runtime_error(std::string("config.") + name + " must be an object");
    return config[name];
}
}  // namespace

StationPolicy policy_from_config(const yz::json& config) {
    StationPolicy p;
    const yz::json& ns = section(config, "no_show_policy");
    p.no_show.count = whole(ns, "no_show_policy", "count", p.no_show.count, 0, 100);
    p.no_show.within_days = whole(ns, "no_show_policy", "within_days", p.no_show.within_days, 1, 366);
    p.no_show.suspend_days = whole(ns, "no_show_policy", "suspend_days", p.no_show.suspend_days, 1, 366);
    const yz::json& wl = section(config, "waitlist");
    p.waitlist_hold_minutes = whole(wl, "waitlist", "hold_minutes", p.waitlist_hold_minutes, 1, 7 * 24 * 60);
    return p;
}

}  // namespace convenience
