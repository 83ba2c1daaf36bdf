// SPDX-License-Identifier: MIT
// The yz_host_api table: the C functions a station calls. Each one is noexcept in effect (catches
// everything), resolves its yz_plugin_host* to the StationInstance, and runs the station's SQL
// under that station's authorizer scope.
#include <cstdlib>
#include <strings.h>

#include <cstring>

#include <yz/json_text.hpp>

#include "app.hpp"
#include "audit.hpp"
#include "capacity.hpp"
#include "crash_report.hpp"
#include "forms.hpp"
#include "log.hpp"
#include "outbox.hpp"
#include "plugin_bridge.hpp"
#include "plugin_manager.hpp"
#include "signing.hpp"
#include "wechat_handlers.hpp"
#include "wechat_screening.hpp"
#include "wechat_sender.hpp"
#include "wechat_service.hpp"

namespace yz {
using nlohmann::json;

namespace {

std::string str(yz_str s) { return s.ptr ? std::string(s.ptr, s.len) : std::string(); }
std::string_view view_of(yz_str s) { return s.ptr ? std::string_view(s.ptr, s.len) : std::string_view(); }
yz_str view(const std::string& s) { return yz_str{s.data(), s.size()}; }

void fill(yz_host_buf* buf, const std::string& text) {
    if (!buf) return;
    buf->ptr = static_cast<char*>(std::malloc(text.size() + 1));
    if (!buf->ptr) {
        buf->len = 0;
        return;
    }
    std::memcpy(buf->ptr, text.data(), text.size());
    buf->ptr[text.size()] = '\0';
    buf->len = text.size();
}

StationInstance& inst(yz_plugin_host* self) { return *StationInstance::from(self); }
PluginRequest& preq(const yz_request* r) { return *const_cast<PluginRequest*>(reinterpret_cast<const PluginRequest*>(r)); }
PluginResponse& presp(yz_response* r) { return *reinterpret_cast<PluginResponse*>(r); }

// Maps an exception from a storage call to a status, with the reason in err.
yz_status fail(const std::exception& e, yz_host_buf* err) {
    std::string what = e.what();
    fill(err, what);
    if (what.find("not authorized") != std::string::npos) return YZ_DENIED;
    if (what.find("database is locked") != std::string::npos || what.find("busy") != std::string::npos) return YZ_BUSY;
    if (what.find("constraint failed") != std::string::npos) return YZ_CONFLICT;
    return YZ_ERROR;
}

// A station's params text bound to the statement: most go straight from the text.
void bind_params(SQLite::Statement& st, yz_str p) {
    std::string_view text(p.ptr ? p.ptr : "", p.len);
    if (text.empty()) return bind_json(st, json::array());
    if (!bind_plain_params(st, text)) bind_json(st, json::parse(text));
}

// Thrown inside db_tx to roll back when the plugin's body says so.
struct RollbackRequested {};

// -- misc --
void h_buf_free(yz_host_buf* buf) {
    if (!buf) return;
    std::free(buf->ptr);
    buf->ptr = nullptr;
    buf->len = 0;
}
void h_log(yz_plugin_host* self, yz_log_level level, yz_str msg) {
    log::Level l = level == YZ_LOG_DEBUG ? log::Level::debug
                   : level == YZ_LOG_WARN ? log::Level::warn
                   : level == YZ_LOG_ERROR ? log::Level::error
                                           : log::Level::info;
    log::write(l, "station_log", {{"station", inst(self).id()}, {"message", str(msg)}});
}
int64_t h_now_ms(yz_plugin_host* self) { return inst(self).app.clock().now_ms(); }

// -- routes --
yz_status h_route_add(yz_plugin_host* self, yz_str method, yz_str path, yz_str permission, yz_str summary,
                      yz_handler_fn handler, void* user_data) {
    StationInstance& in = inst(self);
    auto refuse = [&](const std::string& why) {
        log::error("route_refused", {{"station", in.id()}, {"path", str(path)}, {"error", why}});
        return YZ_INVALID;
    };
    if (!in.in_init) return refuse("routes can only be added during init");
    std::string m = str(method), p = str(path);
    if (m != "GET" && m != "POST" && m != "PUT" && m != "PATCH" && m != "DELETE") return refuse("unknown method " + m);
    auto tmpl = PathTemplate::parse(p);
    if (!tmpl) return refuse("malformed path template");
    if (!Permission::parse(str(permission))) return refuse("unknown permission '" + str(permission) + "'");
    if (!handler) return refuse("no handler");
    for (const auto& r : in.routes)
        if (r.method == m && PathTemplate::parse(r.path)->same_shape(*tmpl)) return refuse("clashes with " + r.path);
    in.routes.push_back(StagedRoute{m, p, str(permission), str(summary), handler, user_data});
    return YZ_OK;
}

// -- request --
yz_str keep(PluginRequest& r, std::optional<std::string> v) {
    if (!v) return yz_str{nullptr, 0};
    r.keep.push_back(std::move(*v));
    return view(r.keep.back());
}
yz_str h_req_method(const yz_request* r) {
    auto m = preq(r).ctx->method();
    return yz_str{m.data(), m.size()};
}
yz_str h_req_param(const yz_request* r, yz_str name) { return keep(preq(r), preq(r).ctx->param(std::string_view(name.ptr, name.len))); }
yz_str h_req_query(const yz_request* r, yz_str name) { return keep(preq(r), preq(r).ctx->query(std::string_view(name.ptr, name.len))); }
bool names_header(yz_str name, std::string_view header) {
    return name.len == header.size() && strncasecmp(name.ptr, header.data(), header.size()) == 0;
}
yz_str h_req_header(const yz_request* r, yz_str name) {
    // Credentials stay in the host: a station never sees the session token.
    if (names_header(name, "Authorization") || names_header(name, "Cookie")) return yz_str{nullptr, 0};
    // The request's own text, valid as long as the request: nothing to copy.
    const std::string* v = preq(r).ctx->find_header(std::string_view(name.ptr, name.len));
    return v ? view(*v) : yz_str{nullptr, 0};
}
yz_str h_req_body(const yz_request* r) { return view(preq(r).ctx->raw_body()); }
yz_str h_req_auth(const yz_request* r) {
    PluginRequest& q = preq(r);
    if (q.auth_json.empty() && q.ctx->principal) {
        // Written directly (every authenticated station request asks): no JSON tree to build.
        const Principal& p = *q.ctx->principal;
        std::string& out = q.auth_json;
        out.reserve(128);
        out += "{\"user_id\":";
        json_text::append_int(out, p.user_id);
        out += ",\"display_name\":";
        json_text::append_string(out, p.display_name);
        out += ",\"roles\":[";
        bool first = true;
        for (const std::string& role : p.role_texts()) {
            if (!first) out += ',';
            first = false;
            json_text::append_string(out, role);
        }
        out += "],\"staff_here\":";
        out += p.has("staff", q.instance->id()) ? "true" : "false";
        out += ",\"admin\":";
        out += p.admin() ? "true" : "false";
        out += '}';
    }
    return view(q.auth_json);
}
yz_str h_req_id(const yz_request* r) { return view(preq(r).ctx->request_id); }
int64_t h_req_user_id(const yz_request* r) {
    const RequestCtx& c = *preq(r).ctx;
    return c.principal ? c.principal->user_id : 0;
}

// -- response --
void h_resp_json(yz_response* r, int status, yz_str body) {
    PluginResponse& p = presp(r);
    p.status = status;
    p.content_type.clear();  // JSON
    p.body.assign(body.ptr ? body.ptr : "", body.len);
}
void h_resp_text(yz_response* r, int status, yz_str content_type, yz_str body) {
    PluginResponse& p = presp(r);
    p.status = status;
    p.content_type = content_type.len ? str(content_type) : std::string("application/octet-stream");
    p.body.assign(body.ptr ? body.ptr : "", body.len);
}
void h_resp_error(yz_response* r, int status, yz_str code, yz_str message, yz_str details) {
    PluginResponse& p = presp(r);
    p.status = status;
    p.content_type.clear();  // JSON
    p.body = error_body_text(view_of(code), view_of(message), *p.request_id, view_of(details));
}
void h_resp_header(yz_response* r, yz_str name, yz_str value) {
    std::string n = str(name), v = str(value);
    if (n.find_first_of("\r\n:") != std::string::npos || v.find_first_of("\r\n") != std::string::npos) return;
    presp(r).headers.emplace_back(std::move(n), std::move(v));
}

// -- storage --
yz_status h_db_migrate(yz_plugin_host* self, uint32_t version, yz_str sql, yz_host_buf* err) {
    StationInstance& in = inst(self);
    if (!in.in_init) {
        fill(err, "migrations run only during init");
        return YZ_INVALID;
    }
    try {
        apply_migrations(in.app.db().conn(), in.id(), {Migration{static_cast<int>(version), str(sql)}});
        return YZ_OK;
    } catch (const std::exception& e) {
        return fail(e, err);
    }
}
yz_status h_db_query(yz_plugin_host* self, yz_str sql, yz_str params, yz_host_buf* rows, yz_host_buf* err) {
    StationInstance& in = inst(self);
    try {
        Conn& c = in.app.db().conn();
        auto scope = c.enter_station(in.id());
        auto st = c.prepare(view_of(sql));
        bind_params(*st, params);
        fill(rows, all_rows_text(*st));
        return YZ_OK;
    } catch (const std::exception& e) {
        return fail(e, err);
    }
}
yz_status h_db_exec(yz_plugin_host* self, yz_str sql, yz_str params, int64_t* changes, int64_t* last_id, yz_host_buf* err) {
    StationInstance& in = inst(self);
    try {
        Conn& c = in.app.db().conn();
        c.write_tx_grouped([&] {
            auto scope = c.enter_station(in.id());
            auto st = c.prepare(view_of(sql));
            bind_params(*st, params);
            st->exec();
            if (changes) *changes = c.changes();
            if (last_id) *last_id = c.last_insert_id();
        });
        return YZ_OK;
    } catch (const std::exception& e) {
        return fail(e, err);
    }
}
yz_status h_db_tx(yz_plugin_host* self, yz_plugin_ctx* ctx, yz_tx_fn body, void* ud, yz_host_buf* err) {
    StationInstance& in = inst(self);
    yz_status result = YZ_OK;
    try {
        Conn& c = in.app.db().conn();
        // Grouped: a station's transaction may share its commit with others queued, and runs on
        // the database's writer thread (db.hpp), which a crash report must name the station on.
        c.write_tx_grouped([&] {
            auto scope = c.enter_station(in.id());
            crash::InStation running(in.id());
            result = body(ctx ? ctx : in.ctx, ud);
            if (result != YZ_OK) throw RollbackRequested{};
        });
        return YZ_OK;
    } catch (const RollbackRequested&) {
        return result;
    } catch (const std::exception& e) {
        return fail(e, err);
    } catch (...) {
        fill(err, "transaction body failed");
        return YZ_ERROR;
    }
}

// -- building blocks --
yz_status h_capacity(yz_plugin_host* self, yz_str op, yz_str args, yz_host_buf* result, yz_host_buf* err) {
    StationInstance& in = inst(self);
    try {
        json res;
        std::string e;
        int st = capacity::handle_op(in.app.db().conn(), in.id(), str(op), json::parse(str(args)), in.app.clock().now_ms(), res, e);
        if (!res.is_null()) fill(result, res.dump());
        if (!e.empty()) fill(err, e);
        return static_cast<yz_status>(st);
    } catch (const std::exception& e) {
        return fail(e, err);
    }
}
yz_status h_forms_validate(yz_plugin_host*, yz_str fields, yz_str submission, yz_host_buf* clean, yz_host_buf* errors) {
    try {
        json f = json::parse(str(fields));
        if (auto bad = forms::check_definition(f); !bad.empty()) {
            fill(errors, forms::errors_to_json(bad).dump());
            return YZ_ERROR;  // the form itself is broken: the station's bug, not the resident's
        }
        auto r = forms::validate(f, json::parse(str(submission)));
        if (!r.ok()) {
            fill(errors, forms::errors_to_json(r.errors).dump());
            return YZ_INVALID;
        }
        fill(clean, r.clean.dump());
        return YZ_OK;
    } catch (const std::exception& e) {
        fill(errors, e.what());
        return YZ_ERROR;
    }
}
yz_status h_workflow(yz_plugin_host* self, yz_str op, yz_str args, yz_host_buf* result, yz_host_buf* err) {
    StationInstance& in = inst(self);
    try {
        std::string o = str(op);
        json a = json::parse(str(args));
        if (o == "define") {
            if (!in.in_init) {
                fill(err, "workflows are defined during init");
                return YZ_INVALID;
            }
            std::string why;
            auto def = workflow::Definition::parse(a, why);
            if (!def) {
                fill(err, why);
                return YZ_INVALID;
            }
            in.workflows[def->name] = *def;
            fill(result, json{{"name", def->name}, {"initial", def->initial}}.dump());
            return YZ_OK;
        }
        if (o == "transition") {
            auto it = in.workflows.find(a.value("workflow", std::string()));
            if (it == in.workflows.end()) {
                fill(err, "unknown workflow");
                return YZ_INVALID;
            }
            const json& actor_j = a.value("actor", json::object());
            workflow::Actor actor{actor_j.value("user_id", int64_t{0}), actor_j.value("roles", std::vector<std::string>{})};
            std::string reason = a.value("reason", std::string());
            auto d = workflow::decide(it->second, in.id(), a.value("state", std::string()), a.value("action", std::string()),
                                      actor, a.value("owner_user_id", int64_t{0}), reason);
            json res = {{"verdict", workflow::verdict_code(d.verdict)}, {"from", d.from}, {"to", d.to}};
            fill(result, res.dump());
            switch (d.verdict) {
                case workflow::Verdict::ok: break;
                case workflow::Verdict::unknown_action: return YZ_INVALID;
                case workflow::Verdict::wrong_state: return YZ_CONFLICT;
                case workflow::Verdict::not_allowed: return YZ_DENIED;
                case workflow::Verdict::reason_missing: return YZ_INVALID;
            }
            audit::Entry e;
            e.actor_user_id = actor.user_id;
            e.actor = actor_j;
            e.station = in.id();
            e.action = it->first + "." + a.value("action", std::string());
            e.record_type = a.value("record_type", it->first);
            e.record_id = a.contains("record_id") ? (a["record_id"].is_string() ? a["record_id"].get<std::string>() : a["record_id"].dump()) : "";
            e.detail = {{"from", d.from}, {"to", d.to}, {"reason", reason}};
            audit::record(in.app.db().conn(), e, in.app.clock().now_ms());
            return YZ_OK;
        }
        fill(err, "workflow: unknown op '" + o + "' (define, transition)");
        return YZ_INVALID;
    } catch (const std::exception& e) {
        return fail(e, err);
    }
}
yz_status h_notify(yz_plugin_host* self, int64_t user_id, yz_str template_key, yz_str data, int64_t* job_id, yz_host_buf* err) {
    StationInstance& in = inst(self);
    try {
        json d = json::parse(str(data));
        if (!d.is_object() || user_id <= 0 || template_key.len == 0) {
            fill(err, "notify needs a user, a template key and an object of data");
            return YZ_INVALID;
        }
        // Refused now, with the reason, rather than queued to fail at send time.
        if (WechatService* w = in.app.wechat(); w && w->config().enabled())
            if (auto why = check_notice(w->config(), str(template_key), d)) {
                std::string reason = "notify " + str(template_key) + ": " + *why;
                log::warn("notify_refused", {{"station", in.id()}, {"template_key", str(template_key)}, {"reason", *why}});
                fill(err, reason);
                return YZ_INVALID;
            }
        int64_t id = outbox::enqueue(in.app.db().conn(), in.id(), user_id, str(template_key), d, in.app.clock().now_ms());
        if (job_id) *job_id = id;
        return YZ_OK;
    } catch (const std::exception& e) {
        return fail(e, err);
    }
}
yz_status h_audit(yz_plugin_host* self, yz_str actor, yz_str action, yz_str record_type, yz_str record_id, yz_str detail) {
    StationInstance& in = inst(self);
    try {
        audit::Entry e;
        e.actor = actor.len ? json::parse(str(actor)) : json::object();
        e.actor_user_id = e.actor.value("user_id", int64_t{0});
        e.station = in.id();
        e.action = str(action);
        e.record_type = str(record_type);
        e.record_id = str(record_id);
        e.detail = detail.len ? json::parse(str(detail)) : json::object();
        audit::record(in.app.db().conn(), e, in.app.clock().now_ms());
        return YZ_OK;
    } catch (const std::exception&) {
        return YZ_ERROR;
    }
}

// -- time --
yz_status h_job_handler_add(yz_plugin_host* self, yz_str kind, yz_job_fn fn, void* ud) {
    StationInstance& in = inst(self);
    if (!in.in_init || !fn || kind.len == 0) return YZ_INVALID;
    in.jobs[str(kind)] = {fn, ud};
    return YZ_OK;
}
yz_status h_job_schedule(yz_plugin_host* self, yz_str kind, int64_t due_ms, yz_str payload, yz_str dedupe, int64_t* job_id) {
    StationInstance& in = inst(self);
    try {
        int64_t id = in.app.scheduler().schedule(in.app.db().conn(), in.id(), str(kind), due_ms, str(payload), str(dedupe));
        if (job_id) *job_id = id;
        return YZ_OK;
    } catch (const std::exception&) {
        return YZ_ERROR;
    }
}
yz_status h_job_cancel(yz_plugin_host* self, int64_t job_id) {
    StationInstance& in = inst(self);
    try {
        return in.app.scheduler().cancel(in.app.db().conn(), in.id(), job_id) ? YZ_OK : YZ_NOT_FOUND;
    } catch (const std::exception&) {
        return YZ_ERROR;
    }
}
yz_status h_timer_every(yz_plugin_host* self, uint32_t interval_ms, yz_timer_fn fn, void* ud, uint64_t* timer_id) {
    StationInstance& in = inst(self);
    if (!fn || interval_ms == 0) return YZ_INVALID;
    StationInstance* me = &in;
    uint64_t id = in.app.scheduler().add_timer(me, interval_ms, [me, fn, ud] {
        // Only the active, enabled instance ticks; a draining one is about to be retired.
        std::shared_ptr<StationInstance> active;
        {
            std::lock_guard lock(me->slot.mu);
            active = me->slot.active;
        }
        if (active.get() != me || me->slot.state.load() != StationState::active) return;
        crash::InStation running(me->id());
        fn(me->ctx, ud);
    });
    if (timer_id) *timer_id = id;
    return YZ_OK;
}
yz_status h_timer_cancel(yz_plugin_host* self, uint64_t timer_id) {
    StationInstance& in = inst(self);
    return in.app.scheduler().cancel_timer(&in, timer_id) ? YZ_OK : YZ_NOT_FOUND;
}

// -- 1.1: residents' text, personal data, signatures --
yz_status h_screen_text(yz_plugin_host* self, int64_t user_id, yz_str text, int32_t scene, yz_host_buf* verdict, yz_host_buf* err) {
    StationInstance& in = inst(self);
    try {
        if (user_id <= 0 || scene < 1 || scene > 4) {
            fill(err, "screen_text needs the author's user id and a scene 1..4");
            return YZ_INVALID;
        }
        ScreenResult r = screen_text(in.app, user_id, str(text), static_cast<wechat::SecScene>(scene));
        fill(verdict, verdict_name(r.verdict));
        return YZ_OK;
    } catch (const std::exception& e) {
        return fail(e, err);
    }
}
yz_status h_reveal_phone(yz_plugin_host* self, const yz_request* req, int64_t user_id, yz_str reason, yz_host_buf* phone,
                         yz_host_buf* err) {
    StationInstance& in = inst(self);
    try {
        const Principal* p = req ? preq(req).ctx->principal.get() : nullptr;
        if (!p || !(p->has("staff", in.id()) || p->admin())) {
            fill(err, "only this station's staff may see a resident's full phone number");
            return YZ_DENIED;
        }
        if (reason.len == 0 || user_id <= 0) {
            fill(err, "reveal_phone needs the resident and a reason");
            return YZ_INVALID;
        }
        WechatService* w = in.app.wechat();
        auto number = w ? stored_phone(*w, user_id) : std::nullopt;
        if (!number) return YZ_NOT_FOUND;
        audit::Entry e;
        e.actor_user_id = p->user_id;
        e.actor = {{"user_id", p->user_id}, {"roles", p->role_texts()}};
        e.station = in.id();
        e.action = "privacy.phone_revealed";
        e.record_type = "user";
        e.record_id = std::to_string(user_id);
        e.detail = {{"reason", str(reason)}, {"request_id", preq(req).ctx->request_id}};
        audit::record(in.app.db().conn(), e, in.app.clock().now_ms());
        fill(phone, number->value("phone_number", std::string()));
        return YZ_OK;
    } catch (const std::exception& e) {
        return fail(e, err);
    }
}
yz_status h_sign(yz_plugin_host* self, yz_str purpose, yz_str payload, yz_host_buf* sig) {
    StationInstance& in = inst(self);
    try {
        fill(sig, in.app.signing().sign(in.id(), std::string_view(purpose.ptr ? purpose.ptr : "", purpose.len),
                                         std::string_view(payload.ptr ? payload.ptr : "", payload.len), in.app.clock().now_ms()));
        return YZ_OK;
    } catch (const std::exception& e) {
        log::error("sign_failed", {{"station", in.id()}, {"error", e.what()}});
        return YZ_ERROR;
    }
}

// -- 1.2: data rights --
yz_status h_privacy_handler_add(yz_plugin_host* self, yz_privacy_export_fn export_fn, yz_privacy_erase_fn erase_fn, void* ud) {
    StationInstance& in = inst(self);
    if (!in.in_init || !export_fn || !erase_fn) return YZ_INVALID;
    in.privacy_export = export_fn;
    in.privacy_erase = erase_fn;
    in.privacy_user_data = ud;
    return YZ_OK;
}

const yz_host_api kHostApi = {
    sizeof(yz_host_api), YZ_ABI_MINOR,
    h_buf_free, h_log, h_now_ms,
    h_route_add,
    h_req_method, h_req_param, h_req_query, h_req_header, h_req_body, h_req_auth, h_req_id,
    h_resp_json, h_resp_text, h_resp_error, h_resp_header,
    h_db_migrate, h_db_query, h_db_exec, h_db_tx,
    h_capacity, h_forms_validate, h_workflow, h_notify, h_audit,
    h_job_handler_add, h_job_schedule, h_job_cancel, h_timer_every, h_timer_cancel,
    h_screen_text, h_reveal_phone, h_sign,
    h_privacy_handler_add,
    h_req_user_id,
};

}  // namespace

const yz_host_api* PluginManager::host_api() { return &kHostApi; }

}  // namespace yz
