// SPDX-License-Identifier: MIT
// The WeChat routes: login, phone, the caller's subscribe consent, the push endpoint, and the
// staff view of customer-service messages. They are always declared (the OpenAPI document does not
// depend on deployment); without WeChat configured they answer 503 wechat_unavailable.
#include "app.hpp"
#include "time_util.hpp"
#include "wechat_consent.hpp"
#include "wechat_handlers.hpp"
#include "wechat_service.hpp"

namespace yz {
using nlohmann::json;

namespace {

// POST /api/v1/me/subscriptions {"results": {"<template id>": "accept" | "reject" | "ban" | "filter"}}
// — the success result of wx.requestSubscribeMessage, forwarded by the mini-program. Each accept
// of a template in our registry is one credit.
void report_subscriptions(RequestCtx& ctx) {
    const Principal& me = ctx.user();
    WechatService& w = wechat_or_503(ctx);
    const json& b = ctx.body;
    if (!b.contains("results") || !b["results"].is_object() || b["results"].empty())
        throw bad_field("results", "missing_field", "缺少订阅结果");
    if (b["results"].size() > 10) throw bad_field("results", "invalid_field", "一次最多上报 10 个模板");
    std::vector<std::string> accepted;
    for (auto& [tmpl, status] : b["results"].items()) {
        if (!status.is_string()) throw bad_field("results." + tmpl, "invalid_field", "订阅结果格式不正确");
        if (!w.config().by_template_id(tmpl)) throw bad_field("results." + tmpl, "unknown_template", "没有这个消息模板");
        std::string s = status;
        if (s != "accept" && s != "reject" && s != "ban" && s != "filter")
            throw bad_field("results." + tmpl, "invalid_field", "订阅结果格式不正确");
        if (s == "accept") accepted.push_back(tmpl);
    }
    Conn& c = ctx.app.db().conn();
    int64_t now = ctx.app.clock().now_ms();
    c.write_tx([&] {
        for (const auto& t : accepted) consent::grant(c, me.user_id, t, 1, "client_accept", now);
    });
    ctx.json(200, json{{"credits", consent::balances(c, me.user_id)}});
}

void list_subscriptions(RequestCtx& ctx) {
    const Principal& me = ctx.user();
    ctx.json(200, json{{"credits", consent::balances(ctx.app.db().conn(), me.user_id)}});
}

// Customer-service messages for staff, newest first; `state` filters (pending/visible/review/rejected).
void list_messages(RequestCtx& ctx) {
    std::string state = ctx.query("state").value_or("");
    if (!state.empty() && state != "pending" && state != "visible" && state != "review" && state != "rejected")
        throw bad_field("state", "invalid_field", "state 取值不正确");
    Conn& c = ctx.app.db().conn();
    auto core = c.enter_core();
    auto q = c.prepare(
        "SELECT id, user_id, kind, content, msg_id, state, label, received_at FROM core_wechat_messages "
        "WHERE (?1 = '' OR state = ?1) AND state <> 'erased' ORDER BY id DESC LIMIT 200");
    q->bind(1, state);
    json items = json::array();
    while (q->executeStep()) {
        std::string st = q->getColumn(5).getString();
        items.push_back({{"id", q->getColumn(0).getInt64()},
                         {"user_id", q->getColumn(1).getInt64()},
                         {"kind", q->getColumn(2).getString()},
                         // Not yet screened or refused: staff see that there is a message, not its text.
                         {"content", st == "pending" || st == "rejected" ? json(nullptr) : json(q->getColumn(3).getString())},
                         {"msg_id", q->getColumn(4).isNull() ? json(nullptr) : json(q->getColumn(4).getString())},
                         {"state", st},
                         {"label", q->getColumn(6).isNull() ? json(nullptr) : json(q->getColumn(6).getInt())},
                         {"received_at", time::iso8601_beijing(q->getColumn(7).getInt64())}});
    }
    ctx.json(200, json{{"items", items}});
}

}  // namespace

void add_wechat_routes(App& app, std::vector<Route>& r) {
    (void)app;
    r.push_back(core_route("POST", "/api/v1/auth/login", "public", "Log in with a wx.login code", handle_wechat_login));
    r.push_back(core_route("POST", "/api/v1/auth/phone", "user", "Store the caller's phone number (button code or encryptedData)",
                           handle_wechat_phone));
    r.push_back(core_route("POST", "/api/v1/me/subscriptions", "user", "Report wx.requestSubscribeMessage results",
                           report_subscriptions));
    r.push_back(core_route("GET", "/api/v1/me/subscriptions", "user", "The caller's subscribe-message credits",
                           list_subscriptions));
    // WeChat's pushes: public, authenticated by signature; the body is XML or JSON, taken raw.
    Route get_push = core_route("GET", "/wechat/push", "public", "WeChat push URL verification", handle_wechat_push);
    Route post_push = core_route("POST", "/wechat/push", "public", "WeChat pushes (signed, usually encrypted)", handle_wechat_push);
    get_push.raw_body = post_push.raw_body = true;
    r.push_back(std::move(get_push));
    r.push_back(std::move(post_push));
    r.push_back(core_route("GET", "/api/v1/admin/wechat/messages", "admin", "Customer-service messages (screened)", list_messages));
}

}  // namespace yz
