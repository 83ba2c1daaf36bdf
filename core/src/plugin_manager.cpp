// SPDX-License-Identifier: MIT
#include "plugin_manager.hpp"

#include <dlfcn.h>

#include <cstddef>
#include <filesystem>

#include "app.hpp"
#include "crash_report.hpp"
#include "log.hpp"
#include "plugin_bridge.hpp"

namespace yz {
using nlohmann::json;
namespace fs = std::filesystem;

const char* state_name(StationState s) {
    switch (s) {
        case StationState::configured: return "configured";
        case StationState::active: return "active";
        case StationState::disabled: return "disabled";
        case StationState::faulted: return "faulted";
        case StationState::failed: return "failed";
    }
    return "configured";
}

StationInstance::StationInstance(App& a, StationSlot& s, LoadedLibrary l) : app(a), slot(s), lib(std::move(l)) {}

StationInstance::~StationInstance() {
    app.scheduler().cancel_timers(this);
    if (!initialised) return;
    try {
        crash::InStation running(slot.config.id);
        lib.desc->shutdown(ctx);
    } catch (...) {
        log::error("station_shutdown_threw", {{"station", slot.config.id}});
    }
    log::info("station_retired", {{"station", slot.config.id}, {"file", lib.path}});
    if (app.config().allow_dlclose && (lib.desc->flags & YZ_PLUGIN_UNLOAD_SAFE)) dlclose(lib.handle);
}

PluginManager::PluginManager(App& app) : app_(app) {}

PluginManager::~PluginManager() {
    // Shut stations down in reverse order of configuration.
    std::vector<StationSlot*> order;
    for (const auto& sc : app_.config().stations)
        if (auto it = slots_.find(sc.id); it != slots_.end()) order.push_back(it->second.get());
    for (auto it = order.rbegin(); it != order.rend(); ++it) {
        std::lock_guard lock((*it)->mu);
        (*it)->active.reset();
    }
}

std::string PluginManager::resolve(const std::string& file) const {
    if (fs::path(file).is_absolute() || app_.config().stations_dir.empty()) return file;
    return (fs::path(app_.config().stations_dir) / file).string();
}

std::shared_ptr<StationInstance> PluginManager::instantiate(StationSlot& slot, const std::string& file, std::string& why) {
    std::string path = resolve(file);
    auto loaded = load_station_library(path, app_.config().data_dir + "/run/stations");
    if (auto* err = std::get_if<LoadError>(&loaded)) {
        why = err->message;
        return nullptr;
    }
    LoadedLibrary lib = std::get<LoadedLibrary>(std::move(loaded));
    if (slot.config.id != lib.desc->id) {
        why = path + ": configured as station '" + slot.config.id + "' but the file is station '" + lib.desc->id + "'";
        return nullptr;
    }
    auto inst = std::make_shared<StationInstance>(app_, slot, std::move(lib));
    std::string cfg = slot.config.config.dump();
    yz_host_buf err{nullptr, 0};
    yz_status st = YZ_ERROR;
    inst->in_init = true;
    try {
        crash::InStation running(slot.config.id);
        st = inst->lib.desc->init(host_api(), inst->handle(), yz_str{cfg.data(), cfg.size()}, &inst->ctx, &err);
    } catch (...) {
        st = YZ_ERROR;
    }
    inst->in_init = false;
    if (err.ptr) {
        why = std::string(err.ptr, err.len);
        host_api()->buf_free(&err);
    }
    if (st != YZ_OK) {
        why = path + ": init failed" + (why.empty() ? std::string() : ": " + why);
        return nullptr;  // its staged routes, jobs and timers go with it; no shutdown for a failed init
    }
    inst->initialised = true;
    return inst;
}

namespace {
// What an admin last decided about a station (core_station_state), shared by every process.
struct Persisted {
    bool enabled = true;
    int64_t reloads = 0;
    std::string file;  // empty: the configured file
};
std::map<std::string, Persisted> read_persisted(Conn& c) {
    std::map<std::string, Persisted> out;
    auto core = c.enter_core();
    auto q = c.prepare("SELECT id, enabled, reloads, COALESCE(file, '') FROM core_station_state");
    while (q->executeStep())
        out[q->getColumn(0).getString()] = {q->getColumn(1).getInt() != 0, q->getColumn(2).getInt64(), q->getColumn(3).getString()};
    return out;
}
}  // namespace

void PluginManager::load_all() {
    std::map<std::string, Persisted> persisted = read_persisted(app_.db().conn());
    for (const auto& sc : app_.config().stations) {
        std::lock_guard lock(mu_);
        if (slots_.count(sc.id)) {
            log::error("station_refused", {{"station", sc.id}, {"code", "duplicate_id"},
                                           {"error", resolve(sc.file) + ": station '" + sc.id + "' is already loaded from " +
                                                         resolve(slots_[sc.id]->config.file)}});
            continue;
        }
        auto slot = std::make_unique<StationSlot>();
        slot->config = sc;
        auto saved = persisted.find(sc.id);
        if (saved != persisted.end()) slot->reloads_seen = saved->second.reloads;
        std::string file = saved != persisted.end() && !saved->second.file.empty() ? saved->second.file : sc.file;
        std::string why;
        auto inst = instantiate(*slot, file, why);
        if (!inst) {
            slot->state = StationState::failed;
            slot->last_error = why;
            log::error("station_refused", {{"station", sc.id}, {"error", why}});
        } else {
            bool enabled = saved != persisted.end() ? saved->second.enabled : sc.enabled;
            slot->active = std::move(inst);
            slot->generation = 1;
            slot->state = enabled ? StationState::active : StationState::disabled;
            log::info("station_loaded", {{"station", sc.id}, {"version", slot->active->lib.desc->version},
                                         {"file", slot->active->lib.path}, {"state", state_name(slot->state)}});
        }
        slots_[sc.id] = std::move(slot);
    }
}

std::string PluginManager::reload(const std::string& id, const std::string& file) {
    StationSlot* s = slot(id);
    if (!s) return "no station '" + id + "' is configured";
    std::string why = swap_in(*s, file.empty() ? s->config.file : file);
    if (!why.empty()) return why;
    // Recorded, so the other workers follow and a restart loads the same file.
    Conn& c = app_.db().conn();
    auto core = c.enter_core();
    c.write_tx([&] {
        auto up = c.prepare(
            "INSERT INTO core_station_state(id, enabled, updated_at, reloads, file) VALUES (?1, ?2, ?3, 1, NULLIF(?4, '')) "
            "ON CONFLICT(id) DO UPDATE SET reloads = reloads + 1, file = excluded.file, updated_at = excluded.updated_at "
            "RETURNING reloads");
        up->bind(1, id);
        up->bind(2, s->state.load() == StationState::disabled ? 0 : 1);
        up->bind(3, app_.clock().now_ms());
        up->bind(4, file);
        if (up->executeStep()) {
            std::lock_guard lock(s->mu);
            s->reloads_seen = up->getColumn(0).getInt64();
        }
    });
    return "";
}

void PluginManager::follow_peers() {
    for (const auto& [id, saved] : read_persisted(app_.db().conn())) {
        StationSlot* s = slot(id);
        if (!s) continue;
        bool reload_due;
        {
            std::lock_guard lock(s->mu);
            reload_due = saved.reloads > s->reloads_seen;
            s->reloads_seen = std::max(s->reloads_seen, saved.reloads);
        }
        if (reload_due) {
            log::info("station_reload_followed", {{"station", id}, {"reloads", saved.reloads}});
            swap_in(*s, saved.file.empty() ? s->config.file : saved.file);
        }
        StationState want = saved.enabled ? StationState::active : StationState::disabled;
        StationState have = saved.enabled ? StationState::disabled : StationState::active;
        if (s->state.compare_exchange_strong(have, want)) {
            s->consecutive_failures = 0;
            log::info(saved.enabled ? "station_enabled" : "station_disabled", {{"station", id}, {"followed", true}});
        }
    }
}

// Loads `file` as a new instance of the station and swaps it in; "" or why not (the old stays).
std::string PluginManager::swap_in(StationSlot& slot, const std::string& file) {
    StationSlot* s = &slot;
    const std::string& id = slot.config.id;
    std::string why;
    auto inst = instantiate(*s, file, why);
    if (!inst) {
        log::error("station_reload_failed", {{"station", id}, {"error", why}});
        return why;
    }
    std::shared_ptr<StationInstance> old;
    {
        std::lock_guard lock(s->mu);
        old = std::move(s->active);
        s->active = std::move(inst);
        ++s->generation;
        s->last_error.clear();
        s->consecutive_failures = 0;
        if (s->state == StationState::failed || s->state == StationState::faulted || s->state == StationState::configured)
            s->state = StationState::active;
    }
    app_.publish_routes();
    if (old) app_.scheduler().cancel_timers(old.get());
    log::info("station_reloaded", {{"station", id}, {"generation", s->generation}});
    // `old` drops here; requests still holding the previous route table keep it alive until they end.
    return "";
}

bool PluginManager::set_enabled(const std::string& id, bool enabled, int64_t actor_user_id) {
    StationSlot* s = slot(id);
    if (!s) return false;
    {
        std::lock_guard lock(s->mu);
        if (!s->active) return false;
        s->consecutive_failures = 0;
        s->state = enabled ? StationState::active : StationState::disabled;
    }
    Conn& c = app_.db().conn();
    auto core = c.enter_core();
    c.write_tx([&] {
        auto up = c.prepare(
            "INSERT INTO core_station_state(id, enabled, updated_by, updated_at) VALUES (?1, ?2, NULLIF(?3, 0), ?4) "
            "ON CONFLICT(id) DO UPDATE SET enabled = excluded.enabled, updated_by = excluded.updated_by, "
            "updated_at = excluded.updated_at");
        up->bind(1, id);
        up->bind(2, enabled ? 1 : 0);
        up->bind(3, actor_user_id);
        up->bind(4, app_.clock().now_ms());
        up->exec();
    });
    log::info(enabled ? "station_enabled" : "station_disabled", {{"station", id}, {"by", actor_user_id}});
    return true;
}

StationSlot* PluginManager::slot(const std::string& id) {
    std::lock_guard lock(mu_);
    auto it = slots_.find(id);
    return it == slots_.end() ? nullptr : it->second.get();
}

std::vector<StationSlot*> PluginManager::slots() {
    std::lock_guard lock(mu_);
    std::vector<StationSlot*> out;
    for (auto& [id, s] : slots_) out.push_back(s.get());
    return out;
}

void PluginManager::append_routes(std::vector<Route>& out) {
    for (StationSlot* s : slots()) {
        std::shared_ptr<StationInstance> inst;
        {
            std::lock_guard lock(s->mu);
            inst = s->active;
        }
        if (!inst) continue;
        for (const auto& r : inst->routes) {
            Route route;
            route.method = r.method;
            route.path = "/api/v1/stations/" + s->config.id + (r.path == "/" ? "" : r.path);
            route.tmpl = *PathTemplate::parse(route.path);
            route.permission = *Permission::parse(r.permission);
            route.summary = r.summary;
            route.station = s->config.id;
            route.instance = inst;
            route.slot = s;
            route.plugin_handler = reinterpret_cast<void*>(r.handler);
            route.plugin_user_data = r.user_data;
            out.push_back(std::move(route));
        }
    }
}

json PluginManager::describe(const StationSlot& s) const {
    std::lock_guard lock(s.mu);
    json j = {{"id", s.config.id}, {"state", state_name(s.state.load())}};
    if (s.active) {
        const yz_plugin_desc* d = s.active->lib.desc;
        j["name"] = d->display_name;
        // description came with the descriptor's last field; an older, shorter one has none.
        bool has_description = d->struct_size > offsetof(yz_plugin_desc, description) && d->description;
        j["description"] = has_description ? d->description : "";
        j["version"] = d->version;
        j["abi"] = std::to_string(d->abi_major) + "." + std::to_string(d->abi_minor);
        j["sha256"] = s.active->lib.sha256;
        j["generation"] = s.generation;
    } else {
        j["name"] = s.config.id;
        j["description"] = "";
    }
    return j;
}

void PluginManager::record(StationSlot& s, bool ok) {
    if (ok) {
        s.consecutive_failures.store(0, std::memory_order_relaxed);
        return;
    }
    int n = s.consecutive_failures.fetch_add(1) + 1;
    if (n >= app_.config().fault_threshold) {
        StationState expected = StationState::active;
        if (s.state.compare_exchange_strong(expected, StationState::faulted))
            log::error("station_faulted", {{"station", s.config.id}, {"consecutive_failures", n}});
    }
}

void PluginManager::invoke(RequestCtx& ctx, const Route& route) {
    StationSlot& s = *route.slot;
    StationState st = s.state.load();
    if (st == StationState::disabled) throw ApiError(503, "station_disabled", "该服务站暂停服务");
    if (st == StationState::faulted) throw ApiError(503, "station_faulted", "该服务站暂时不可用，请稍后再试");
    StationInstance& inst = *route.instance;
    PluginRequest preq{&ctx, &inst, {}, {}};
    PluginResponse presp;
    presp.request_id = &ctx.request_id;
    yz_status status = YZ_ERROR;
    try {
        auto handler = reinterpret_cast<yz_handler_fn>(route.plugin_handler);
        crash::InStation running(s.config.id);
        status = handler(inst.ctx, reinterpret_cast<const yz_request*>(&preq), reinterpret_cast<yz_response*>(&presp),
                         route.plugin_user_data);
    } catch (...) {
        status = YZ_ERROR;  // a plugin built without the SDK let an exception out
    }
    bool ok = status == YZ_OK && presp.status != 0;
    record(s, ok);
    if (!ok) {
        log::error("station_handler_failed", {{"station", s.config.id}, {"route", route.path}, {"status", status},
                                              {"request_id", ctx.request_id}});
        if (presp.status < 500) throw ApiError(500, "internal_error", "服务暂时不可用，请稍后再试");
    }
    for (auto& [k, v] : presp.headers) ctx.res_header(k, v);
    ctx.text(presp.status, presp.content_type, std::move(presp.body));
}

std::vector<std::string> PluginManager::active_ids() {
    std::vector<std::string> out;
    for (StationSlot* s : slots())
        if (s->state.load() == StationState::active) out.push_back(s->config.id);
    return out;
}

namespace {
std::vector<std::shared_ptr<StationInstance>> active_instances(const std::vector<StationSlot*>& all) {
    std::vector<std::shared_ptr<StationInstance>> out;
    for (StationSlot* s : all) {
        if (s->state.load() != StationState::active) continue;
        std::lock_guard lock(s->mu);
        if (s->active) out.push_back(s->active);
    }
    return out;
}
}  // namespace

nlohmann::json PluginManager::export_user(int64_t user_id) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& inst : active_instances(slots())) {
        if (!inst->privacy_export) continue;
        std::string data;
        yz_sink_fn put = [](void* sink, yz_str text) { static_cast<std::string*>(sink)->assign(text.ptr ? text.ptr : "", text.len); };
        crash::InStation running(inst->id());
        yz_status st = inst->privacy_export(inst->ctx, user_id, put, &data, inst->privacy_user_data);
        auto parsed = nlohmann::json::parse(data, nullptr, false);
        if (st != YZ_OK || parsed.is_discarded() || !parsed.is_object())
            throw std::runtime_error("station " + inst->id() + " could not export its data");
        out[inst->id()] = std::move(parsed);
    }
    return out;
}

void PluginManager::erase_user(int64_t user_id) {
    for (const auto& inst : active_instances(slots())) {
        if (!inst->privacy_erase) continue;
        crash::InStation running(inst->id());
        if (inst->privacy_erase(inst->ctx, user_id, inst->privacy_user_data) != YZ_OK)
            throw std::runtime_error("station " + inst->id() + " could not erase its data");
    }
}

std::function<bool(const std::string&)> PluginManager::job_runner(const std::string& station, const std::string& kind) {
    StationSlot* s = slot(station);
    if (!s || s->state.load() != StationState::active) return nullptr;
    std::shared_ptr<StationInstance> inst;
    {
        std::lock_guard lock(s->mu);
        inst = s->active;
    }
    if (!inst) return nullptr;
    auto it = inst->jobs.find(kind);
    if (it == inst->jobs.end()) return nullptr;
    auto [fn, ud] = it->second;
    return [inst, fn = fn, ud = ud](const std::string& payload) {
        crash::InStation running(inst->id());
        return fn(inst->ctx, yz_str{payload.data(), payload.size()}, ud) == YZ_OK;
    };
}

}  // namespace yz
