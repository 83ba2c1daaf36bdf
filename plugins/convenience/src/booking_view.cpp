// SPDX-License-Identifier: MIT
#include "booking_view.hpp"

#include <yz/calendar.hpp>
#include <yz/time_format.hpp>

#include "booking_rules.hpp"

namespace convenience {

namespace {
Rules rules_of(const json& row) {
    json r = json::parse(row.at("rules").get<std::string>());
    Rules rules;
    rules.cancel_cutoff_minutes = r.value("cancel_cutoff_minutes", rules.cancel_cutoff_minutes);
    return rules;
}
}  // namespace

std::string local_span(int64_t start, int64_t end) {
    return yz::beijing_date(start).str() + " " + yz::format_hhmm(yz::beijing_minute_of_day(start)) + "-" +
           yz::format_hhmm(yz::beijing_minute_of_day(end));
}

json booking_json(const json& row, int64_t now, bool show_resident) {
    int64_t start = row.at("slot_start").get<int64_t>(), end = row.at("slot_end").get<int64_t>();
    std::string state = row.at("state").get<std::string>();
    bool cancellable = (state == "pending" || state == "confirmed") && before_cancel_cutoff(rules_of(row), start, now);
    json j = {{"id", row.at("id")},
              {"code", row.at("code")},
              {"state", state},
              {"service", {{"id", row.at("service_id")}, {"name", row.at("service_name")}, {"location", row.at("location")},
                           {"category", row.at("category")}}},
              {"start", yz::iso8601_beijing(start)},
              {"end", yz::iso8601_beijing(end)},
              {"time", local_span(start, end)},
              {"form", json::parse(row.at("form").get<std::string>())},
              {"reason", row.at("reason")},
              {"cancellable", cancellable},
              {"created_at", yz::iso8601_beijing(row.at("created_at").get<int64_t>())},
              {"updated_at", yz::iso8601_beijing(row.at("updated_at").get<int64_t>())}};
    if (show_resident) j["resident"] = {{"user_id", row.at("user_id")}, {"display_name", row.value("resident", json())}};
    if (row.value("booked_by_user_id", json()).is_number_integer())
        j["booked_by"] = {{"user_id", row.at("booked_by_user_id")},
                          {"display_name", row.value("booked_by_name", json())},
                          {"relation", row.at("relation")}};
    return j;
}

json notice_data(const json& row) {
    int64_t start = row.at("slot_start").get<int64_t>(), end = row.at("slot_end").get<int64_t>();
    json data = {{"booking_id", row.at("id")},
                 {"service", row.at("service_name")},
                 {"location", row.at("location")},
                 {"time", local_span(start, end)},
                 {"start", yz::iso8601_beijing(start)},
                 {"code", row.at("code")},
                 {"state", row.at("state")}};
    if (row.value("booked_by_user_id", json()).is_number_integer()) {
        data["booked_by"] = row.value("booked_by_name", json());
        data["relation"] = row.at("relation");
    }
    return data;
}

json notice_data_for_proxy(const json& row) {
    json data = notice_data(row);
    data["resident"] = row.value("resident", json());
    data["relation"] = row.value("relation", json());
    return data;
}

std::string local_minute(int64_t at) {
    return yz::beijing_date(at).str() + " " + yz::format_hhmm(yz::beijing_minute_of_day(at));
}

}  // namespace convenience
