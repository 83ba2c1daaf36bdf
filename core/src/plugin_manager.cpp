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
        j["can_roll_back"] = !s.previous_file.empty();
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
    if (presp.content_type.empty()) ctx.json_text(presp.status, std::move(presp.body));
    else ctx.text(presp.status, presp.content_type, std::move(presp.body));
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
