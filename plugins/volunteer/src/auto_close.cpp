// SPDX-License-Identifier: MIT
// Chapter 7: a check-in nobody closed. Each check-in schedules a durable job for a grace period
// after the moment it should have ended; if the volunteer has not checked out by then, the job
// closes it at that moment, logs the hours as pending and flags them, so staff decide rather than
// the volunteer's forgetfulness. The job reads the row afresh and does nothing if it was closed
// meanwhile: the scheduler runs a job at least once, not exactly once.
#include <algorithm>

#include <yz/calendar.hpp>

#include "station.hpp"

namespace volunteer {

// Where a check-in's window ends: a shift's end; a window's end or that day's midnight, whichever
// is first; an ongoing post's midnight (nobody serves past the day on one scan).
int64_t Volunteer::close_by(const Post& post, int64_t checked_in_at) const {
    int64_t midnight = yz::beijing_instant(yz::beijing_date(checked_in_at).plus_days(1), 0);
    if (post.time_type == "shift" && post.ends_at) return *post.ends_at;
    if (post.time_type == "window" && post.ends_at) return std::min(*post.ends_at, midnight);
    return midnight;
}

void Volunteer::auto_close(const json& payload) {
    int64_t id = payload.at("attendance_id").get<int64_t>();
    host().tx([&] {
        auto row = host().query_one("SELECT * FROM volunteer_attendance WHERE id = ?1", {id});
        if (!row || !(*row)["checked_out_at"].is_null()) return;
        Post post = load_post((*row)["post_id"]);
        close_attendance(*row, close_by(post, (*row)["checked_in_at"].get<int64_t>()), "auto", 0);
    });
}

}  // namespace volunteer
