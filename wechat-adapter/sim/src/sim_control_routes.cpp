// SPDX-License-Identifier: MIT
// The /sim/ control routes: what a user's taps, WeChat's pushes and WeChat's bad days look like,
// on demand, for dev and tests. Bodies and answers are JSON; errors are {"error": "..."} with 400.
#include "sim_push_sender.hpp"
#include "sim_routes.hpp"

namespace yz::wechat::sim {
namespace {

using nlohmann::json;

/// Parses the request body as a JSON object, or answers 400 and returns nullopt.
std::optional<json> object_body(const httplib::Request& req, httplib::Response& res) {
    json body = req.body.empty() ? json::object() : json::parse(req.body, nullptr, false);
    if (!body.is_object()) {
        reply_json(res, {{"error", "body must be a JSON object"}}, 400);
        return std::nullopt;
    }
    return body;
}

/// A required non-empty string field, or 400.
std::optional<std::string> required(const json& body, const char* name, httplib::Response& res) {
    const auto it = body.find(name);
    if (it == body.end() || !it->is_string() || it->get<std::string>().empty()) {
        reply_json(res, {{"error", std::string(name) + " (non-empty string) is required"}}, 400);
        return std::nullopt;
    }
    return it->get<std::string>();
}

/// The subscribe_msg_popup_event WeChat sends after the user taps "accept" `count` times.
json popup_event(const std::string& openid, const std::string& template_id, std::int64_t now,
                 BodyFormat format) {
    json item = {
        {"TemplateId", template_id}, {"SubscribeStatusString", "accept"}, {"PopupScene", "0"}};
    json event = {{"FromUserName", openid},
                  {"CreateTime", now},
                  {"MsgType", "event"},
                  {"Event", "subscribe_msg_popup_event"}};
    // JSON puts List at the top level; XML wraps it (PROTOCOL.md §5.6).
    if (format == BodyFormat::xml) {
        event["SubscribeMsgPopupEvent"] = {{"List", item}};
    } else {
        event["List"] = item;
    }
    return event;
}

}  // namespace

void mount_control_routes(httplib::Server& server, SimContext& ctx) {
    server.Get("/sim/health", [](const auto&, auto& res) { reply_json(res, {{"ok", true}}); });

    server.Post("/sim/login-code", [&ctx](const auto& req, auto& res) {
        auto body = object_body(req, res);
        if (!body) return;
        auto user = required(*body, "user", res);
        if (!user) return;
        reply_json(res, {{"code", ctx.state.mint_login_code(*user)},
                         {"openid", ctx.state.openid_for(*user)}});
    });

    server.Post("/sim/phone-code", [&ctx](const auto& req, auto& res) {
        auto body = object_body(req, res);
        if (!body) return;
        auto user = required(*body, "user", res);
        auto phone = user ? required(*body, "phone_number", res) : std::nullopt;
        if (!phone) return;
        reply_json(
            res,
            {{"code", ctx.state.mint_phone_code(*user, *phone, body->value("country_code", "86"),
                                                body->value("country_code_as_string", false))}});
    });

    server.Post("/sim/templates", [&ctx](const auto& req, auto& res) {
        auto body = object_body(req, res);
        if (!body) return;
        auto id = required(*body, "template_id", res);
        if (!id) return;
        const auto keywords = body->value("keywords", json::array());
        if (!keywords.is_array())
            return reply_json(res, {{"error", "keywords must be an array"}}, 400);
        ctx.state.add_template(*id, keywords.template get<std::vector<std::string>>());
        reply_json(res, {{"ok", true}});
    });

    server.Post("/sim/subscribe/grant", [&ctx](const auto& req, auto& res) {
        auto body = object_body(req, res);
        if (!body) return;
        auto user = required(*body, "user", res);
        auto tpl = user ? required(*body, "template_id", res) : std::nullopt;
        if (!tpl) return;
        const int count = body->value("count", 1);
        ctx.state.grant(*user, *tpl, count);
        json answer = {{"granted", count}, {"openid", ctx.state.openid_for(*user)}};
        if (body->contains("push")) {
            auto spec = push_spec_from_json((*body)["push"]);
            if (!spec) return reply_json(res, {{"error", spec.error().detail}}, 400);
            spec->message =
                popup_event(ctx.state.openid_for(*user), *tpl, ctx.clock.now(), spec->format);
            answer["push"] = send_push(ctx, *spec);
        }
        reply_json(res, answer);
    });

    server.Get("/sim/messages", [&ctx](const auto& req, auto& res) {
        if (!req.has_param("user")) return reply_json(res, {{"error", "user is required"}}, 400);
        reply_json(res, ctx.state.messages(req.get_param_value("user")));
    });

    server.Post("/sim/push", [&ctx](const auto& req, auto& res) {
        auto body = object_body(req, res);
        if (!body) return;
        auto spec = push_spec_from_json(*body);
        if (!spec) return reply_json(res, {{"error", spec.error().detail}}, 400);
        reply_json(res, send_push(ctx, *spec));
    });

    server.Post("/sim/fault", [&ctx](const auto& req, auto& res) {
        auto body = object_body(req, res);
        if (!body) return;
        const std::string path = body->value("path", "*");
        if (body->contains("latency_ms"))
            ctx.faults.set_latency_ms(path, body->value("latency_ms", 0));
        Fault fault;
        fault.remaining = body->value("count", 1);
        if (body->contains("errcode")) {
            fault.kind = Fault::Kind::errcode, fault.value = body->value("errcode", 0);
        } else if (body->contains("http_status")) {
            fault.kind = Fault::Kind::http_status, fault.value = body->value("http_status", 500);
        } else if (body->value("drop", false)) {
            fault.kind = Fault::Kind::drop;
        } else if (!body->contains("latency_ms")) {
            return reply_json(res, {{"error", "give errcode, http_status, drop or latency_ms"}},
                              400);
        } else {
            return reply_json(res, {{"ok", true}});
        }
        ctx.faults.add(path, fault);
        reply_json(res, {{"ok", true}});
    });

    server.Post("/sim/tokens/invalidate", [&ctx](const auto&, auto& res) {
        ctx.state.invalidate_tokens();
        reply_json(res, {{"ok", true}});
    });

    server.Post("/sim/clock/advance", [&ctx](const auto& req, auto& res) {
        auto body = object_body(req, res);
        if (!body) return;
        ctx.clock.advance(body->value("seconds", std::int64_t{0}));
        reply_json(res, {{"now", ctx.clock.now()}});
    });

    server.Post("/sim/sec-check/words", [&ctx](const auto& req, auto& res) {
        auto body = object_body(req, res);
        if (!body) return;
        ctx.state.set_sec_words(body->value("risky", std::vector<std::string>{}),
                                body->value("review", std::vector<std::string>{}));
        reply_json(res, {{"ok", true}});
    });

    server.Get("/sim/calls", [&ctx](const auto& req, auto& res) {
        if (req.has_param("path")) {
            const auto path = req.get_param_value("path");
            return reply_json(res, {{"path", path}, {"count", ctx.faults.count(path)}});
        }
        reply_json(res, {{"counts", ctx.faults.counts()}});
    });

    server.Post("/sim/reset", [&ctx](const auto&, auto& res) {
        ctx.state.reset();
        ctx.faults.reset();
        ctx.clock.reset();
        reply_json(res, {{"ok", true}});
    });
}

}  // namespace yz::wechat::sim
