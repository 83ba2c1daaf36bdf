// SPDX-License-Identifier: MIT
// Simulator lifecycle: bind, serve on one background thread, stop and join.
#include <httplib.h>

#include <thread>
#include <yz/wechat/simulator.hpp>

#include "sim_context.hpp"
#include "sim_routes.hpp"

namespace yz::wechat {

struct Simulator::Impl {
    explicit Impl(SimulatorOptions options) : ctx(std::move(options)) {}
    sim::SimContext ctx;
    httplib::Server server;
    std::thread thread;
    std::string host;
    int port = 0;
};

Simulator::Simulator(SimulatorOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {
    sim::mount_api_routes(impl_->server, impl_->ctx);
    sim::mount_control_routes(impl_->server, impl_->ctx);
    // Short keep-alive so stop() never waits long for an idle client connection.
    impl_->server.set_keep_alive_timeout(1);
}

Simulator::~Simulator() { stop(); }

bool Simulator::start(const std::string& host, int port) {
    if (impl_->thread.joinable()) return false;
    auto& server = impl_->server;
    const int bound =
        port == 0 ? server.bind_to_any_port(host) : (server.bind_to_port(host, port) ? port : -1);
    if (bound <= 0) return false;
    impl_->host = host;
    impl_->port = bound;
    impl_->ctx.set_stopping(false);
    impl_->thread = std::thread([&server] { server.listen_after_bind(); });
    // The socket already listens, but stop() only works once the accept loop runs: wait for it.
    while (!server.is_running()) std::this_thread::yield();
    return true;
}

void Simulator::stop() {
    if (!impl_->thread.joinable()) return;
    impl_->ctx.set_stopping(true);
    impl_->server.stop();
    impl_->thread.join();
}

int Simulator::port() const noexcept { return impl_->port; }

std::string Simulator::base_url() const {
    return "http://" + impl_->host + ":" + std::to_string(impl_->port);
}

const SimulatorOptions& Simulator::options() const noexcept { return impl_->ctx.options; }

std::string Simulator::mint_login_code(std::string_view user) {
    return impl_->ctx.state.mint_login_code(user);
}

std::string Simulator::openid_for(std::string_view user) const {
    return impl_->ctx.state.openid_for(user);
}

void Simulator::add_template(const std::string& template_id,
                             const std::vector<std::string>& keywords) {
    impl_->ctx.state.add_template(template_id, keywords);
}

void Simulator::grant_subscribe(std::string_view user, const std::string& template_id, int count) {
    impl_->ctx.state.grant(user, template_id, count);
}

std::int64_t Simulator::call_count(const std::string& path) const {
    return impl_->ctx.faults.count(path);
}

std::map<std::string, std::int64_t> Simulator::call_counts() const {
    return impl_->ctx.faults.counts();
}

void Simulator::advance_clock(std::int64_t seconds) { impl_->ctx.clock.advance(seconds); }

void Simulator::reset() {
    impl_->ctx.state.reset();
    impl_->ctx.faults.reset();
    impl_->ctx.clock.reset();
}

}  // namespace yz::wechat
