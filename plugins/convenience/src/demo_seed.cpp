// SPDX-License-Identifier: MIT
// Demo data for `tools/run` (config "seed_demo": true): three services a resident can book at once,
// so a newcomer sees slots without writing a service definition first. Only into an empty station:
// never over what staff defined.
#include "station.hpp"

namespace convenience {

namespace {
const char* const kDemoServices = R"([
  {"name": "社保认证", "description": "养老金领取资格认证，请带身份证。", "category": "社保", "location": "一楼 3 号窗口",
   "slot_minutes": 20, "capacity": 2,
   "hours": {"weekly": {"mon": ["08:30-11:30", "13:30-17:00"], "tue": ["08:30-11:30", "13:30-17:00"],
                        "wed": ["08:30-11:30", "13:30-17:00"], "thu": ["08:30-11:30", "13:30-17:00"],
                        "fri": ["08:30-11:30", "13:30-17:00"]}},
   "rules": {"min_notice_minutes": 60, "max_days_ahead": 14, "cancel_cutoff_minutes": 120,
             "quota": {"count": 2, "per": "week"}, "proxy_booking_allowed": true},
   "form": [{"name": "phone", "label": "联系电话", "type": "phone", "required": true}]},
  {"name": "老人免费理发", "description": "70 岁以上老人免费，每次 30 分钟。", "category": "生活", "location": "二楼活动室",
   "slot_minutes": 30, "capacity": 1,
   "hours": {"weekly": {"wed": ["08:30-11:30"], "sat": ["08:30-11:30"]}},
   "rules": {"min_notice_minutes": 1440, "max_days_ahead": 21, "cancel_cutoff_minutes": 240,
             "quota": {"count": 1, "per": "month"}, "proxy_booking_allowed": true}},
  {"name": "法律咨询", "description": "社区法律顾问面对面咨询，需工作人员确认。", "category": "法律", "location": "一楼调解室",
   "slot_minutes": 45, "capacity": 1,
   "hours": {"weekly": {"tue": ["14:00-17:00"], "thu": ["14:00-17:00"]}},
   "rules": {"min_notice_minutes": 1440, "max_days_ahead": 30, "approval_required": true},
   "form": [{"name": "topic", "label": "咨询事项", "type": "text", "required": true, "max_length": 100}]}
])";
}  // namespace

void Convenience::seed_demo() {
    if (!host().query("SELECT 1 FROM convenience_services LIMIT 1").empty()) return;
    int64_t now = host().now_ms();
    host().tx([&] {
        for (const json& body : json::parse(kDemoServices)) {
            Service s = service_from_request(body, host());
            host().exec("INSERT INTO convenience_services(name, description, category, location, slot_minutes, capacity, "
                        "hours, rules, form, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)",
                        {s.name, s.description, s.category, s.location, s.slot_minutes, s.capacity, s.hours.to_json().dump(),
                         s.rules.to_json().dump(), s.form.dump(), now});
        }
    });
}

}  // namespace convenience
