// SPDX-License-Identifier: MIT
// GET/POST /wechat/push: WeChat's server-to-server pushes (PROTOCOL §5), verified by the adapter's
// PushVerifier (signature or msg_signature, timestamp window, replay cache, decryption, appid).
// A refused push stores nothing. An accepted one is applied in one transaction together with its
// dedupe key, so a re-sent push is applied once and a failed one can be re-sent: popup accepts add
// consent credits, a change to "reject" zeroes them, sent events mark the delivery (and the outbox
// row's last error when delivery failed), and customer-service messages are stored for staff —
// free text as `pending` until text screening (wechat_screening.hpp) runs on the scheduler.
// Nothing slow happens here, so WeChat gets its `success` at once.
#include <httplib.h>

#include <variant>

#include "app.hpp"
#include "log.hpp"
#include "wechat_consent.hpp"
#include "wechat_handlers.hpp"
#include "wechat_service.hpp"

namespace yz {
using nlohmann::json;

namespace {

void store_message(Conn& c, int64_t user_id, const std::string& kind, const std::string& content,
                   const std::string& msg_id, const std::string& state, int64_t now) {
    auto ins = c.prepare(
        "INSERT INTO core_wechat_messages(user_id, kind, content, msg_id, state, received_at) "
        "VALUES (?1, ?2, ?3, NULLIF(?4, ''), ?5, ?6)");
    ins->bind(1, user_id);
    ins->bind(2, kind);
    ins->bind(3, content);
    ins->bind(4, msg_id);
    ins->bind(5, state);
    ins->bind(6, now);
    ins->exec();
}

void record_sent_result(Conn& c, int64_t user_id, const wechat::SubscribeSendResult& r, int64_t now) {
    // The oldest delivery of this template to this user still waiting for its report.
    int64_t outbox_id = 0;
    {
        auto q = c.prepare(
            "SELECT outbox_id FROM core_wechat_deliveries WHERE user_id = ?1 AND template_id = ?2 AND status = 'sent' "
            "ORDER BY outbox_id LIMIT 1");
        q->bind(1, user_id);
        q->bind(2, r.template_id);
        if (!q->executeStep()) return;  // not identifiable: nothing to mark
        outbox_id = q->getColumn(0).getInt64();
    }
    auto up = c.prepare(
        "UPDATE core_wechat_deliveries SET status = ?2, error_code = ?3, error_status = ?4, msg_id = ?5, reported_at = ?6 "
        "WHERE outbox_id = ?1");
    up->bind(1, outbox_id);
    up->bind(2, r.delivered() ? "delivered" : "failed");
    up->bind(3, r.error_code);
    up->bind(4, r.error_status);
    up->bind(5, r.msg_id);
    up->bind(6, now);
    up->exec();
    if (r.delivered()) return;
    auto ob = c.prepare("UPDATE core_outbox SET last_errcode = ?2, last_error = ?3, updated_at = ?4 WHERE id = ?1");
    ob->bind(1, outbox_id);
    ob->bind(2, r.error_code);
    ob->bind(3, "delivery failed: " + r.error_status);
    ob->bind(4, now);
    ob->exec();
}

struct Apply {
    Conn& c;
    int64_t user_id;
    int64_t now;
    const wechat::PushMessage& msg;

    void operator()(const wechat::SubscribePopupEvent& e) const {
        for (const auto& d : e.decisions)
            if (d.accepted()) consent::grant(c, user_id, d.template_id, 1, "popup_accept", now);
    }
    void operator()(const wechat::SubscribeChangeEvent& e) const {
        for (const auto& d : e.decisions)
            if (d.status == "reject") consent::zero(c, user_id, d.template_id, "change_reject", now);
    }
    void operator()(const wechat::SubscribeSentEvent& e) const {
        for (const auto& r : e.results) record_sent_result(c, user_id, r, now);
    }
    void operator()(const wechat::EnterTempSessionEvent& e) const {
        store_message(c, user_id, "enter_session", e.session_from, "", "visible", now);
    }
    void operator()(const wechat::TextMessage& m) const { store_message(c, user_id, "text", m.content, m.msg_id, "pending", now); }
    void operator()(const wechat::ImageMessage& m) const {
        // Images are not text: a person looks first.
        store_message(c, user_id, "image", m.pic_url, m.msg_id, "review", now);
    }
    void operator()(const wechat::MiniProgramPageMessage& m) const {
        store_message(c, user_id, "miniprogrampage", m.title + " " + m.page_path, m.msg_id, "visible", now);
    }
    void operator()(const wechat::OtherPush&) const {}
};

}  // namespace

bool apply_push(WechatService& w, const wechat::PushMessage& msg) {
    App& app = w.app();
    Conn& c = app.db().conn();
    auto core = c.enter_core();
    int64_t now = app.clock().now_ms();
    return c.write_tx([&] {
        // WeChat re-sends within minutes; a week of dedupe keys is ample.
        auto purge = c.prepare("DELETE FROM core_wechat_push_seen WHERE received_at < ?1");
        purge->bind(1, static_cast<int64_t>(now - 7LL * 24 * 3600 * 1000));
        purge->exec();
        auto seen = c.prepare("INSERT OR IGNORE INTO core_wechat_push_seen(dedupe_key, received_at) VALUES (?1, ?2)");
        seen->bind(1, msg.dedupe_key());
        seen->bind(2, now);
        if (seen->exec() == 0) return false;
        auto user = w.user_by_openid(msg.from_user_name);
        if (!user) {
            log::info("wechat_push_unknown_user", {{"msg_type", msg.msg_type}, {"event", msg.event}});
            return true;
        }
        std::visit(Apply{c, *user, now, msg}, msg.payload);
        return true;
    });
}

void handle_wechat_push(RequestCtx& ctx) {
    WechatService& w = wechat_or_503(ctx);
    wechat::PushVerifier* v = w.push_verifier();
    if (!v) throw ApiError(503, "wechat_push_unavailable", "消息推送未配置");
    auto r = v->handle(ctx.method(), ctx.http.params, ctx.raw_body());
    if (!r) {
        log::warn("wechat_push_rejected", {{"request_id", ctx.request_id}, {"why", std::string(wechat::to_string(r.code()))}});
        throw ApiError(wechat::PushVerifier::http_status_for(r.code()), "push_rejected", "推送校验失败",
                       json{{"reason", std::string(wechat::to_string(r.code()))}});
    }
    if (r->kind == wechat::PushOutcome::Kind::message && r->message) {
        bool fresh = apply_push(w, *r->message);
        log::info("wechat_push", {{"request_id", ctx.request_id}, {"msg_type", r->message->msg_type},
                                  {"event", r->message->event}, {"duplicate", !fresh}});
    }
    ctx.text(200, "text/plain; charset=utf-8", r->response_body);
}

}  // namespace yz
