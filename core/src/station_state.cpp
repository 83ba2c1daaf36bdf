// SPDX-License-Identifier: MIT
// What an admin decides about a station, kept in core_station_state so that it survives a restart
// and every worker process of one server agrees: enabled or not, which file is active (the
// configured one, or an installed one), the one before it (for rollback), and how many times it
// was reloaded (a peer that has seen fewer reloads follows).
#include <algorithm>
#include <map>

#include "app.hpp"
#include "log.hpp"
#include "plugin_manager.hpp"

namespace yz {
using nlohmann::json;

namespace {

struct Persisted {
    bool enabled = true;
    int64_t reloads = 0;
    std::string file;           // empty: the configured file
    std::string previous_file;  // empty: none
};

std::map<std::string, Persisted> read_persisted(Conn& c) {
    std::map<std::string, Persisted> out;
    auto core = c.enter_core();
    auto q = c.prepare("SELECT id, enabled, reloads, COALESCE(file, ''), COALESCE(previous_file, '') FROM core_station_state");
    while (q->executeStep())
        out[q->getColumn(0).getString()] = {q->getColumn(1).getInt() != 0, q->getColumn(2).getInt64(), q->getColumn(3).getString(),
                                            q->getColumn(4).getString()};
    return out;
}

// An installed station that no config entry names: its id, its file, an empty config.
StationConfig installed_station(const std::string& id) {
    StationConfig sc;
    sc.id = id;
    return sc;
}

}  // namespace

void PluginManager::load_all() {
    std::map<std::string, Persisted> persisted = read_persisted(app_.db().conn());
    std::vector<StationConfig> wanted = app_.config().stations;
    // Stations installed through the admin route that the config file does not list.
    for (const auto& entry : persisted) {
        const std::string& id = entry.first;  // named, not a structured binding: clang cannot capture those
        if (!entry.second.file.empty() && std::none_of(wanted.begin(), wanted.end(), [&](const StationConfig& sc) { return sc.id == id; }))
            wanted.push_back(installed_station(id));
    }
    for (const auto& sc : wanted) {
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
        bool known = saved != persisted.end();
        if (known) {
            slot->reloads_seen = saved->second.reloads;
            slot->previous_file = saved->second.previous_file;
        }
        slot->file = known && !saved->second.file.empty() ? saved->second.file : sc.file;
        std::string why;
        auto inst = instantiate(*slot, slot->file, why);
        if (!inst) {
            slot->state = StationState::failed;
            slot->last_error = why;
            log::error("station_refused", {{"station", sc.id}, {"error", why}});
        } else {
            bool enabled = known ? saved->second.enabled : sc.enabled;
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
    std::string current;
    {
        std::lock_guard lock(s->mu);
        current = s->file;
    }
    return switch_to(*s, file.empty() ? current : file);
}

// The slot of `id`, made for an installed station if there is none yet (`created` says which).
StationSlot& PluginManager::slot_or_new(const std::string& id, bool& created) {
    std::lock_guard lock(mu_);
    auto& owned = slots_[id];
    created = !owned;
    if (created) {
        owned = std::make_unique<StationSlot>();
        owned->config = installed_station(id);
    }
    return *owned;
}

std::string PluginManager::install(const std::string& id, const std::string& file) {
    bool created = false;
    StationSlot* s = &slot_or_new(id, created);
    std::string why = switch_to(*s, file);
    if (!why.empty() && created) {  // a new station that would not load leaves no trace
        std::lock_guard lock(mu_);
        slots_.erase(id);
    }
    return why;
}

std::string PluginManager::rollback(const std::string& id) {
    StationSlot* s = slot(id);
    if (!s) return "no station '" + id + "' is configured";
    std::string previous;
    {
        std::lock_guard lock(s->mu);
        previous = s->previous_file;
    }
    if (previous.empty()) return "no earlier version of '" + id + "' to go back to";
    return switch_to(*s, previous);
}

// Swaps `file` in and records it (the file before it becomes the previous one) for peers and restarts.
std::string PluginManager::switch_to(StationSlot& s, const std::string& file) {
    std::string before;
    {
        std::lock_guard lock(s.mu);
        before = s.file;
    }
    std::string why = swap_in(s, file);
    if (!why.empty()) return why;
    std::string previous;
    {
        std::lock_guard lock(s.mu);
        s.file = file;
        if (file != before && !before.empty()) s.previous_file = before;
        previous = s.previous_file;
    }
    Conn& c = app_.db().conn();
    auto core = c.enter_core();
    c.write_tx([&] {
        auto up = c.prepare(
            "INSERT INTO core_station_state(id, enabled, updated_at, reloads, file, previous_file) "
            "VALUES (?1, ?2, ?3, 1, NULLIF(?4, ''), NULLIF(?5, '')) "
            "ON CONFLICT(id) DO UPDATE SET reloads = reloads + 1, file = excluded.file, "
            "previous_file = excluded.previous_file, updated_at = excluded.updated_at RETURNING reloads");
        up->bind(1, s.config.id);
        up->bind(2, s.state.load() == StationState::disabled ? 0 : 1);
        up->bind(3, app_.clock().now_ms());
        up->bind(4, file == s.config.file ? std::string() : file);
        up->bind(5, previous);
        if (up->executeStep()) {
            std::lock_guard lock(s.mu);
            s.reloads_seen = up->getColumn(0).getInt64();
        }
    });
    return "";
}

void PluginManager::follow_peers() {
    for (const auto& [id, saved] : read_persisted(app_.db().conn())) {
        StationSlot* s = slot(id);
        bool created = false;
        if (!s && !saved.file.empty()) s = &slot_or_new(id, created);  // installed through a peer
        if (!s) continue;
        bool reload_due;
        std::string file;
        {
            std::lock_guard lock(s->mu);
            reload_due = saved.reloads > s->reloads_seen;
            s->reloads_seen = std::max(s->reloads_seen, saved.reloads);
            if (reload_due) {
                s->file = saved.file.empty() ? s->config.file : saved.file;
                s->previous_file = saved.previous_file;
            }
            file = s->file;
        }
        if (reload_due) {
            log::info("station_reload_followed", {{"station", id}, {"reloads", saved.reloads}});
            swap_in(*s, file);
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
std::string PluginManager::swap_in(StationSlot& s, const std::string& file) {
    const std::string& id = s.config.id;
    std::string why;
    auto inst = instantiate(s, file, why);
    if (!inst) {
        log::error("station_reload_failed", {{"station", id}, {"error", why}});
        return why;
    }
    std::shared_ptr<StationInstance> old;
    {
        std::lock_guard lock(s.mu);
        old = std::move(s.active);
        s.active = std::move(inst);
        ++s.generation;
        s.last_error.clear();
        s.consecutive_failures = 0;
        if (s.state == StationState::failed || s.state == StationState::faulted || s.state == StationState::configured)
            s.state = StationState::active;
    }
    app_.publish_routes();
    if (old) app_.scheduler().cancel_timers(old.get());
    log::info("station_reloaded", {{"station", id}, {"generation", s.generation}});
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

}  // namespace yz
