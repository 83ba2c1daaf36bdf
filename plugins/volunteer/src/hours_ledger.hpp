// SPDX-License-Identifier: MIT
// The hours ledger, append-only (the table's triggers refuse UPDATE and DELETE). A record of
// service starts as one 'logged' entry — pending — written when a shift closes or staff log a
// walk-in. Every decision after it is a new entry that names the entry it supersedes, who made
// it and why:
//
//   #7 logged 120 min (shift)  ◀── #9 approved 120 min (王)  ◀── #12 adjusted 90 min (李: 提前离岗)
//
// A record's status is its latest entry's: pending, approved (approved or adjusted), declined.
// Decisions are made inside one transaction that reads the head first, so two staff deciding at
// once are served one after the other and the second sees the first's entry. refers_to is unique
// besides, so a record's entries form one line whatever happens.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <yz/calendar.hpp>
#include <yz/plugin.hpp>

namespace volunteer {

using yz::json;

struct LoggedHours {
    int64_t user_id = 0;
    int64_t project_id = 0;
    std::optional<int64_t> post_id, attendance_id;
    yz::Date service_date;
    std::optional<int64_t> started_at, ended_at;  // UTC ms; a walk-in may give only minutes
    int64_t minutes = 0;
    std::string source;  // shift | walk_in | auto_closed
    bool flagged = false;
    std::string note;
    int64_t actor_user_id = 0;  // 0 = the scheduler
};

// Appends a record's first entry; returns the record id (that entry's id). Inside host().tx.
int64_t log_hours(const yz::Host& host, const LoggedHours& h);

// A record as kRecordSelect shows it, or nullopt.
std::optional<json> find_record(const yz::Host& host, int64_t record_id);

// Appends a decision — approved, adjusted or declined — superseding the record's head; returns
// the new entry's id. 409 hours_changed if another decision got there first. Inside host().tx.
int64_t append_decision(const yz::Host& host, const json& record, const std::string& kind, int64_t minutes,
                        const std::string& reason, int64_t actor_user_id);

// Every entry of a record, oldest first, for the record's history.
json record_entries(const yz::Host& host, int64_t record_id);

}  // namespace volunteer
