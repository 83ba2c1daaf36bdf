// SPDX-License-Identifier: MIT
#include "app.hpp"

#include <filesystem>

#include "capacity.hpp"
#include "core_schema.hpp"
#include "log.hpp"
#include "plugin_manager.hpp"
#include "privacy.hpp"
#include "retention.hpp"
#include "signing.hpp"
#include "server.hpp"
#include "wechat_screening.hpp"
#include "wechat_sender.hpp"
#include "wechat_service.hpp"

namespace yz {

App::App(Config config) : config_(std::move(config)) {
    log::set_min_level(config_.log_level == "debug" ? log::Level::debug
                       : config_.log_level == "warn" ? log::Level::warn
                       : config_.log_level == "error" ? log::Level::error
                                                      : log::Level::info);
}

App::~App() {
    stop();
    // Stations first (their shutdown may still use the database), then the rest. The route table
    // holds instances too: drop it before the slots those instances point into.
    {
        std::unique_lock lock(routes_mu_);
        routes_.reset();
    }
    plugins_.reset();
    server_.reset();
}

Route core_route(std::string method, std::string path, std::string permission, std::string summary, CoreHandler handler) {
    Route r;
    r.method = std::move(method);
    r.path = std::move(path);
    r.tmpl = *PathTemplate::parse(r.path);
    r.permission = *Permission::parse(permission);
    r.summary = std::move(summary);
    r.core_handler = std::move(handler);
    return r;
}

void App::open() {
    std::filesystem::create_directories(config_.data_dir);
    db_ = std::make_unique<Database>(config_.database_path(), config_.busy_timeout_ms);
    migrate_core(db_->conn());
    identity_ = std::make_unique<Identity>(*db_, clock_, config_.session_ttl_s);
    signing_ = std::make_unique<SigningKeys>(*db_);
    rate_limiter_ = std::make_unique<RateLimiter>(config_.rate_limit_per_minute, config_.rate_limit_burst);
    scheduler_ = std::make_unique<Scheduler>(*db_, clock_);
    plugins_ = std::make_unique<PluginManager>(*this);
    scheduler_->set_resolver(
        [this](const std::string& station, const std::string& kind) -> Scheduler::JobRunner {
            return plugins_->job_runner(station, kind);
        },
        [this] { return plugins_->active_ids(); });
    scheduler_->add_tick_hook([this] { capacity::sweep_expired(db_->conn(), clock_.now_ms()); });
    scheduler_->add_tick_hook([this, purged_at = std::optional<int64_t>()]() mutable {
        int64_t now = clock_.now_ms();
        if (purged_at && now - *purged_at < retention::kPurgeEveryMs) return;
        retention::purge(db_->conn(), now);
        purged_at = now;
    });
    // A worker of `serve --workers` applies the station changes an admin made through a peer.
    if (config_.worker) scheduler_->add_tick_hook([this] { plugins_->follow_peers(); });
    scheduler_->add_tick_hook([this] {
        if (outbox_sender_)
            outbox::run_due(db_->conn(), outbox_sender_, clock_.now_ms(), config_.wechat.outbox_max_attempts);
    });
    if (config_.wechat.enabled()) {
        wechat_ = std::make_unique<WechatService>(*this);
        set_outbox_sender(make_wechat_sender(*wechat_));
        scheduler_->add_tick_hook([this] { screen_pending_messages(*this); });
    }
    add_core_routes(*this, core_routes_);
    add_admin_routes(*this, core_routes_);
    add_station_install_routes(*this, core_routes_);
    add_console_login_routes(*this, core_routes_);
    add_wechat_routes(*this, core_routes_);
    add_privacy_routes(*this, core_routes_);
    plugins_->load_all();
    publish_routes();
    ready_ = true;
}

void App::publish_routes() {
    std::vector<Route> all = core_routes_;
    plugins_->append_routes(all);
    auto table = std::make_shared<const RouteTable>(std::move(all));
    std::unique_lock lock(routes_mu_);
    routes_.swap(table);  // the old table goes when the lock is released and its last request ends
}

// 0: no scheduler thread; whoever runs the app ticks it (tests do, on their own clock).
void App::start_scheduler() {
    if (config_.scheduler_interval_ms > 0) scheduler_->start(config_.scheduler_interval_ms);
}

int App::start() {
    server_ = std::make_unique<HttpServer>(*this);
    int port = server_->bind();
    if (port < 0) return -1;
    config_.port = port;
    server_->serve_background();
    start_scheduler();
    return port;
}

bool App::serve_forever(const std::function<void(int port)>& on_listening) {
    server_ = std::make_unique<HttpServer>(*this);
    int port = server_->bind();
    if (port < 0) {
        log::error("bind_failed", {{"host", config_.host}, {"port", config_.port}});
        return false;
    }
    config_.port = port;
    start_scheduler();
    log::info("listening", {{"url", "http://" + config_.host + ":" + std::to_string(port)}});
    if (on_listening) on_listening(port);
    return server_->serve_here();
}

void App::stop() {
    if (scheduler_) scheduler_->stop();
    if (server_) server_->stop();
}

}  // namespace yz
