// SPDX-License-Identifier: MIT
// Community-admin routes: station enable/disable/reload, audit log, notification outbox, and the
// dashboard's counts (users and their roles are in routes_admin_users.cpp).
// Each route is admin-only (checked by the dispatcher before the handler runs) and audited.
#include <algorithm>

#include "admin_query.hpp"
#include "app.hpp"
#include "audit.hpp"
#include "outbox.hpp"
#include "plugin_manager.hpp"
#include "user_directory.hpp"

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

// actor: a user id, or "system" for what the scheduler and the CLI did.
std::optional<int64_t> actor_param(RequestCtx& ctx) {
    auto a = ctx.query("actor");
    if (!a || a->empty()) return std::nullopt;
    if (*a == "system") return 0;
    if (a->size() < 19 && a->find_first_not_of("0123456789") == std::string::npos) return std::stoll(*a);
    throw bad_field("actor", "invalid_field", "操作人须为用户编号或 system");
}

void list_audit(RequestCtx& ctx) {
    audit::Filter f;
    f.station = ctx.query("station").value_or("");
    f.record_type = ctx.query("record_type").value_or("");
    f.record_id = ctx.query("record_id").value_or("");
    f.action = ctx.query("action").value_or("");
    f.actor_user_id = actor_param(ctx);
    f.from_ms = time_param(ctx, "from", false);
    f.to_ms = time_param(ctx, "to", true);
    f.before_id = before_param(ctx);
    f.limit = limit_param(ctx);
    ctx.json(200, page_of(audit::list(ctx.app.db().conn(), f), f.limit));
}

void list_outbox(RequestCtx& ctx) {
    outbox::Filter f;
    f.state = ctx.query("state").value_or("");
    static const char* kStates[] = {"", "queued", "sent", "no_consent", "refused", "invalid", "dead"};
    if (std::find(std::begin(kStates), std::end(kStates), f.state) == std::end(kStates))
        throw bad_field("state", "invalid_field", "state 取值不正确");
    f.station = ctx.query("station").value_or("");
    f.template_key = ctx.query("template").value_or("");
    f.before_id = before_param(ctx);
    f.limit = limit_param(ctx);
    ctx.json(200, page_of(outbox::list(ctx.app.db().conn(), f), f.limit));
}

// The dashboard's core panel: counts only, so it is cheap to ask for on every visit.
void summary(RequestCtx& ctx) {
    json stations = json::object();
    for (StationSlot* s : ctx.app.plugins().slots()) {
        std::string state = state_name(s->state.load());
        stations[state] = stations.value(state, 0) + 1;
    }
    Conn& c = ctx.app.db().conn();
    ctx.json(200, json{{"users", users::count_by_role(c)}, {"outbox", outbox::count_by_state(c)}, {"stations", stations}});
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
    const std::string base = "/api/v1/admin";
    r.push_back(core_route("GET", base + "/stations", "admin", "Stations with load errors and failure counts", list_stations));
    r.push_back(core_route("POST", base + "/stations/{id}/enable", "admin", "Enable a station", [](RequestCtx& c) { set_enabled(c, true); }));
    r.push_back(core_route("POST", base + "/stations/{id}/disable", "admin", "Disable a station (its routes answer 503)",
                           [](RequestCtx& c) { set_enabled(c, false); }));
    r.push_back(core_route("POST", base + "/stations/{id}/reload", "admin", "Load the station's file anew and swap it in", reload));
    add_admin_user_routes(app, r);
    r.push_back(core_route("GET", base + "/audit", "admin",
                           "The audit log, newest first, by station, record, action, actor and time", list_audit));
    r.push_back(core_route("GET", base + "/outbox", "admin", "Notifications by state, station and template", list_outbox));
    r.push_back(core_route("POST", base + "/outbox/{id}/retry", "admin", "Queue a dead notification again", retry_outbox));
    r.push_back(core_route("GET", base + "/summary", "admin", "Users by role, notifications by state, stations by state", summary));
}

}  // namespace yz
