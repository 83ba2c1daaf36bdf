// SPDX-License-Identifier: MIT
#include "audit.hpp"

#include "time_util.hpp"

namespace yz::audit {
using nlohmann::json;

int64_t record(Conn& conn, const Entry& e, int64_t now_ms) {
    auto core = conn.enter_core();
    return conn.write_tx([&] {
        auto ins = conn.prepare(
            "INSERT INTO core_audit(at, actor_user_id, actor, station, action, record_type, record_id, detail) "
            "VALUES (?1, NULLIF(?2, 0), ?3, ?4, ?5, ?6, ?7, ?8)");
        ins->bind(1, now_ms);
        ins->bind(2, e.actor_user_id);
        ins->bind(3, e.actor.dump());
        ins->bind(4, e.station);
        ins->bind(5, e.action);
        ins->bind(6, e.record_type);
        ins->bind(7, e.record_id);
        ins->bind(8, e.detail.dump());
        ins->exec();
        return conn.last_insert_id();
    });
}

Entry about_self(int64_t user_id, std::string action) {
    Entry e;
    e.actor_user_id = user_id;
    e.actor = {{"user_id", user_id}};
    e.action = std::move(action);
    e.record_type = "user";
    e.record_id = std::to_string(user_id);
    return e;
}

json list(Conn& conn, const Filter& f) {
    auto core = conn.enter_core();
    // An action prefix is compared with substr, not LIKE: action names are full of '_', a LIKE wildcard.
    auto q = conn.prepare(
        "SELECT id, at, actor_user_id, actor, station, action, record_type, record_id, detail FROM core_audit "
        "WHERE (?1 = '' OR station = ?1) AND (?2 = '' OR record_type = ?2) AND (?3 = '' OR record_id = ?3) "
        "AND (?4 = '' OR action = ?4 OR substr(action, 1, length(?4) + 1) = ?4 || '.') "
        "AND (?5 < 0 OR COALESCE(actor_user_id, 0) = ?5) AND (?6 = 0 OR at >= ?6) AND (?7 = 0 OR at < ?7) "
        "AND (?8 = 0 OR id < ?8) ORDER BY id DESC LIMIT ?9");
    q->bind(1, f.station);
    q->bind(2, f.record_type);
    q->bind(3, f.record_id);
    q->bind(4, f.action);
    q->bind(5, f.actor_user_id.value_or(-1));
    q->bind(6, f.from_ms);
    q->bind(7, f.to_ms);
    q->bind(8, f.before_id);
    q->bind(9, f.limit);
    json out = json::array();
    while (q->executeStep()) {
        out.push_back({{"id", q->getColumn(0).getInt64()},
                       {"at", time::iso8601_beijing(q->getColumn(1).getInt64())},
                       {"actor_user_id", q->getColumn(2).isNull() ? json(nullptr) : json(q->getColumn(2).getInt64())},
                       {"actor", json::parse(q->getColumn(3).getString(), nullptr, false)},
                       {"station", q->getColumn(4).getString()},
                       {"action", q->getColumn(5).getString()},
                       {"record_type", q->getColumn(6).getString()},
                       {"record_id", q->getColumn(7).getString()},
                       {"detail", json::parse(q->getColumn(8).getString(), nullptr, false)}});
    }
    return out;
}

}  // namespace yz::audit
