// SPDX-License-Identifier: MIT
// The consent ledger (see wechat_consent.hpp).
#include "wechat_consent.hpp"

#include "time_util.hpp"

namespace yz::consent {
using nlohmann::json;

namespace {
void append(Conn& c, int64_t user_id, const std::string& template_id, int delta, const std::string& reason,
            int64_t outbox_id, int64_t now) {
    auto ins = c.prepare(
        "INSERT INTO core_wechat_consent(user_id, template_id, delta, reason, outbox_id, at) "
        "VALUES (?1, ?2, ?3, ?4, NULLIF(?5, 0), ?6)");
    ins->bind(1, user_id);
    ins->bind(2, template_id);
    ins->bind(3, delta);
    ins->bind(4, reason);
    ins->bind(5, outbox_id);
    ins->bind(6, now);
    ins->exec();
}
}  // namespace

int balance(Conn& c, int64_t user_id, const std::string& template_id) {
    auto core = c.enter_core();
    auto q = c.prepare("SELECT COALESCE(SUM(delta), 0) FROM core_wechat_consent WHERE user_id = ?1 AND template_id = ?2");
    q->bind(1, user_id);
    q->bind(2, template_id);
    q->executeStep();
    return q->getColumn(0).getInt();
}

void grant(Conn& c, int64_t user_id, const std::string& template_id, int count, const std::string& reason, int64_t now) {
    auto core = c.enter_core();
    c.write_tx([&] { append(c, user_id, template_id, count, reason, 0, now); });
}

bool reserve(Conn& c, int64_t user_id, const std::string& template_id, int64_t outbox_id, int64_t now) {
    auto core = c.enter_core();
    // BEGIN IMMEDIATE serialises writers, so check-then-insert cannot overdraw.
    return c.write_tx([&] {
        if (balance(c, user_id, template_id) <= 0) return false;
        append(c, user_id, template_id, -1, "send", outbox_id, now);
        return true;
    });
}

void refund(Conn& c, int64_t user_id, const std::string& template_id, int64_t outbox_id, int64_t now) {
    auto core = c.enter_core();
    c.write_tx([&] { append(c, user_id, template_id, 1, "refund", outbox_id, now); });
}

void zero(Conn& c, int64_t user_id, const std::string& template_id, const std::string& reason, int64_t now) {
    auto core = c.enter_core();
    c.write_tx([&] {
        int b = balance(c, user_id, template_id);
        if (b != 0) append(c, user_id, template_id, -b, reason, 0, now);
    });
}

void zero_all(Conn& c, int64_t user_id, const std::string& reason, int64_t now) {
    auto core = c.enter_core();
    c.write_tx([&] {
        json all = balances(c, user_id);  // named: items() must not outlive its object
        for (auto& [template_id, b] : all.items())
            if (b.get<int>() != 0) append(c, user_id, template_id, -b.get<int>(), reason, 0, now);
    });
}

json balances(Conn& c, int64_t user_id) {
    auto core = c.enter_core();
    auto q = c.prepare(
        "SELECT template_id, SUM(delta) FROM core_wechat_consent WHERE user_id = ?1 GROUP BY template_id ORDER BY template_id");
    q->bind(1, user_id);
    json out = json::object();
    while (q->executeStep()) out[q->getColumn(0).getString()] = q->getColumn(1).getInt();
    return out;
}

json entries(Conn& c, int64_t user_id) {
    auto core = c.enter_core();
    auto q = c.prepare(
        "SELECT template_id, delta, reason, outbox_id, at FROM core_wechat_consent WHERE user_id = ?1 ORDER BY id");
    q->bind(1, user_id);
    json out = json::array();
    while (q->executeStep())
        out.push_back({{"template_id", q->getColumn(0).getString()},
                       {"delta", q->getColumn(1).getInt()},
                       {"reason", q->getColumn(2).getString()},
                       {"outbox_id", q->getColumn(3).isNull() ? json(nullptr) : json(q->getColumn(3).getInt64())},
                       {"at", time::iso8601_beijing(q->getColumn(4).getInt64())}});
    return out;
}

}  // namespace yz::consent
