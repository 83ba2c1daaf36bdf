// SPDX-License-Identifier: MIT
// msg_sec_check v2 for residents' text, failing closed into review (see wechat_screening.hpp).
#include "wechat_screening.hpp"

#include <vector>

#include "app.hpp"
#include "audit.hpp"
#include "log.hpp"
#include "wechat_service.hpp"

namespace yz {
using nlohmann::json;

const char* verdict_name(ScreenVerdict v) {
    switch (v) {
        case ScreenVerdict::pass: return "pass";
        case ScreenVerdict::risky: return "risky";
        case ScreenVerdict::review: return "review";
    }
    return "review";
}

ScreenResult screen_text(App& app, int64_t user_id, std::string_view text, wechat::SecScene scene) {
    ScreenResult out;
    WechatService* w = app.wechat();
    if (!w || text.empty()) return out;
    auto openid = w->openid_of(user_id);
    if (!openid) return out;
    wechat::SecCheckRequest req;
    req.openid = *openid;
    req.scene = scene;
    req.content = std::string(text);
    auto r = w->tokens().with_token([&](const std::string& token) { return w->client().msg_sec_check(token, req); });
    if (!r.ok()) {
        log::warn("wechat_screening_failed_closed", {{"user_id", user_id}, {"errcode", r.status.errcode},
                                                     {"action", std::string(wechat::to_string(r.status.action))}});
        return out;
    }
    out.checked = true;
    out.label = r.value.label;
    out.trace_id = r.value.trace_id;
    out.verdict = r.value.suggest == wechat::SecSuggest::pass    ? ScreenVerdict::pass
                  : r.value.suggest == wechat::SecSuggest::risky ? ScreenVerdict::risky
                                                                 : ScreenVerdict::review;
    if (out.verdict == ScreenVerdict::risky) {
        audit::Entry e;
        e.actor = {{"system", "text_screening"}};
        e.action = "wechat.text_risky";
        e.record_type = "user";
        e.record_id = std::to_string(user_id);
        e.detail = {{"label", out.label}, {"trace_id", out.trace_id}, {"scene", static_cast<int>(scene)}};
        audit::record(app.db().conn(), e, app.clock().now_ms());
    }
    return out;
}

int screen_pending_messages(App& app, int max) {
    Conn& c = app.db().conn();
    auto core = c.enter_core();
    struct Pending {
        int64_t id, user_id;
        std::string content;
    };
    std::vector<Pending> todo;
    {
        auto q = c.prepare("SELECT id, user_id, content FROM core_wechat_messages WHERE state = 'pending' ORDER BY id LIMIT ?1");
        q->bind(1, max);
        while (q->executeStep())
            todo.push_back({q->getColumn(0).getInt64(), q->getColumn(1).getInt64(), q->getColumn(2).getString()});
    }
    for (const auto& p : todo) {
        ScreenResult r = screen_text(app, p.user_id, p.content, wechat::SecScene::comment);
        const char* state = r.verdict == ScreenVerdict::pass ? "visible" : r.verdict == ScreenVerdict::risky ? "rejected" : "review";
        c.write_tx([&] {
            auto up = c.prepare(
                "UPDATE core_wechat_messages SET state = ?2, label = NULLIF(?3, 0), trace_id = NULLIF(?4, ''), screened_at = ?5 "
                "WHERE id = ?1 AND state = 'pending'");
            up->bind(1, p.id);
            up->bind(2, state);
            up->bind(3, r.label);
            up->bind(4, r.trace_id);
            up->bind(5, app.clock().now_ms());
            up->exec();
        });
    }
    return static_cast<int>(todo.size());
}

}  // namespace yz
