// SPDX-License-Identifier: MIT
// The simulated WeChat API endpoints, each wrapped with call counting, latency and faults.
#include "sim_routes.hpp"

namespace yz::wechat::sim {
namespace {

using nlohmann::json;
using Handler = std::function<void(const httplib::Request&, httplib::Response&)>;

/// Counts the call, applies latency, then either the injected fault or the real handler.
Handler with_faults(SimContext& ctx, std::string path, Handler handler) {
    return [&ctx, path = std::move(path), handler = std::move(handler)](const httplib::Request& req,
                                                                        httplib::Response& res) {
        const auto fault = ctx.faults.on_call(path);
        if (const auto ms = ctx.faults.latency_ms(path); ms > 0) ctx.delay(ms);
        if (!fault) return handler(req, res);
        switch (fault->kind) {
            case Fault::Kind::errcode:
                reply_json(res, error_body(fault->value, "simulated fault"));
                return;
            case Fault::Kind::http_status:
                res.status = fault->value;
                res.set_content("simulated server error", "text/plain");
                return;
            case Fault::Kind::drop:
                // Promise a body, then abort while writing it: httplib closes the connection and
                // the client sees a truncated response, like a connection reset mid-reply.
                res.set_content_provider(
                    1024, "application/json",
                    [](std::size_t, std::size_t, httplib::DataSink&) { return false; });
                return;
        }
    };
}

json body_json(const httplib::Request& req) { return json::parse(req.body, nullptr, false); }

/// Business APIs take the access_token in the query string only (PROTOCOL.md conventions).
bool token_ok(SimContext& ctx, const httplib::Request& req, httplib::Response& res) {
    const int code = ctx.state.check_token(req.get_param_value("access_token"));
    if (code == 0) return true;
    const char* msg = code == 41001   ? "access_token missing"
                      : code == 42001 ? "access_token expired"
                                      : "invalid credential, access_token is invalid or not latest";
    reply_json(res, error_body(code, msg));
    return false;
}

}  // namespace

void reply_json(httplib::Response& res, const json& body, int status) {
    res.status = status;
    res.set_content(body.dump(-1, ' ', false, json::error_handler_t::replace),
                    "application/json; charset=utf-8");
}

void mount_api_routes(httplib::Server& server, SimContext& ctx) {
    auto get = [&](const std::string& path, Handler h) {
        server.Get(path, with_faults(ctx, path, std::move(h)));
    };
    auto post = [&](const std::string& path, Handler h) {
        server.Post(path, with_faults(ctx, path, std::move(h)));
    };

    get("/sns/jscode2session", [&ctx](const auto& req, auto& res) {
        if (req.get_param_value("grant_type") != "authorization_code") {
            return reply_json(res, error_body(40002, "invalid grant_type"));
        }
        reply_json(res, ctx.state.code_to_session(req.get_param_value("appid"),
                                                  req.get_param_value("secret"),
                                                  req.get_param_value("js_code")));
    });

    post("/cgi-bin/stable_token", [&ctx](const auto& req, auto& res) {
        const json body = body_json(req);
        if (!body.is_object()) return reply_json(res, error_body(47001, "data format error"));
        if (body.value("grant_type", "") != "client_credential") {
            return reply_json(res, error_body(40002, "invalid grant_type"));
        }
        const auto force = body.find("force_refresh");
        reply_json(res, ctx.state.stable_token(body.value("appid", ""), body.value("secret", ""),
                                               force != body.end() && force->is_boolean() &&
                                                   force->template get<bool>()));
    });

    get("/cgi-bin/token", [&ctx](const auto& req, auto& res) {
        if (req.get_param_value("grant_type") != "client_credential") {
            return reply_json(res, error_body(40002, "invalid grant_type"));
        }
        reply_json(res, ctx.state.legacy_token(req.get_param_value("appid"),
                                               req.get_param_value("secret")));
    });

    post("/wxa/business/getuserphonenumber", [&ctx](const auto& req, auto& res) {
        if (!token_ok(ctx, req, res)) return;
        reply_json(res, ctx.state.phone_number(body_json(req)));
    });

    post("/cgi-bin/message/subscribe/send", [&ctx](const auto& req, auto& res) {
        if (!token_ok(ctx, req, res)) return;
        reply_json(res, ctx.state.subscribe_send(body_json(req)));
    });

    post("/wxa/msg_sec_check", [&ctx](const auto& req, auto& res) {
        if (!token_ok(ctx, req, res)) return;
        reply_json(res, ctx.state.msg_sec_check(body_json(req)));
    });

    get("/wxa/checksession", [&ctx](const auto& req, auto& res) {
        if (!token_ok(ctx, req, res)) return;
        reply_json(res, ctx.state.check_session(req.get_param_value("openid"),
                                                req.get_param_value("signature"),
                                                req.get_param_value("sig_method")));
    });
}

}  // namespace yz::wechat::sim
