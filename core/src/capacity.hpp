// SPDX-License-Identifier: MIT
// Capacity ledger: places in named resources (a slot, a session, a post, a stock item).
//
// A resource has a capacity and a `taken` counter. reserve() takes a place with one conditional
// UPDATE (taken < capacity) inside the caller's IMMEDIATE transaction, so however many requests
// race, the counter never passes the capacity. A place is either held (counts against capacity
// until it expires or is confirmed) or confirmed. Every reservation carries an idempotency key:
// the same key returns the first answer; the same key for another resource or holder is a conflict.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "db.hpp"

namespace yz::capacity {

enum class Outcome { ok, full, conflict, not_found, expired };

struct Reservation {
    Outcome outcome = Outcome::ok;
    int64_t hold_id = 0;
    std::string state;      // held | confirmed | released
    bool replayed = false;  // the idempotency key had been used before
    int64_t remaining = 0;
};

struct Status {
    int64_t capacity = 0;
    int64_t taken = 0;
    int64_t remaining = 0;
};

// Creates the resource or changes its capacity (a lower capacity never cancels existing places).
void define(Conn& c, const std::string& station, const std::string& resource, int64_t capacity, int64_t now_ms);
// hold_ms 0 = confirmed at once; otherwise a hold that lapses unless confirmed in time.
Reservation reserve(Conn& c, const std::string& station, const std::string& resource,
                    const std::string& holder, const std::string& idem_key, int64_t hold_ms, int64_t now_ms);
Reservation confirm(Conn& c, const std::string& station, int64_t hold_id, int64_t now_ms);
Reservation release(Conn& c, const std::string& station, int64_t hold_id, int64_t now_ms);
std::optional<Status> status(Conn& c, const std::string& station, const std::string& resource, int64_t now_ms);
// Releases every lapsed hold; returns how many.
int sweep_expired(Conn& c, int64_t now_ms);

// The JSON face used by the plugin ABI (ops: define, reserve, confirm, release, status).
// Returns the yz_status code and fills result/error JSON.
int handle_op(Conn& c, const std::string& station, const std::string& op, const nlohmann::json& args,
              int64_t now_ms, nlohmann::json& result, std::string& error);

const char* outcome_name(Outcome o);

}  // namespace yz::capacity
