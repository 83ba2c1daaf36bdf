// SPDX-License-Identifier: MIT
// Notify outbox: notify(user, template_key, data) writes a row in the caller's transaction, so a
// booking and its "booked" message commit together and a crash loses neither. A sender (the WeChat
// adapter) drains due rows; each row is claimed with a conditional UPDATE so two workers never send
// it twice, retried with exponential backoff, and dead-lettered after max_attempts.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "db.hpp"

namespace yz::outbox {

struct Job {
    int64_t id = 0;
    std::string station;
    int64_t user_id = 0;
    std::string template_key;
    nlohmann::json data;
    int attempts = 0;
};

enum class Outcome { sent, no_consent, refused, invalid, retry };

struct SendResult {
    Outcome outcome = Outcome::retry;
    int errcode = 0;
    std::string error;
};

using Sender = std::function<SendResult(const Job&)>;

int64_t enqueue(Conn& c, const std::string& station, int64_t user_id, const std::string& template_key,
                const nlohmann::json& data, int64_t now_ms);
// Sends what is due; returns how many rows were handled.
int run_due(Conn& c, const Sender& send, int64_t now_ms, int max_attempts = 8, int batch = 50);
// What an admin looks for in the outbox; empty or 0 means any.
struct Filter {
    std::string state;
    std::string station;
    std::string template_key;
    int64_t before_id = 0;  // pages backwards
    int limit = 50;
};
// Newest first.
nlohmann::json list(Conn& c, const Filter& f);
inline nlohmann::json list(Conn& c, const std::string& state, int64_t before_id, int limit) {
    return list(c, Filter{state, "", "", before_id, limit});
}
// How many rows are in each state: {"queued": 3, "dead": 1, ...} (states with none are left out).
nlohmann::json count_by_state(Conn& c);
// Puts a dead (or refused) row back in the queue; false if there is no such row.
bool retry(Conn& c, int64_t id, int64_t now_ms);

}  // namespace yz::outbox
