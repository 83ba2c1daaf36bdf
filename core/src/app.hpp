// SPDX-License-Identifier: MIT
// The application: everything a running yizhan owns (config, clock, database, identity, plugin
// manager, scheduler, metrics, route table) and the per-request context handlers receive.
// The HTTP transport (httplib) is kept out of this header; server.cpp adapts it.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "config.hpp"
#include "db.hpp"
#include "errors.hpp"
#include "identity.hpp"
#include "metrics.hpp"
#include "outbox.hpp"
#include "rate_limit.hpp"
#include "router.hpp"
#include "scheduler.hpp"
#include "time_util.hpp"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace yz {

class App;
class PluginManager;
class HttpServer;
class WechatService;
class SigningKeys;

// One request as handlers see it. Valid until the response is written.
struct RequestCtx {
    RequestCtx(App& a, const httplib::Request& h, httplib::Response& r, std::string rid)
        : app(a), http(h), res(r), request_id(std::move(rid)) {}
    App& app;
    const httplib::Request& http;
    httplib::Response& res;
    std::string request_id;
    const Route* route = nullptr;
    std::vector<std::pair<std::string, std::string>> params;
    std::shared_ptr<const Principal> principal;
    std::string token;  // the bearer token as sent (never logged)
    nlohmann::json body;  // parsed JSON object for routes that take a body, else null

    std::string_view method() const;
    std::string_view path() const;
    std::optional<std::string> param(std::string_view name) const;
    std::optional<std::string> query(std::string_view name) const;
    std::optional<std::string> header(std::string_view name) const;
    // The header's value as received (valid for the request), or null: no copy, no allocation.
    const std::string* find_header(std::string_view name) const;
    const std::string& raw_body() const;

    // The caller, or 401.
    const Principal& user() const;
    // An audit line by the signed-in caller (their id and roles as the actor), in the core's scope.
    void audit(const std::string& action, const std::string& record_type, const std::string& record_id,
               nlohmann::json detail = nlohmann::json::object());
    void json(int status, const nlohmann::json& payload);
    void text(int status, std::string_view content_type, std::string payload);
    void json_text(int status, std::string serialized);  // a body already written as JSON
    void error(const ApiError& e);
    void res_header(const std::string& name, const std::string& value);
};

class App {
public:
    explicit App(Config config);
    ~App();
    App(const App&) = delete;
    App& operator=(const App&) = delete;

    // Opens the database, migrates, loads stations and publishes the route table.
    void open();
    // Binds (port 0 = ephemeral) and serves on a background thread; returns the port.
    int start();
    // Binds and serves on this thread until stop().
    bool serve_forever(const std::function<void(int port)>& on_listening = {});
    void stop();
    bool ready() const { return ready_.load(); }

    Config& config() { return config_; }
    const Config& config() const { return config_; }
    time::Clock& clock() { return clock_; }
    Database& db() { return *db_; }
    Identity& identity() { return *identity_; }
    SigningKeys& signing() { return *signing_; }
    Metrics& metrics() { return metrics_; }
    RateLimiter& rate_limiter() { return *rate_limiter_; }
    Scheduler& scheduler() { return *scheduler_; }
    PluginManager& plugins() { return *plugins_; }
    // The WeChat integration, or nullptr when wechat.base_url is not set.
    WechatService* wechat() { return wechat_.get(); }

    std::shared_ptr<const RouteTable> routes() const {
        std::shared_lock lock(routes_mu_);
        return routes_;
    }
    // Rebuilds the table from the core's routes and every active station's, and swaps it in.
    void publish_routes();

    // The outbox sender (the WeChat adapter installs one); empty = rows stay queued.
    void set_outbox_sender(outbox::Sender sender) { outbox_sender_ = std::move(sender); }
    const outbox::Sender& outbox_sender() const { return outbox_sender_; }

private:
    void start_scheduler();

    Config config_;
    time::Clock clock_;
    std::unique_ptr<Database> db_;
    std::unique_ptr<Identity> identity_;
    std::unique_ptr<SigningKeys> signing_;
    Metrics metrics_;
    std::unique_ptr<RateLimiter> rate_limiter_;
    std::unique_ptr<Scheduler> scheduler_;
    std::unique_ptr<WechatService> wechat_;
    std::unique_ptr<PluginManager> plugins_;
    std::unique_ptr<HttpServer> server_;
    std::vector<Route> core_routes_;
    // Read by every request, replaced on a reload. A reader-writer lock rather than
    // std::atomic<std::shared_ptr>: libstdc++ spins on a lock bit there, and with a worker per
    // connection on two cores a preempted holder cost every request (5% of a slot listing's time).
    mutable std::shared_mutex routes_mu_;
    std::shared_ptr<const RouteTable> routes_;
    std::atomic<bool> ready_{false};
    outbox::Sender outbox_sender_;
};

// Route registration helpers for core route files.
void add_core_routes(App& app, std::vector<Route>& routes);
void add_admin_routes(App& app, std::vector<Route>& routes);
void add_admin_user_routes(App& app, std::vector<Route>& routes);  // called by add_admin_routes
void add_station_install_routes(App& app, std::vector<Route>& routes);
void add_console_login_routes(App& app, std::vector<Route>& routes);
void add_wechat_routes(App& app, std::vector<Route>& routes);
Route core_route(std::string method, std::string path, std::string permission, std::string summary,
                 CoreHandler handler);

}  // namespace yz
