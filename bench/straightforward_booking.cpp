// SPDX-License-Identifier: MIT
// The baseline the 便民服务站 issue names for booking POST: a straightforward cpp-httplib +
// SQLiteCpp booking server, one SQLite write transaction per request. It takes the same requests
// as yizhan's booking route (bench/convenience.sh's wrk script: a bearer token, an
// Idempotency-Key, {"start": ...}) and keeps the same promises — a retry gets the first answer, a
// slot never takes more than its places, and a 201 is on disk first (WAL, synchronous=FULL: the
// commit syncs the log before it returns) — and nothing else: no sessions, rules, ledger, audit,
// notices or reminders. So yizhan's booking rate over this one's is what batching bookings into
// group commits buys, less what yizhan does per booking on top.
//   bench_straightforward_booking PORT THREADS DB_PATH PLACES_PER_SLOT
#include <httplib.h>

#include "listen_like_yizhan.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <cstdlib>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

int main(int argc, char** argv) {
    if (argc != 5) return 2;
    int port = std::atoi(argv[1]);
    size_t threads = static_cast<size_t>(std::atoi(argv[2]));
    int places = std::atoi(argv[4]);
    SQLite::Database db(argv[3], SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_FULLMUTEX);
    db.exec("PRAGMA journal_mode=WAL");
    db.exec("PRAGMA synchronous=FULL");
    db.exec("CREATE TABLE IF NOT EXISTS bookings (id INTEGER PRIMARY KEY, service_id INTEGER NOT NULL, "
            "slot_start TEXT NOT NULL, resident TEXT NOT NULL, idem_key TEXT NOT NULL, created_at INTEGER NOT NULL, "
            "UNIQUE (resident, idem_key))");
    db.exec("CREATE INDEX IF NOT EXISTS bookings_slot ON bookings(service_id, slot_start)");
    // One connection shared by the workers, so one request's transaction at a time under a mutex.
    std::mutex mu;

    httplib::Server svr;
    svr.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    svr.set_tcp_nodelay(true);
    svr.set_keep_alive_max_count(100);
    svr.Get("/readyz", [](const httplib::Request&, httplib::Response& res) { res.set_content("{}", "application/json"); });
    svr.Post(R"(/api/v1/stations/convenience/services/(\d+)/bookings)", [&](const httplib::Request& req, httplib::Response& res) {
        auto reply = [&res](int status, const nlohmann::json& body) {
            res.status = status;
            res.set_content(body.dump(), "application/json");
        };
        std::string resident = req.get_header_value("Authorization");
        std::string key = req.get_header_value("Idempotency-Key");
        auto body = nlohmann::json::parse(req.body, nullptr, false);
        if (resident.empty() || key.empty() || !body.is_object() || !body.contains("start") || !body["start"].is_string())
            return reply(400, {{"code", "bad_request"}});
        int64_t service = std::stoll(req.matches[1]);
        std::string start = body["start"];

        std::lock_guard lock(mu);
        SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
        SQLite::Statement earlier(db, "SELECT id, service_id, slot_start FROM bookings WHERE resident = ? AND idem_key = ?");
        earlier.bind(1, resident);
        earlier.bind(2, key);
        if (earlier.executeStep())  // the first answer again, from what was stored
            return reply(201, {{"id", earlier.getColumn(0).getInt64()}, {"service_id", earlier.getColumn(1).getInt64()},
                               {"start", earlier.getColumn(2).getString()}, {"state", "confirmed"}});
        SQLite::Statement taken(db, "SELECT count(*) FROM bookings WHERE service_id = ? AND slot_start = ?");
        taken.bind(1, service);
        taken.bind(2, start);
        taken.executeStep();
        if (taken.getColumn(0).getInt() >= places) return reply(409, {{"code", "slot_full"}});
        SQLite::Statement insert(db, "INSERT INTO bookings(service_id, slot_start, resident, idem_key, created_at) "
                                     "VALUES (?, ?, ?, ?, strftime('%s','now'))");
        insert.bind(1, service);
        insert.bind(2, start);
        insert.bind(3, resident);
        insert.bind(4, key);
        insert.exec();
        tx.commit();
        reply(201, {{"id", db.getLastInsertRowid()}, {"service_id", service}, {"start", start}, {"state", "confirmed"}});
    });
    return bench::listen_like_yizhan(svr, "127.0.0.1", port) ? 0 : 1;
}
