// SPDX-License-Identifier: MIT
// Core routes everyone may meet: health, readiness, metrics, the OpenAPI document, the station
// list, the caller's own account, logout, and the dev-mode login.
#include <string>

#include "app.hpp"
#include "audit.hpp"
#include "log.hpp"
#include "openapi.hpp"
#include "plugin_manager.hpp"

namespace yz {
using nlohmann::json;

namespace {

void healthz(RequestCtx& ctx) { ctx.json(200, json{{"status", "ok"}}); }

void readyz(RequestCtx& ctx) {
    json checks = json::object();
    bool ok = ctx.app.ready();
    try {
        Conn& c = ctx.app.db().conn();
        auto core = c.enter_core();
        auto q = c.prepare("SELECT 1");
        q->executeStep();
        checks["database"] = "ok";
    } catch (const std::exception&) {
        checks["database"] = "unreachable";
        ok = false;
    }
    json stations = json::object();
    for (StationSlot* s : ctx.app.plugins().slots()) stations[s->config.id] = state_name(s->state.load());
    checks["stations"] = stations;
    ctx.json(ok ? 200 : 503, json{{"status", ok ? "ready" : "not_ready"}, {"checks", checks}});
}

void metrics(RequestCtx& ctx) {
    std::string body = ctx.app.metrics().render([&](std::string& out) {
        out += "# HELP yz_station_state Station state (1 for the current state).\n# TYPE yz_station_state gauge\n";
        for (StationSlot* s : ctx.app.plugins().slots())
            for (auto st : {StationState::active, StationState::disabled, StationState::faulted, StationState::failed})
                out += "yz_station_state{station=\"" + prom_label(s->config.id) + "\",state=\"" + state_name(st) + "\"} " +
                       (s->state.load() == st ? "1" : "0") + "\n";
        Conn& c = ctx.app.db().conn();
        auto core = c.enter_core();
        auto q = c.prepare("SELECT state, count(*) FROM core_outbox GROUP BY state");
        out += "# HELP yz_outbox_messages Notifications in the outbox by state.\n# TYPE yz_outbox_messages gauge\n";
        while (q->executeStep())
            out += "yz_outbox_messages{state=\"" + prom_label(q->getColumn(0).getString()) + "\"} " +
                   std::to_string(q->getColumn(1).getInt64()) + "\n";
    });
    ctx.text(200, "text/plain; version=0.0.4; charset=utf-8", std::move(body));
}

void stations(RequestCtx& ctx) {
    json list = json::array();
    for (StationSlot* s : ctx.app.plugins().slots()) {
        json d = ctx.app.plugins().describe(*s);
        list.push_back({{"id", d["id"]}, {"name", d["name"]}, {"description", d["description"]}, {"state", d["state"]}});
    }
    ctx.json(200, json{{"stations", list}});
}

void me(RequestCtx& ctx) {
    const Principal& p = ctx.user();
    ctx.json(200, ctx.app.identity().user_json(p.user_id));
}

void logout(RequestCtx& ctx) {
    ctx.user();
    ctx.app.identity().revoke_session(ctx.token);
    ctx.json(200, json{{"ok", true}});
}

// Dev mode only: log in as a named test user without WeChat.
void dev_login(RequestCtx& ctx) {
    if (!ctx.app.config().dev) throw ApiError(403, "dev_mode_only", "仅开发模式可用");
    const json& b = ctx.body;
    if (!b.contains("user") || !b["user"].is_string()) throw bad_field("user", "missing_field", "请填写用户名");
    std::string name = b["user"];
    if (name.empty() || name.size() > 64 ||
        name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_-") != std::string::npos)
        throw bad_field("user", "invalid_field", "用户名只能包含小写字母、数字、下划线和连字符");
    std::string display = b.value("display_name", std::string());
    if (!b.value("display_name", json("")).is_string() || display.size() > 64)
        throw bad_field("display_name", "invalid_field", "昵称格式不正确");
    int64_t uid = ctx.app.identity().upsert_user("dev-" + name, "", display);
    std::string token = ctx.app.identity().create_session(uid);
    json user = ctx.app.identity().user_json(uid);
    ctx.json(200, json{{"token", token}, {"user", user}});
}

void openapi(RequestCtx& ctx) { ctx.json(200, build_openapi(*ctx.app.routes())); }

}  // namespace

void add_core_routes(App& app, std::vector<Route>& r) {
    (void)app;
    r.push_back(core_route("GET", "/healthz", "public", "Liveness", healthz));
    r.push_back(core_route("GET", "/readyz", "public", "Readiness: database reachable, stations loaded", readyz));
    r.push_back(core_route("GET", "/metrics", "public", "Prometheus metrics", metrics));
    r.push_back(core_route("GET", "/openapi.json", "public", "This API, as OpenAPI 3", openapi));
    r.push_back(core_route("GET", "/api/v1/stations", "public", "The stations and their state", stations));
    r.push_back(core_route("GET", "/api/v1/me", "user", "The caller's account and roles", me));
    r.push_back(core_route("POST", "/api/v1/auth/logout", "user", "Ends the caller's session", logout));
    r.push_back(core_route("POST", "/api/v1/auth/dev-login", "public", "Dev mode only: log in as a test user", dev_login));
}

}  // namespace yz
