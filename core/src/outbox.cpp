// SPDX-License-Identifier: MIT
#include "outbox.hpp"

#include <algorithm>
#include <vector>

#include "time_util.hpp"

namespace yz::outbox {
using nlohmann::json;

namespace {
const char* state_of(Outcome o) {
    switch (o) {
        case Outcome::sent: return "sent";
        case Outcome::no_consent: return "no_consent";
        case Outcome::refused: return "refused";
        case Outcome::invalid: return "invalid";
        case Outcome::retry: return "queued";
    }
    return "queued";
}
constexpr int64_t kLeaseMs = 60'000;  // a claimed row is retried if its sender died mid-send
}  // namespace

int64_t enqueue(Conn& c, const std::string& station, int64_t user_id, const std::string& template_key,
                const json& data, int64_t now) {
    auto core = c.enter_core();
    return c.write_tx([&] {
        auto ins = c.prepare(
            "INSERT INTO core_outbox(station, user_id, template_key, data, next_attempt_at, created_at, updated_at) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?5)");
        ins->bind(1, station);
        ins->bind(2, user_id);
        ins->bind(3, template_key);
        ins->bind(4, data.dump());
        ins->bind(5, now);
        ins->exec();
        return c.last_insert_id();
    });
}

// Two transactions a batch, not two a row: the claim of every due row, then, after the sends, every
// outcome. (A booking rush queues a notice a booking; a commit per row would take the write gate
// from the bookings as often as the bookings themselves.) A crash between the two resends the
// rows sent so far once their lease runs out — at least once, as a crash between one row's send
// and its record always did.
int run_due(Conn& c, const Sender& send, int64_t now, int max_attempts, int batch) {
    auto core = c.enter_core();
    std::vector<Job> due;
    {
        auto q = c.prepare(
            "SELECT id, station, user_id, template_key, data, attempts FROM core_outbox "
            "WHERE state = 'queued' AND next_attempt_at <= ?1 ORDER BY next_attempt_at LIMIT ?2");
        q->bind(1, now);
        q->bind(2, batch);
        while (q->executeStep())
            due.push_back(Job{q->getColumn(0).getInt64(), q->getColumn(1).getString(), q->getColumn(2).getInt64(),
                              q->getColumn(3).getString(), json::parse(q->getColumn(4).getString(), nullptr, false),
                              q->getColumn(5).getInt()});
    }
    if (due.empty()) return 0;
    std::vector<Job> jobs = c.write_tx([&] {
        std::vector<Job> claimed;
        for (Job& job : due) {
            auto up = c.prepare(
                "UPDATE core_outbox SET attempts = attempts + 1, next_attempt_at = ?2, updated_at = ?3 "
                "WHERE id = ?1 AND state = 'queued' AND next_attempt_at <= ?3");
            up->bind(1, job.id);
            up->bind(2, now + kLeaseMs);
            up->bind(3, now);
            if (up->exec() == 1) claimed.push_back(std::move(job));  // else another worker has it
        }
        return claimed;
    });
    struct Result {
        int64_t id;
        std::string state;
        int64_t next;
        SendResult r;
    };
    std::vector<Result> results;
    for (Job& job : jobs) {
        ++job.attempts;
        SendResult r;
        try {
            r = send(job);
        } catch (const std::exception& e) {
            r = SendResult{Outcome::retry, 0, e.what()};
        }
        std::string state = state_of(r.outcome);
        int64_t next = now;
        if (r.outcome == Outcome::retry) {
            if (job.attempts >= max_attempts) state = "dead";
            else next = now + std::min<int64_t>(3'600'000, 1000LL << std::min(job.attempts, 20));
        }
        results.push_back(Result{job.id, std::move(state), next, std::move(r)});
    }
    if (!results.empty())
        c.write_tx([&] {
            for (const Result& res : results) {
                auto up = c.prepare(
                    "UPDATE core_outbox SET state = ?2, next_attempt_at = ?3, last_errcode = ?4, last_error = ?5, "
                    "updated_at = ?6 WHERE id = ?1");
                up->bind(1, res.id);
                up->bind(2, res.state);
                up->bind(3, res.next);
                up->bind(4, res.r.errcode);
                up->bind(5, res.r.error);
                up->bind(6, now);
                up->exec();
            }
        });
    return static_cast<int>(results.size());
}

json list(Conn& c, const Filter& f) {
    auto core = c.enter_core();
    auto q = c.prepare(
        "SELECT id, station, user_id, template_key, data, state, attempts, last_errcode, last_error, created_at, updated_at "
        "FROM core_outbox WHERE (?1 = '' OR state = ?1) AND (?2 = '' OR station = ?2) AND (?3 = '' OR template_key = ?3) "
        "AND (?4 = 0 OR id < ?4) ORDER BY id DESC LIMIT ?5");
    q->bind(1, f.state);
    q->bind(2, f.station);
    q->bind(3, f.template_key);
    q->bind(4, f.before_id);
    q->bind(5, f.limit);
    json out = json::array();
    while (q->executeStep()) {
        out.push_back({{"id", q->getColumn(0).getInt64()},
                       {"station", q->getColumn(1).getString()},
                       {"user_id", q->getColumn(2).getInt64()},
                       {"template_key", q->getColumn(3).getString()},
                       {"data", json::parse(q->getColumn(4).getString(), nullptr, false)},
                       {"state", q->getColumn(5).getString()},
                       {"attempts", q->getColumn(6).getInt()},
                       {"last_errcode", q->getColumn(7).isNull() ? json(nullptr) : json(q->getColumn(7).getInt())},
                       {"last_error", q->getColumn(8).isNull() ? json(nullptr) : json(q->getColumn(8).getString())},
                       {"created_at", time::iso8601_beijing(q->getColumn(9).getInt64())},
                       {"updated_at", time::iso8601_beijing(q->getColumn(10).getInt64())}});
    }
    return out;
}

json count_by_state(Conn& c) {
    auto core = c.enter_core();
    auto q = c.prepare("SELECT state, count(*) FROM core_outbox GROUP BY state");
    json out = json::object();
    while (q->executeStep()) out[q->getColumn(0).getString()] = q->getColumn(1).getInt64();
    return out;
}

bool retry(Conn& c, int64_t id, int64_t now) {
    auto core = c.enter_core();
    return c.write_tx([&] {
        auto up = c.prepare(
            "UPDATE core_outbox SET state = 'queued', attempts = 0, next_attempt_at = ?2, updated_at = ?2 "
            "WHERE id = ?1 AND state IN ('dead', 'refused')");
        up->bind(1, id);
        up->bind(2, now);
        return up->exec() == 1;
    });
}

}  // namespace yz::outbox
