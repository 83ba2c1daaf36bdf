// SPDX-License-Identifier: MIT
// Station lifecycle: configured → active ⇄ disabled, plus faulted (too many consecutive handler
// failures) and failed (refused at load or init). Reload loads the new file, initialises it, swaps
// the route table, and lets the old instance drain: each request holds a shared_ptr to the
// instance that serves it, and the old one's timers are cancelled and its shutdown runs exactly
// once, when the last such request finishes. Libraries are never dlclose'd by default.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <yz/plugin_abi.h>

#include "config.hpp"
#include "plugin_loader.hpp"
#include "router.hpp"
#include "workflow.hpp"

namespace yz {

class App;
struct RequestCtx;

enum class StationState { configured, active, disabled, faulted, failed };
const char* state_name(StationState s);

struct StationSlot {
    StationConfig config;
    std::atomic<StationState> state{StationState::configured};
    std::atomic<int> consecutive_failures{0};
    mutable std::mutex mu;  // guards everything below
    std::shared_ptr<StationInstance> active;
    std::string last_error;
    uint64_t generation = 0;  // how many instances have been activated
    int64_t reloads_seen = 0;  // core_station_state.reloads this process has followed
    std::string file;           // what the active instance was loaded from (config's, or installed)
    std::string previous_file;  // the one before the last install or rollback ("" none)
};

struct StagedRoute {
    std::string method, path, permission, summary;
    yz_handler_fn handler;
    void* user_data;
};

// One loaded and initialised copy of a station. Its address is the yz_plugin_host* handed to
// the plugin, so every host call knows which station (and scope) it comes from.
class StationInstance {
public:
    StationInstance(App& app, StationSlot& slot, LoadedLibrary lib);
    ~StationInstance();  // cancels timers, then shutdown (only if init succeeded)

    App& app;
    StationSlot& slot;
    LoadedLibrary lib;
    yz_plugin_ctx* ctx = nullptr;
    bool initialised = false;
    bool in_init = false;
    std::vector<StagedRoute> routes;
    std::map<std::string, std::pair<yz_job_fn, void*>> jobs;
    std::map<std::string, workflow::Definition> workflows;
    // The station's part of a resident's export and erasure (ABI 1.2), if it keeps personal data.
    yz_privacy_export_fn privacy_export = nullptr;
    yz_privacy_erase_fn privacy_erase = nullptr;
    void* privacy_user_data = nullptr;

    const std::string& id() const { return slot.config.id; }
    yz_plugin_host* handle() { return reinterpret_cast<yz_plugin_host*>(this); }
    static StationInstance* from(yz_plugin_host* h) { return reinterpret_cast<StationInstance*>(h); }
};

class PluginManager {
public:
    explicit PluginManager(App& app);
    ~PluginManager();

    // Loads every configured station; failures are logged and leave that station `failed`.
    void load_all();
    // Loads `file` (or the station's current file) anew and swaps it in; the old stays on failure.
    // Returns an empty string on success, else the reason. Recorded in core_station_state
    // (station_state.cpp), so peers follow and a restart loads the same file.
    std::string reload(const std::string& id, const std::string& file = {});
    // Makes a verified, stored station file the active one for `id` (a new id becomes a station);
    // the file it replaces is kept as the one rollback returns to.
    std::string install(const std::string& id, const std::string& file);
    std::string rollback(const std::string& id);
    bool set_enabled(const std::string& id, bool enabled, int64_t actor_user_id);
    // For a worker of `serve --workers`: applies what a peer recorded (enable, disable, reload)
    // since this process last looked. Run by the scheduler's tick.
    void follow_peers();

    StationSlot* slot(const std::string& id);
    std::vector<StationSlot*> slots();
    // Routes of every station that has an active instance (disabled ones too: they answer 503).
    void append_routes(std::vector<Route>& out);
    nlohmann::json describe(const StationSlot& s) const;

    // Runs a station route's handler; counts failures towards the fault threshold.
    void invoke(RequestCtx& ctx, const Route& route);
    // For the scheduler.
    std::vector<std::string> active_ids();
    std::function<bool(const std::string&)> job_runner(const std::string& station, const std::string& kind);
    // What each active station holds about `user_id`: {station id: its JSON}, for /me/export.
    nlohmann::json export_user(int64_t user_id);
    // Has each active station erase its data about `user_id`; run inside the core's erasure
    // transaction. Throws naming the station that failed (the transaction then rolls back).
    void erase_user(int64_t user_id);

    static const yz_host_api* host_api();

private:
    std::shared_ptr<StationInstance> instantiate(StationSlot& slot, const std::string& file, std::string& why);
    std::string resolve(const std::string& file) const;
    void record(StationSlot& slot, bool ok);
    std::string swap_in(StationSlot& slot, const std::string& file);
    std::string switch_to(StationSlot& slot, const std::string& file);
    StationSlot& slot_or_new(const std::string& id, bool& created);

    App& app_;
    std::mutex mu_;
    std::map<std::string, std::unique_ptr<StationSlot>> slots_;
};

}  // namespace yz
