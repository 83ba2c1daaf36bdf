// SPDX-License-Identifier: MIT
// Community-admin routes: station enable/disable/reload, roles, audit log, notification outbox.
// Each route is admin-only (checked by the dispatcher before the handler runs) and audited.
#include <algorithm>

#include "app.hpp"
#include "audit.hpp"
#include "outbox.hpp"
#include "plugin_manager.hpp"

namespace yz {
using nlohmann::json;

namespace {

StationSlot& station_or_404(RequestCtx& ctx) {
    StationSlot* s = ctx.app.plugins().slot(*ctx.param("id"));
    if (!s) throw ApiError(404, "station_not_found", "没有这个服务站");
    return *s;
}

void list_stations(RequestCtx& ctx) {
    json out = json::array();
    for (StationSlot* s : ctx.app.plugins().slots()) {
        json d = ctx.app.plugins().describe(*s);
        std::lock_guard lock(s->mu);
        d["last_error"] = s->last_error;
        d["consecutive_failures"] = s->consecutive_failures.load();
        out.push_back(d);
    }
    ctx.json(200, json{{"stations", out}});
}

void set_enabled(RequestCtx& ctx, bool enabled) {
    StationSlot& s = station_or_404(ctx);
    if (!ctx.app.plugins().set_enabled(s.config.id, enabled, ctx.user().user_id))
        throw ApiError(409, "station_not_loaded", "该服务站未能加载，无法启用或停用");
    ctx.audit(enabled ? "station.enable" : "station.disable", "station", s.config.id);
    ctx.json(200, ctx.app.plugins().describe(s));
}

void reload(RequestCtx& ctx) {
    StationSlot& s = station_or_404(ctx);
    std::string why = ctx.app.plugins().reload(s.config.id);
    if (!why.empty()) throw ApiError(422, "reload_failed", "服务站重新加载失败，原版本继续运行", json{{"reason", why}});
    json described = ctx.app.plugins().describe(s);  // read under the slot's lock
    ctx.audit("station.reload", "station", s.config.id, {{"generation", described["generation"]}});
    ctx.json(200, described);
}

int64_t user_or_404(RequestCtx& ctx) {
    auto id = ctx.app.identity().find_user(*ctx.param("user"));
    if (!id) throw ApiError(404, "user_not_found", "没有这个用户");
    return *id;
}

void get_user(RequestCtx& ctx) { ctx.json(200, ctx.app.identity().user_json(user_or_404(ctx))); }

void grant_role(RequestCtx& ctx) {
    int64_t uid = user_or_404(ctx);
    if (!ctx.body.contains("role") || !ctx.body["role"].is_string()) throw bad_field("role", "missing_field", "请填写角色");
    std::string why;
    auto role = parse_role(ctx.body["role"], &why);
    if (!role) throw ApiError(400, "invalid_role", "角色格式不正确", json{{"field", "role"}, {"reason", why}});
    bool added = ctx.app.identity().grant(uid, *role, ctx.user().user_id);
    if (added) ctx.audit("role.grant", "user", std::to_string(uid), {{"role", role->text()}});
    ctx.json(added ? 201 : 200, ctx.app.identity().user_json(uid));
}

void revoke_role(RequestCtx& ctx) {
    int64_t uid = user_or_404(ctx);
    std::string why;
    auto role = parse_role(*ctx.param("role"), &why);
    if (!role) throw ApiError(400, "invalid_role", "角色格式不正确", json{{"reason", why}});
    if (!ctx.app.identity().revoke(uid, *role)) throw ApiError(404, "role_not_held", "该用户没有这个角色");
    ctx.audit("role.revoke", "user", std::to_string(uid), {{"role", role->text()}});
    ctx.json(200, ctx.app.identity().user_json(uid));
}

int limit_param(RequestCtx& ctx) {
    auto l = ctx.query("limit");
    if (!l) return 50;
    try {
        int n = std::stoi(*l);
        if (n >= 1 && n <= 500) return n;
    } catch (...) {
    }
    throw bad_field("limit", "invalid_field", "limit 须为 1 到 500 的整数");
}
int64_t before_param(RequestCtx& ctx) {
    auto b = ctx.query("before");
    if (!b) return 0;
    try {
        return std::stoll(*b);
    } catch (...) {
        throw bad_field("before", "invalid_field", "before 须为整数");
    }
}

void list_audit(RequestCtx& ctx) {
    json items = audit::list(ctx.app.db().conn(), ctx.query("station").value_or(""), ctx.query("record_type").value_or(""),
                             ctx.query("record_id").value_or(""), before_param(ctx), limit_param(ctx));
    ctx.json(200, json{{"items", items}});
}

void list_outbox(RequestCtx& ctx) {
    std::string state = ctx.query("state").value_or("");
    static const char* kStates[] = {"", "queued", "sent", "no_consent", "refused", "invalid", "dead"};
    if (std::find(std::begin(kStates), std::end(kStates), state) == std::end(kStates))
        throw bad_field("state", "invalid_field", "state 取值不正确");
    ctx.json(200, json{{"items", outbox::list(ctx.app.db().conn(), state, before_param(ctx), limit_param(ctx))}});
}

void retry_outbox(RequestCtx& ctx) {
    int64_t id = 0;
    try {
        id = std::stoll(*ctx.param("id"));
    } catch (...) {
        throw not_found();
    }
    if (!outbox::retry(ctx.app.db().conn(), id, ctx.app.clock().now_ms()))
        throw ApiError(409, "not_retryable", "只有失败的通知可以重发");
    ctx.audit("outbox.retry", "outbox", std::to_string(id));
    ctx.json(200, json{{"id", id}, {"state", "queued"}});
}

}  // namespace

void add_admin_routes(App& app, std::vector<Route>& r) {
    (void)app;
    const std::string base = "/api/v1/admin";
    r.push_back(core_route("GET", base + "/stations", "admin", "Stations with load errors and failure counts", list_stations));
    r.push_back(core_route("POST", base + "/stations/{id}/enable", "admin", "Enable a station", [](RequestCtx& c) { set_enabled(c, true); }));
    r.push_back(core_route("POST", base + "/stations/{id}/disable", "admin", "Disable a station (its routes answer 503)",
                           [](RequestCtx& c) { set_enabled(c, false); }));
    r.push_back(core_route("POST", base + "/stations/{id}/reload", "admin", "Load the station's file anew and swap it in", reload));
    r.push_back(core_route("GET", base + "/users/{user}", "admin", "A user and their roles", get_user));
    r.push_back(core_route("POST", base + "/users/{user}/roles", "admin", "Grant a role", grant_role));
    r.push_back(core_route("DELETE", base + "/users/{user}/roles/{role}", "admin", "Revoke a role", revoke_role));
    r.push_back(core_route("GET", base + "/audit", "admin", "The audit log, newest first", list_audit));
    r.push_back(core_route("GET", base + "/outbox", "admin", "Notifications by state", list_outbox));
    r.push_back(core_route("POST", base + "/outbox/{id}/retry", "admin", "Queue a dead notification again", retry_outbox));
}

}  // namespace yz
