// SPDX-License-Identifier: MIT
// Durable jobs: they survive a restart, run once when due, back off on failure, and are claimed
// by one runner only. Time is a fixed clock moved by the test.
#include <doctest/doctest.h>

#include <atomic>
#include <thread>

#include "../support/test_server.hpp"
#include "core_schema.hpp"
#include "scheduler.hpp"

using namespace yz;

namespace {
struct Env {
    test::TempDir dir;
    std::string path = dir.path + "/t.sqlite";
    time::Clock clock;
    Env() {
        clock.set_fixed(1'000'000);
        Database db(path, 5000);
        migrate_core(db.conn());
    }
};
}  // namespace

TEST_CASE("a job scheduled before a restart runs after it, once, when due") {
    Env env;
    int64_t id = 0;
    {
        Database db(env.path, 5000);
        Scheduler s(db, env.clock);
        id = s.schedule(db.conn(), "conv", "remind", 1'060'000, R"({"booking":7})", "");
    }  // the process "stops"
    Database db(env.path, 5000);
    Scheduler s(db, env.clock);
    std::vector<std::string> ran;
    s.set_resolver([&](const std::string& st, const std::string& kind) -> Scheduler::JobRunner {
        if (st != "conv" || kind != "remind") return nullptr;
        return [&](const std::string& payload) { ran.push_back(payload); return true; };
    }, [] { return std::vector<std::string>{"conv"}; });
    CHECK(s.run_due() == 0);  // not due yet
    env.clock.advance(60'000);
    CHECK(s.run_due() == 1);
    REQUIRE(ran.size() == 1);
    CHECK(ran[0] == R"({"booking":7})");
    CHECK(s.run_due() == 0);  // done is done
    auto q = db.conn().prepare("SELECT state FROM core_jobs WHERE id = ?1");
    q->bind(1, id);
    REQUIRE(q->executeStep());
    CHECK(q->getColumn(0).getString() == "done");
}

TEST_CASE("a dedupe key gives the same job, a cancelled job never runs") {
    Env env;
    Database db(env.path, 5000);
    Scheduler s(db, env.clock);
    int64_t a = s.schedule(db.conn(), "conv", "remind", 0, "{}", "booking-7-24h");
    int64_t b = s.schedule(db.conn(), "conv", "remind", 0, "{}", "booking-7-24h");
    CHECK(a == b);
    CHECK(s.cancel(db.conn(), "conv", a));
    CHECK_FALSE(s.cancel(db.conn(), "other", a));
    int runs = 0;
    s.set_resolver([&](const std::string&, const std::string&) -> Scheduler::JobRunner {
        return [&](const std::string&) { ++runs; return true; };
    }, [] { return std::vector<std::string>{"conv"}; });
    s.run_due();
    CHECK(runs == 0);
}

TEST_CASE("a failing job is retried later, and a station without a handler keeps its jobs") {
    Env env;
    Database db(env.path, 5000);
    Scheduler s(db, env.clock);
    s.schedule(db.conn(), "conv", "flaky", 0, "{}", "");
    s.schedule(db.conn(), "gone", "remind", 0, "{}", "");
    int attempts = 0;
    s.set_resolver([&](const std::string& st, const std::string&) -> Scheduler::JobRunner {
        if (st != "conv") return nullptr;
        return [&](const std::string&) { return ++attempts >= 2; };
    }, [] { return std::vector<std::string>{"conv", "gone"}; });
    CHECK(s.run_due() == 1);
    CHECK(attempts == 1);
    CHECK(s.run_due() == 0);  // backing off
    env.clock.advance(60'000);
    CHECK(s.run_due() == 1);
    CHECK(attempts == 2);
    auto q = db.conn().prepare("SELECT station, state FROM core_jobs ORDER BY id");
    REQUIRE(q->executeStep());
    CHECK(q->getColumn(1).getString() == "done");
    REQUIRE(q->executeStep());
    CHECK(q->getColumn(0).getString() == "gone");
    CHECK(q->getColumn(1).getString() == "due");
}

TEST_CASE("two runners racing for the same due jobs run each job once") {
    Env env;
    Database db(env.path, 5000);
    Scheduler a(db, env.clock), b(db, env.clock);
    for (int i = 0; i < 50; ++i) a.schedule(db.conn(), "conv", "remind", 0, "{}", "");
    std::atomic<int> runs{0};
    auto resolver = [&](const std::string&, const std::string&) -> Scheduler::JobRunner {
        return [&](const std::string&) { ++runs; return true; };
    };
    auto active = [] { return std::vector<std::string>{"conv"}; };
    a.set_resolver(resolver, active);
    b.set_resolver(resolver, active);
    std::thread t1([&] { a.run_due(); }), t2([&] { b.run_due(); });
    t1.join();
    t2.join();
    CHECK(runs == 50);
}

TEST_CASE("timers tick on the host's clock and stop when cancelled") {
    Env env;
    Database db(env.path, 5000);
    Scheduler s(db, env.clock);
    int ticks = 0, owner = 0;
    uint64_t id = s.add_timer(&owner, 1000, [&] { ++ticks; });
    s.run_timers();
    CHECK(ticks == 0);
    env.clock.advance(1000);
    s.run_timers();
    CHECK(ticks == 1);
    CHECK(s.cancel_timer(&owner, id));
    env.clock.advance(5000);
    s.run_timers();
    CHECK(ticks == 1);
}
