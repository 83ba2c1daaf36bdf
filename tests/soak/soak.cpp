// SPDX-License-Identifier: MIT
// Durability under SIGKILL: the real `yizhan serve` binary, as a child process, takes bookings,
// cancellations and volunteer claims from several clients over loopback HTTP while it is killed
// with SIGKILL at random moments and started again on the same data directory. At the end, read
// straight from the SQLite file:
//   - every booking, cancellation and claim that was answered 2xx is there, in the state it was
//     answered with;
//   - no slot and no post holds more than its capacity, and the capacity ledger agrees with the
//     station's rows;
//   - every acknowledged booking has its notice in the outbox and its audit line;
//   - no audit row seen after any restart changed or vanished later.
// YZ_SOAK_KILLS (default 6: the short version the test command runs) and YZ_SOAK_SEED tune it;
// tools/soak runs the long version (40 kills).
#include <doctest/doctest.h>

#include <httplib.h>

#include <SQLiteCpp/Database.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include <yz/calendar.hpp>

#include "../support/server_process.hpp"
#include "../support/test_server.hpp"

using nlohmann::json;
using namespace yz;

namespace {

constexpr int kClients = 6;
constexpr int kCapacity = 3;  // per slot and per post: small, so the races are real

int env_int(const char* name, int fallback) {
    const char* v = std::getenv(name);
    return v && *v ? std::atoi(v) : fallback;
}

struct Acked {
    std::mutex mu;
    std::map<int64_t, std::string> bookings;  // id → state answered last: confirmed | cancelled
    std::map<int64_t, std::string> claims;  // id → state answered last: pending | approved | withdrawn
    std::set<int64_t> withdraw_unanswered;
    std::set<int64_t> cancel_unanswered;  // a cancel sent without an answer: either state is right
    int refused = 0, unanswered = 0, server_errors = 0;
};

std::string beijing_day_iso(const Date& d, int minutes) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%sT%02d:%02d:00+08:00", d.str().c_str(), minutes / 60, minutes % 60);
    return buf;
}

// 64-bit digest of an audit row, to see it never changes.
std::string audit_row(SQLite::Statement& q) {
    std::string row;
    for (int i = 0; i < q.getColumnCount(); ++i) row += q.getColumn(i).getString() + "\x1f";
    return row;
}

}  // namespace

TEST_CASE("nothing acknowledged is lost and no capacity is exceeded across repeated SIGKILLs") {
    const int kills = env_int("YZ_SOAK_KILLS", 6);
    std::mt19937 rng(static_cast<unsigned>(env_int("YZ_SOAK_SEED", static_cast<int>(std::random_device{}()))));
    test::TempDir dir;
    std::string data = dir.path + "/data", config = dir.path + "/soak.json";
    std::ofstream(config) << json{{"server", {{"threads", 16}, {"rate_limit_per_minute", 100000000}, {"rate_limit_burst", 100000000}}},
                                  {"plugins", {{"stations", json::array({{{"id", "convenience"}}, {{"id", "volunteer"}}})}}},
                                  {"log_level", "warn"}}
                                .dump();

    // Set-up in process, on the same data directory: people, roles, sessions, a service, posts.
    Date tomorrow = beijing_date(std::chrono::duration_cast<std::chrono::milliseconds>(
                                     std::chrono::system_clock::now().time_since_epoch()).count()).plus_days(1);
    std::vector<std::string> residents;
    int64_t service = 0;
    std::vector<int64_t> posts;
    {
        test::TestServer s([&](Config& c) {
            c.data_dir = data;
            c.stations.push_back({"convenience", "libstation_convenience.so", true, json::object()});
            c.stations.push_back({"volunteer", "libstation_volunteer.so", true, json::object()});
            c.rate_limit_per_minute = 0;
        });
        std::string conv = s.login("soak-staff-c", {"staff:convenience"}), vol = s.login("soak-staff-v", {"staff:volunteer"});
        json every = json::array({"08:00-12:00"});
        auto r = s.post("/api/v1/stations/convenience/services",
                        {{"name", "压测服务"}, {"slot_minutes", 30}, {"capacity", kCapacity},
                         {"hours", {{"weekly", {{"mon", every}, {"tue", every}, {"wed", every}, {"thu", every}, {"fri", every}, {"sat", every}, {"sun", every}}}}},
                         {"rules", {{"min_notice_minutes", 0}, {"max_days_ahead", 30}, {"cancel_cutoff_minutes", 0}}}},
                        conv);
        REQUIRE_MESSAGE(r.status == 201, r.text);
        service = r.body["id"];
        auto p = s.post("/api/v1/stations/volunteer/projects", {{"year", tomorrow.year()}, {"title", "压测项目"}}, vol);
        REQUIRE_MESSAGE(p.status == 201, p.text);
        for (int i = 0; i < 4; ++i) {
            auto post = s.post("/api/v1/stations/volunteer/projects/" + p.body["id"].dump() + "/posts",
                               {{"role", "岗位" + std::to_string(i)}, {"time_type", "shift"}, {"spots", kCapacity},
                                {"starts_at", beijing_day_iso(tomorrow.plus_days(i), 9 * 60)},
                                {"ends_at", beijing_day_iso(tomorrow.plus_days(i), 11 * 60)}, {"location", "社区"}, {"withdraw_cutoff_minutes", 0}},
                               vol);
            REQUIRE_MESSAGE(post.status == 201, post.text);
            posts.push_back(post.body["id"]);
        }
        for (int i = 0; i < 24; ++i) {
            std::string token = s.login("soak-r" + std::to_string(i));
            REQUIRE(s.put("/api/v1/stations/volunteer/my/registration", {{"real_name", "居民" + std::to_string(i)}}, token).status == 201);
            residents.push_back(token);
        }
    }

    int port = test::free_loopback_port();
    test::ServerProcess server({"--config", config, "--dev"}, data, port);
    REQUIRE(server.start() == "");

    Acked acked;
    std::atomic<bool> stop{false};
    std::atomic<uint64_t> serial{0};
    std::vector<std::thread> clients;
    for (int t = 0; t < kClients; ++t)
        clients.emplace_back([&, t] {
            std::mt19937 my(static_cast<unsigned>(t * 7919 + 1));
            httplib::Client c("127.0.0.1", port);
            c.set_connection_timeout(0, 300'000);
            c.set_read_timeout(5, 0);
            // What this client made, with whose session: only they may cancel or withdraw it.
            std::vector<std::pair<int64_t, std::string>> mine, my_claims;
            while (!stop.load()) {
                std::string token = residents[my() % residents.size()];
                int what = static_cast<int>(my() % 10);
                std::pair<int64_t, std::string> own;  // for a cancel or a withdrawal: the thing and its owner
                if (what >= 5 && what < 7 && !mine.empty()) own = mine[my() % mine.size()];
                if (what == 9 && !my_claims.empty()) own = my_claims[my() % my_claims.size()];
                if (own.first) token = own.second;
                httplib::Headers h = {{"Authorization", "Bearer " + token}, {"Idempotency-Key", "soak-" + std::to_string(serial++)}};
                // status 0: no answer (the server was down or died mid-request)
                auto post = [&](const std::string& path, const std::string& body) -> std::pair<int, json> {
                    auto r = c.Post(path, h, body, "application/json");
                    if (!r) return {0, nullptr};
                    return {r->status, json::parse(r->body, nullptr, false)};
                };
                int status = 0;
                if (what < 5) {  // book one of 8 slots a day over a week
                    std::string start = beijing_day_iso(tomorrow.plus_days(static_cast<int>(my() % 7)), 8 * 60 + 30 * static_cast<int>(my() % 8));
                    auto [st, b] = post("/api/v1/stations/convenience/services/" + std::to_string(service) + "/bookings", json{{"start", start}}.dump());
                    status = st;
                    if (st == 201) {
                        std::lock_guard lock(acked.mu);
                        acked.bookings[b["id"].get<int64_t>()] = b["state"];
                        mine.emplace_back(b["id"].get<int64_t>(), token);
                        continue;
                    }
                } else if (what < 7 && own.first) {  // cancel one of this client's bookings
                    int64_t id = own.first;
                    auto [st, b] = post("/api/v1/stations/convenience/bookings/" + std::to_string(id) + "/cancel", "{}");
                    status = st;
                    if (st == 200) {
                        std::lock_guard lock(acked.mu);
                        acked.bookings[id] = "cancelled";
                        continue;
                    }
                    if (st == 0) {
                        std::lock_guard lock(acked.mu);
                        acked.cancel_unanswered.insert(id);
                    }
                } else if (what == 9 && own.first) {  // withdraw one of this client's claims
                    int64_t id = own.first;
                    auto [st, b] = post("/api/v1/stations/volunteer/claims/" + std::to_string(id) + "/withdraw", "{}");
                    status = st;
                    std::lock_guard lock(acked.mu);
                    if (st == 200) {
                        acked.claims[id] = "withdrawn";
                        continue;
                    }
                    if (st == 0) acked.withdraw_unanswered.insert(id);
                } else {  // claim a post (with the token of the resident drawn above)
                    auto [st, b] = post("/api/v1/stations/volunteer/posts/" + std::to_string(posts[my() % posts.size()]) + "/claims", "{}");
                    status = st;
                    if (st == 201) {
                        std::lock_guard lock(acked.mu);
                        acked.claims[b["id"].get<int64_t>()] = b["state"];
                        my_claims.emplace_back(b["id"].get<int64_t>(), token);
                        continue;
                    }
                }
                if (!status) std::this_thread::sleep_for(std::chrono::milliseconds(1));  // pacing while it is down
                std::lock_guard lock(acked.mu);
                if (status >= 500) ++acked.server_errors;
                else if (status) ++acked.refused;
                else ++acked.unanswered;
            }
        });

    // Kill at random moments; after each death, remember every audit row the file holds.
    std::map<int64_t, std::string> audit_seen;
    std::string db_path = data + "/yizhan.sqlite";
    auto remember_audit = [&] {
        SQLite::Database db(db_path, SQLite::OPEN_READONLY);
        SQLite::Statement q(db, "SELECT * FROM core_audit ORDER BY id");
        while (q.executeStep()) audit_seen[q.getColumn(0).getInt64()] = audit_row(q);
    };
    for (int k = 0; k < kills; ++k) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100 + rng() % 400));  // a random moment, not a wait for a result
        server.kill_now();
        remember_audit();
        REQUIRE(server.start() == "");
    }
    stop = true;
    for (auto& t : clients) t.join();
    server.kill_now();

    SQLite::Database db(db_path, SQLite::OPEN_READONLY);
    auto count = [&](const std::string& sql) { return db.execAndGet(sql).getInt64(); };
    INFO("acknowledged: " << acked.bookings.size() << " bookings, " << acked.claims.size() << " claims; refused "
                          << acked.refused << ", unanswered " << acked.unanswered);
    MESSAGE("after " << kills << " kills: " << acked.bookings.size() << " bookings and " << acked.claims.size()
                      << " claims acknowledged, " << acked.refused << " refused, " << acked.unanswered << " unanswered, "
                      << acked.server_errors << " 5xx");
    CHECK(acked.server_errors == 0);
    REQUIRE(acked.bookings.size() > 0);
    REQUIRE(acked.claims.size() > 0);

    // Every acknowledged booking is there in the state it was answered with, with its notice and audit line.
    int lost = 0, wrong_state = 0, no_notice = 0, no_audit = 0;
    for (const auto& [id, state] : acked.bookings) {
        SQLite::Statement q(db, "SELECT state FROM convenience_bookings WHERE id = ?1");
        q.bind(1, id);
        if (!q.executeStep()) {
            ++lost;
            continue;
        }
        std::string stored = q.getColumn(0).getString();
        bool maybe_cancelled = state == "confirmed" && acked.cancel_unanswered.count(id) && stored == "cancelled";
        if (stored != state && !maybe_cancelled) {
            ++wrong_state;
            MESSAGE("booking " << id << " answered " << state << ", stored " << stored);
        }
        SQLite::Statement n(db, "SELECT count(*) FROM core_outbox WHERE template_key = 'convenience.booked' AND json_extract(data, '$.booking_id') = ?1");
        n.bind(1, id);
        n.executeStep();
        if (n.getColumn(0).getInt64() != 1) ++no_notice;
        SQLite::Statement a(db, "SELECT count(*) FROM core_audit WHERE action = 'booking.create' AND record_id = ?1");
        a.bind(1, std::to_string(id));
        a.executeStep();
        if (a.getColumn(0).getInt64() != 1) ++no_audit;
    }
    CHECK(lost == 0);
    CHECK(wrong_state == 0);
    CHECK(no_notice == 0);
    CHECK(no_audit == 0);
    int claims_lost = 0, claims_wrong = 0;
    for (const auto& [id, state] : acked.claims) {
        SQLite::Statement q(db, "SELECT state FROM volunteer_claims WHERE id = ?1");
        q.bind(1, id);
        if (!q.executeStep()) {
            ++claims_lost;
            continue;
        }
        std::string stored = q.getColumn(0).getString();
        bool maybe_withdrawn = state != "withdrawn" && acked.withdraw_unanswered.count(id) && stored == "withdrawn";
        if (stored != state && !maybe_withdrawn) {
            ++claims_wrong;
            MESSAGE("claim " << id << " answered " << state << ", stored " << stored);
        }
    }
    CHECK(claims_lost == 0);
    CHECK(claims_wrong == 0);

    // Never over capacity; the ledger and the station's rows agree.
    CHECK(count("SELECT count(*) FROM (SELECT slot_start FROM convenience_bookings WHERE state IN ('pending', 'confirmed', 'checked_in') "
                "GROUP BY service_id, slot_start HAVING count(*) > " + std::to_string(kCapacity) + ")") == 0);
    CHECK(count("SELECT count(*) FROM (SELECT post_id FROM volunteer_claims WHERE state IN ('pending', 'approved') "
                "GROUP BY post_id HAVING count(*) > " + std::to_string(kCapacity) + ")") == 0);
    CHECK(count("SELECT count(*) FROM core_capacity_resources WHERE taken > capacity") == 0);
    CHECK(count("SELECT count(*) FROM core_capacity_resources r WHERE r.station = 'convenience' AND r.taken != "
                "(SELECT count(*) FROM convenience_bookings b WHERE 'svc:' || b.service_id || ':' || b.slot_start = r.resource "
                "AND b.state IN ('pending', 'confirmed', 'checked_in'))") == 0);

    // Audit rows seen after any crash are still there, unchanged.
    int changed = 0;
    SQLite::Statement q(db, "SELECT * FROM core_audit ORDER BY id");
    std::map<int64_t, std::string> now;
    while (q.executeStep()) now[q.getColumn(0).getInt64()] = audit_row(q);
    for (const auto& [id, row] : audit_seen) changed += now.count(id) && now[id] == row ? 0 : 1;
    CHECK(audit_seen.size() > 0);
    CHECK(changed == 0);
}
