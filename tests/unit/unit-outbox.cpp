// SPDX-License-Identifier: MIT
// The notify outbox: durable rows, retries with backoff, dead letters, outcomes recorded.
#include <doctest/doctest.h>

#include "../support/test_server.hpp"
#include "core_schema.hpp"
#include "outbox.hpp"

using namespace yz;
using nlohmann::json;

namespace {
struct Box {
    test::TempDir dir;
    std::string path = dir.path + "/t.sqlite";
    Box() {
        Database db(path, 5000);
        migrate_core(db.conn());
    }
};
std::string state_of(Conn& c, int64_t id) {
    auto q = c.prepare("SELECT state FROM core_outbox WHERE id = ?1");
    q->bind(1, id);
    return q->executeStep() ? q->getColumn(0).getString() : "";
}
}  // namespace

TEST_CASE("a queued notification survives a restart and is sent once") {
    Box box;
    int64_t id;
    {
        Database db(box.path, 5000);
        id = outbox::enqueue(db.conn(), "conv", 7, "booking_confirmed", {{"time", "2026-11-23 09:00"}}, 1000);
    }
    Database db(box.path, 5000);
    int sends = 0;
    auto sender = [&](const outbox::Job& j) {
        ++sends;
        CHECK(j.template_key == "booking_confirmed");
        CHECK(j.data["time"] == "2026-11-23 09:00");
        return outbox::SendResult{outbox::Outcome::sent, 0, ""};
    };
    CHECK(outbox::run_due(db.conn(), sender, 1000) == 1);
    CHECK(outbox::run_due(db.conn(), sender, 100000) == 0);
    CHECK(sends == 1);
    CHECK(state_of(db.conn(), id) == "sent");
}

TEST_CASE("transient failures back off, after max attempts the row is dead and can be retried") {
    Box box;
    Database db(box.path, 5000);
    int64_t id = outbox::enqueue(db.conn(), "conv", 7, "t", json::object(), 0);
    auto failing = [](const outbox::Job&) { return outbox::SendResult{outbox::Outcome::retry, -1, "system busy"}; };
    int64_t now = 0;
    int handled = 0;
    for (int i = 0; i < 20 && state_of(db.conn(), id) == "queued"; ++i) {
        handled += outbox::run_due(db.conn(), failing, now, 3);
        now += 3'600'000;
    }
    CHECK(handled == 3);
    CHECK(state_of(db.conn(), id) == "dead");
    auto dead = outbox::list(db.conn(), "dead", 0, 10);
    REQUIRE(dead.size() == 1);
    CHECK(dead[0]["last_errcode"] == -1);
    CHECK(outbox::retry(db.conn(), id, now));
    CHECK(state_of(db.conn(), id) == "queued");
    CHECK_FALSE(outbox::retry(db.conn(), id, now));  // only dead or refused rows
}

TEST_CASE("final outcomes are recorded without retrying") {
    Box box;
    Database db(box.path, 5000);
    int64_t a = outbox::enqueue(db.conn(), "conv", 1, "t", json::object(), 0);
    int64_t b = outbox::enqueue(db.conn(), "conv", 2, "t", json::object(), 0);
    auto sender = [&](const outbox::Job& j) {
        return j.user_id == 1 ? outbox::SendResult{outbox::Outcome::no_consent, 0, ""}
                              : outbox::SendResult{outbox::Outcome::refused, 43101, "user refused"};
    };
    CHECK(outbox::run_due(db.conn(), sender, 0, 3) == 2);
    CHECK(state_of(db.conn(), a) == "no_consent");
    CHECK(state_of(db.conn(), b) == "refused");
    CHECK(outbox::run_due(db.conn(), sender, 10'000'000, 3) == 0);
}

TEST_CASE("a batch of due notices takes two commits, its claim and its outcomes, not two a notice") {
    Box box;
    Database db(box.path, 5000);
    for (int user = 1; user <= 20; ++user) outbox::enqueue(db.conn(), "conv", user, "t", json::object(), 0);
    auto sender = [](const outbox::Job& j) {
        return j.user_id % 2 ? outbox::SendResult{outbox::Outcome::sent, 0, ""}
                             : outbox::SendResult{outbox::Outcome::retry, -1, "system busy"};
    };
    uint64_t before = db.write_stats().commits;
    CHECK(outbox::run_due(db.conn(), sender, 0, 3) == 20);
    CHECK(db.write_stats().commits - before == 2);
    auto counts = outbox::count_by_state(db.conn());
    CHECK(counts["sent"] == 10);
    CHECK(counts["queued"] == 10);  // to be tried again after their backoff
    CHECK(outbox::run_due(db.conn(), sender, 0, 3) == 0);  // not yet due
}
