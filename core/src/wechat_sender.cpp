// SPDX-License-Identifier: MIT
// Outbox row → subscribe message (see wechat_sender.hpp).
#include "wechat_sender.hpp"

#include <yz/wechat/subscribe_rules.hpp>

#include "app.hpp"
#include "log.hpp"
#include "time_util.hpp"
#include "wechat_consent.hpp"
#include "wechat_service.hpp"

namespace yz {
using nlohmann::json;
using outbox::Outcome;
using outbox::SendResult;

namespace {

SendResult result(Outcome o, int errcode, std::string error) { return SendResult{o, errcode, std::move(error)}; }

// A time or date keyword fed an ISO-8601 instant ("2026-12-08T08:30:00+08:00") shows it in Beijing
// time as WeChat's grammar wants ("2026-12-08 08:30"); anything else is passed through as text.
std::string shown(const std::string& type, std::string value) {
    if (type != "time" && type != "date") return value;
    auto ms = time::parse_iso8601(value);
    if (!ms) return value;
    return time::iso8601_beijing(*ms).substr(0, 16).replace(10, 1, " ");
}

// keyword → value pairs in the registry's order, or the reason they cannot be built. With no
// `from` mapping the data's keys are the keywords themselves, and a stray key is refused as a
// likely typo; with one, the data is the station's own record and extra fields are ignored.
std::optional<std::string> build_data(const WechatTemplate& t, const json& data,
                                      std::vector<std::pair<std::string, std::string>>& out) {
    if (!data.is_object()) return "notify data must be an object of keyword → value";
    if (t.sources.empty())
        for (auto& [key, v] : data.items()) {
            bool known = false;
            for (const auto& [kw, type] : t.keywords) known = known || kw == key;
            if (!known) return "keyword '" + key + "' is not in the template";
        }
    for (const auto& [kw, type] : t.keywords) {
        auto src = t.sources.find(kw);
        const std::string& field = src == t.sources.end() ? kw : src->second;
        std::string what = field == kw ? "keyword '" + kw + "'" : "field '" + field + "' (keyword '" + kw + "')";
        auto it = data.find(field);
        if (it == data.end()) return what + " is missing";
        std::string value;
        if (it->is_string()) value = shown(type, it->get<std::string>());
        else if (it->is_number()) value = it->dump();
        else return what + " must be a string or a number";
        // PROTOCOL §4's recommendation: cut `thing` to 20 characters rather than lose the message.
        if (type == "thing") value = wechat::fit_thing_value(value);
        out.emplace_back(kw, std::move(value));
    }
    if (auto errors = wechat::check_subscribe_data(out); !errors.empty()) return errors.front().message();
    return std::nullopt;
}

std::string describe(const wechat::ApiStatus& s) {
    std::string d = s.detail;
    if (!s.errmsg.empty()) d += d.empty() ? s.errmsg : " (" + s.errmsg + ")";
    return d;
}

void record_delivery(Conn& c, const outbox::Job& job, const std::string& template_id, int64_t now) {
    auto core = c.enter_core();
    c.write_tx([&] {
        auto ins = c.prepare(
            "INSERT OR REPLACE INTO core_wechat_deliveries(outbox_id, user_id, template_id, sent_at) VALUES (?1, ?2, ?3, ?4)");
        ins->bind(1, job.id);
        ins->bind(2, job.user_id);
        ins->bind(3, template_id);
        ins->bind(4, now);
        ins->exec();
    });
}

SendResult send_one(WechatService& w, const outbox::Job& job) {
    App& app = w.app();
    auto t = w.config().templates.find(job.template_key);
    if (t == w.config().templates.end())
        return result(Outcome::invalid, 0, "template_key '" + job.template_key + "' is not in wechat.templates");
    const WechatTemplate& tpl = t->second;
    wechat::SubscribeMessage msg;
    if (auto why = build_data(tpl, job.data, msg.data)) return result(Outcome::invalid, 0, *why);
    auto openid = w.openid_of(job.user_id);
    if (!openid) return result(Outcome::no_consent, 0, "the user has no WeChat account (erased or unknown)");
    msg.touser = *openid;
    msg.template_id = tpl.template_id;
    msg.page = tpl.page;
    msg.miniprogram_state = w.config().miniprogram_state;

    Conn& c = app.db().conn();
    if (!consent::reserve(c, job.user_id, tpl.template_id, job.id, app.clock().now_ms()))
        return result(Outcome::no_consent, 0, "no consent credit left for this template");

    auto r = w.tokens().with_token([&](const std::string& token) { return w.client().send_subscribe(token, msg); });
    int64_t now = app.clock().now_ms();
    const auto& s = r.status;
    log::info("wechat_subscribe_send", {{"outbox_id", job.id}, {"user_id", job.user_id}, {"template_key", job.template_key},
                                        {"errcode", s.errcode}, {"action", std::string(wechat::to_string(s.action))}});
    if (r.ok()) {
        record_delivery(c, job, tpl.template_id, now);
        return result(Outcome::sent, 0, "");
    }
    using wechat::Action;
    if (s.action == Action::consent_refused) {
        // Refunding and zeroing in one step: the reservation never happened, the credits are gone.
        consent::zero(c, job.user_id, tpl.template_id, "refused_43101", now);
        return result(Outcome::no_consent, s.errcode, describe(s));
    }
    consent::refund(c, job.user_id, tpl.template_id, job.id, now);
    switch (s.action) {
        case Action::invalid_param: return result(Outcome::invalid, s.errcode, describe(s));
        case Action::invalid_openid:
        case Action::config_error:
        case Action::request_bug:
        case Action::unknown:
            if (s.failure == wechat::ApiStatus::Failure::bad_response) return result(Outcome::retry, s.errcode, describe(s));
            log::error("wechat_subscribe_refused", {{"outbox_id", job.id}, {"errcode", s.errcode}, {"detail", s.detail}});
            return result(Outcome::refused, s.errcode, describe(s));
        default:  // busy, unavailable (HTTP 5xx, timeouts), quota, a token still bad after one retry
            return result(Outcome::retry, s.errcode, describe(s));
    }
}

}  // namespace

std::optional<std::string> check_notice(const WechatConfig& config, const std::string& template_key, const json& data) {
    auto t = config.templates.find(template_key);
    if (t == config.templates.end()) return std::nullopt;
    std::vector<std::pair<std::string, std::string>> built;
    return build_data(t->second, data, built);
}

outbox::Sender make_wechat_sender(WechatService& wechat) {
    return [&wechat](const outbox::Job& job) { return send_one(wechat, job); };
}

}  // namespace yz
