// SPDX-License-Identifier: MIT
// Projects (项目清单) and their posts (岗位清单) as staff define them, read from a request or a
// stored row, and shown to the mini-program. A post's time type decides what "its window" means:
//
//   shift    a fixed shift, starts_at..ends_at (check-in opens a little before the start)
//   window   any time within starts_at..ends_at (e.g. a month of 垃圾分类 guidance)
//   ongoing  no times at all (e.g. 楼栋联络员)
//
//     {"role": "路口文明劝导", "time_type": "shift", "starts_at": "2026-03-07T09:00:00+08:00",
//      "ends_at": "2026-03-07T11:00:00+08:00", "location": "幸福路口", "spots": 3,
//      "eligibility": {"members_only": true, "training": "交通安全培训", "min_age": 18, "max_age": 65},
//      "approval_required": false, "withdraw_cutoff_minutes": 1440}
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <yz/plugin.hpp>

namespace volunteer {

using yz::json;

struct Project {
    int64_t id = 0;
    int64_t year = 0;
    std::string title, description;
    std::string owner_station = "volunteer";
    bool unit_claimable = false;
    std::string state = "open";
};

struct Eligibility {
    bool members_only = false;
    std::string training;  // a training the volunteer must have completed; "" = none
    std::optional<int64_t> min_age, max_age;
};

struct Post {
    int64_t id = 0;
    int64_t project_id = 0;
    std::string role, description, location;
    std::string time_type = "ongoing";
    std::optional<int64_t> starts_at, ends_at;  // UTC ms; both set for shift and window
    int64_t spots = 1;
    Eligibility eligibility;
    bool approval_required = false;
    int64_t withdraw_cutoff_minutes = 24 * 60;
    std::string state = "open";

    bool timed() const { return starts_at && ends_at; }
    bool ended(int64_t now) const { return ends_at && now >= *ends_at; }
};

// Staff submissions; 422 invalid_project / invalid_post listing every problem.
Project project_from_request(const json& body);
Post post_from_request(const json& body);

// Stored rows (SELECT * FROM volunteer_projects / volunteer_posts).
Project project_from_row(const json& row);
Post post_from_row(const json& row);

json project_json(const Project& p);
// `places` is the capacity ledger's {capacity, taken, remaining} for the post.
json post_json(const Post& p, const json& places);

// The post's resource in the capacity ledger.
std::string post_resource(int64_t post_id);

}  // namespace volunteer
