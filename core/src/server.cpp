// SPDX-License-Identifier: MIT
// Middleware and dispatch. Order per request: request id → CORS → route match (404/405) →
// authentication → permission (role and station scope) → rate limit → body checks (JSON content
// type, object, size) → idempotency replay → handler → metrics and access log.
// The core owns every step; a station's handler only runs when all of them passed.
#include "server.hpp"

#include <httplib.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <map>

#include <sys/socket.h>

#include <algorithm>
#include <cstdlib>

#include "answered_keys.hpp"
#include "app.hpp"
#include "audit.hpp"
#include "crypto_util.hpp"
#include "json_valid.hpp"
#include "log.hpp"
#include "plugin_manager.hpp"

namespace yz {
using nlohmann::json;

namespace {
// A request's header by name (the first, as httplib's get_header_value gives). httplib's multimap
// compares names with a tolower() call per character, and a request is looked up a dozen times:
// a few percent of a refused booking. A request carries a handful of headers; a scan that
// compares lengths first passes most of them without reading a character (the same test
// host_api's names_header makes of a station's header name).
const std::string* header_in(const httplib::Request& req, std::string_view name) {
    for (const auto& [k, v] : req.headers)
        if (k.size() == name.size() && strncasecmp(k.data(), name.data(), name.size()) == 0) return &v;
    return nullptr;
}
std::string_view header_or_empty(const httplib::Request& req, std::string_view name) {
    const std::string* v = header_in(req, name);
    return v ? std::string_view(*v) : std::string_view();
}
}  // namespace

// ---- RequestCtx: the httplib-facing half ----
std::string_view RequestCtx::method() const { return http.method; }
std::string_view RequestCtx::path() const { return http.path; }
std::optional<std::string> RequestCtx::param(std::string_view name) const {
    for (const auto& [k, v] : params)
        if (k == name) return v;
    return std::nullopt;
}
std::optional<std::string> RequestCtx::query(std::string_view name) const {
    auto it = http.params.find(std::string(name));
    if (it == http.params.end()) return std::nullopt;
    return it->second;
}
std::optional<std::string> RequestCtx::header(std::string_view name) const {
    if (const std::string* v = find_header(name)) return *v;
    return std::nullopt;
}
const std::string* RequestCtx::find_header(std::string_view name) const { return header_in(http, name); }
const std::string& RequestCtx::raw_body() const { return http.body; }
const Principal& RequestCtx::user() const {
    if (!principal) throw unauthorized();
    return *principal;
}
namespace {
const std::string kJsonContentType = "application/json; charset=utf-8";
// The one Content-Type of an answer (as httplib's set_content does): a handler that answered and
// then failed is answered again, and its first type must not stay.
void set_content_type(httplib::Response& res, const std::string& type) {
    auto range = res.headers.equal_range("Content-Type");
    res.headers.erase(range.first, range.second);
    res.set_header("Content-Type", type);
}
}  // namespace
void RequestCtx::json(int status, const nlohmann::json& payload) {
    json_text(status, payload.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}
void RequestCtx::json_text(int status, std::string serialized) {
    res.status = status;
    res.body = std::move(serialized);
    set_content_type(res, kJsonContentType);
}
void RequestCtx::text(int status, std::string_view content_type, std::string payload) {
    res.status = status;
    res.body = std::move(payload);
    set_content_type(res, std::string(content_type));
}
void RequestCtx::audit(const std::string& action, const std::string& record_type, const std::string& record_id,
                       nlohmann::json detail) {
    const Principal& p = user();
    audit::Entry e;
    e.actor_user_id = p.user_id;
    e.actor = {{"user_id", p.user_id}, {"roles", p.role_texts()}};
    e.action = action;
    e.record_type = record_type;
    e.record_id = record_id;
    e.detail = std::move(detail);
    audit::record(app.db().conn(), e, app.clock().now_ms());
}

void RequestCtx::error(const ApiError& e) { json(e.status, error_body(e.code, e.message, request_id, e.details)); }
void RequestCtx::res_header(const std::string& name, const std::string& value) { res.set_header(name, value); }

namespace {

std::string pick_request_id(const httplib::Request& req) {
    // Accept the caller's id (nginx, the mini-program) when it is short and plain; else make one.
    std::string_view given = header_or_empty(req, "X-Request-Id");
    if (!given.empty() && given.size() <= 64 &&
        given.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") == std::string_view::npos)
        return std::string(given);
    // Request ids need to be unique, not secret: a per-thread generator seeded from the CSPRNG
    // keeps the CSPRNG's locks off the hot path.
    thread_local uint64_t state = [] {
        uint64_t seed;
        std::string r = crypto::random_bytes(sizeof seed);
        std::memcpy(&seed, r.data(), sizeof seed);
        return seed;
    }();
    auto next = [] {  // splitmix64
        uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    };
    static const char* hex = "0123456789abcdef";
    std::string id(24, '0');
    uint64_t a = next(), b = next();
    for (int i = 0; i < 16; ++i) id[static_cast<size_t>(i)] = hex[(a >> (60 - 4 * i)) & 15];
    for (int i = 0; i < 8; ++i) id[static_cast<size_t>(16 + i)] = hex[(b >> (28 - 4 * i)) & 15];
    return id;
}

std::string client_addr(const App& app, const httplib::Request& req) {
    if (app.config().trust_proxy)
        if (const std::string* real = header_in(req, "X-Real-IP")) return *real;
    return req.remote_addr;
}

bool origin_allowed(const App& app, const std::string& origin) {
    for (const auto& o : app.config().cors_origins)
        if (o == origin) return true;
    return false;
}

void apply_cors(App& app, const httplib::Request& req, httplib::Response& res) {
    const std::string* origin = header_in(req, "Origin");
    if (!origin || !origin_allowed(app, *origin)) return;
    res.set_header("Access-Control-Allow-Origin", *origin);
    res.set_header("Vary", "Origin");
    res.set_header("Access-Control-Expose-Headers", "X-Request-Id, Retry-After");
}

bool permitted(const Route& r, const Principal& p) {
    const Permission& perm = r.permission;
    if (perm.is_public || perm.any_user) return true;
    if (perm.staff_of_station && !r.station.empty() && p.has("staff", r.station)) return true;
    for (const auto& want : perm.roles)
        for (const auto& have : p.roles)
            if (have.role == want) return true;
    return false;
}

void authenticate(RequestCtx& ctx) {
    std::string_view auth = header_or_empty(ctx.http, "Authorization");
    const Route& r = *ctx.route;
    if (auth.empty()) {
        if (!r.permission.is_public) throw unauthorized();
        return;
    }
    if (auth.size() < 8 || strncasecmp(auth.data(), "Bearer ", 7) != 0) {
        throw ApiError(401, "invalid_token", "登录状态无效，请重新登录");
    }
    ctx.token = std::string(auth.substr(7));
    ctx.principal = ctx.app.identity().authenticate(ctx.token);
    if (!ctx.principal) {
        if (r.permission.is_public) return;  // a stale token does not block public pages
        throw ApiError(401, "invalid_token", "登录已过期，请重新登录");
    }
    if (!permitted(r, *ctx.principal)) throw forbidden();
}

void check_body(RequestCtx& ctx) {
    const std::string& m = ctx.http.method;
    if (m != "POST" && m != "PUT" && m != "PATCH") return;
    if (ctx.route->raw_body) return;  // the handler parses (and authenticates) the body itself
    if (ctx.http.body.empty()) {
        ctx.body = json::object();
        return;
    }
    if (!header_or_empty(ctx.http, "Content-Type").starts_with("application/json"))
        throw ApiError(415, "unsupported_media_type", "请求内容须为 JSON 格式", json{{"expected", "application/json"}});
    const std::string& text = ctx.http.body;
    if (!ctx.route->station.empty()) {
        // A station reads the body itself, from the text: checking it is JSON builds no tree
        // (json_valid passes exactly what the station's parse will take).
        if (!json_valid(text)) throw ApiError(400, "invalid_json", "请求内容不是有效的 JSON");
        size_t first = text.find_first_not_of(" \t\r\n");
        if (first == std::string::npos || text[first] != '{') throw ApiError(400, "invalid_body", "请求内容须为 JSON 对象");
        return;
    }
    ctx.body = json::parse(text, nullptr, false);
    if (ctx.body.is_discarded()) throw ApiError(400, "invalid_json", "请求内容不是有效的 JSON");
    if (!ctx.body.is_object()) throw ApiError(400, "invalid_body", "请求内容须为 JSON 对象");
}

// An answer as stored for replay (core_idempotency).
struct StoredAnswer {
    int64_t user;
    std::string key, route, request_hash, body;
    int status;
    int64_t at;
};

// Idempotency-Key on POST: the first answer that changed something (2xx) is stored and replayed for
// a retry with the same key. A refusal changed nothing, so it is not kept: a retry runs again and
// may succeed once its cause is gone (a place freed), and a full slot refused on a read costs the
// database's single writer nothing. While the first is running, a retry in this process is told
// request_in_progress (InFlight); the answer is written once, when it is known (idempotency_end),
// and until it is stored a retry here is answered from memory.
// Stations keep their own keys too (a booking's, a ledger hold's), so even a retry that reaches
// another process, or follows a crash before the answer was stored, changes nothing twice. A key
// never answered is known without a lookup (AnsweredKeys).
class InFlight {
public:
    // True: the key is ours until release. False: another request holds it — still running
    // (`answer` null), or answered and its answer being stored (`answer` is it).
    bool claim(int64_t user, const std::string& key, std::shared_ptr<const StoredAnswer>& answer) {
        std::lock_guard lock(mu_);
        auto [it, fresh] = keys_.try_emplace({user, key});
        if (!fresh) answer = it->second;
        return fresh;
    }
    // The answer of a claimed key, replayed from here until it is stored and the key released.
    void answered(std::shared_ptr<const StoredAnswer> answer) {
        std::lock_guard lock(mu_);
        keys_[{answer->user, answer->key}] = std::move(answer);
    }
    void release(int64_t user, const std::string& key) {
        std::lock_guard lock(mu_);
        keys_.erase({user, key});
    }

private:
    std::mutex mu_;
    std::map<std::pair<int64_t, std::string>, std::shared_ptr<const StoredAnswer>> keys_;
};

// Of method, path and body: a key sent again with another request is refused. Worked out only
// where it is compared or stored, not for every keyed POST.
std::string request_hash(const httplib::Request& req) {
    return crypto::hex(crypto::sha256(req.method + " " + req.path + "\n" + req.body));
}

// Holds the request's key for as long as it runs, however it ends.
struct InFlightClaim {
    InFlight* in_flight = nullptr;
    int64_t user = 0;
    std::string key;
    ~InFlightClaim() {
        if (in_flight) in_flight->release(user, key);
    }
};

// Answers a retry with the first answer, if it is the same request. Returns true.
bool replay(RequestCtx& ctx, const std::string& first_hash, int status, const std::string& body) {
    if (first_hash != request_hash(ctx.http)) throw ApiError(422, "idempotency_key_reused", "该请求标识已用于另一个请求");
    ctx.json(status, json::parse(body, nullptr, false));
    ctx.res.set_header("Idempotent-Replayed", "true");
    return true;
}

// Returns true if the response was replayed (the handler must not run); otherwise `claim` holds the
// key (empty for a request without one).
bool idempotency_begin(RequestCtx& ctx, InFlight& in_flight, const AnsweredKeys& answered, InFlightClaim& claim) {
    if (ctx.http.method != "POST" || !ctx.principal) return false;
    const std::string* sent = header_in(ctx.http, "Idempotency-Key");
    if (!sent) return false;
    const std::string& key = *sent;
    if (key.empty() || key.size() > 128)
        throw ApiError(400, "invalid_idempotency_key", "Idempotency-Key 须为 1 到 128 个字符");
    // Claim before reading: the first request stores its answer before it lets go of the claim,
    // so a retry that claims after it reads that answer.
    std::shared_ptr<const StoredAnswer> storing;
    if (!in_flight.claim(ctx.principal->user_id, key, storing)) {
        if (!storing) throw ApiError(409, "request_in_progress", "相同的请求正在处理中，请稍候");
        return replay(ctx, storing->request_hash, storing->status, storing->body);
    }
    claim = {&in_flight, ctx.principal->user_id, key};
    if (!answered.maybe(ctx.principal->user_id, key)) return false;  // a key never answered: nothing to replay
    Conn& c = ctx.app.db().conn();
    auto core = c.enter_core();
    auto q = c.prepare("SELECT request_hash, status, body, created_at FROM core_idempotency WHERE user_id = ?1 AND idem_key = ?2");
    q->bind(1, ctx.principal->user_id);
    q->bind(2, key);
    if (!q->executeStep()) return false;
    if (!q->getColumn(1).isNull()) return replay(ctx, q->getColumn(0).getString(), q->getColumn(1).getInt(), q->getColumn(2).getString());
    if (q->getColumn(0).getString() != request_hash(ctx.http)) throw ApiError(422, "idempotency_key_reused", "该请求标识已用于另一个请求");
    // An answer-less row, left by another process still running it (or by one that crashed):
    // refuse while young, take over when stale.
    if (ctx.app.clock().now_ms() - q->getColumn(3).getInt64() < 60'000)
        throw ApiError(409, "request_in_progress", "相同的请求正在处理中，请稍候");
    return false;
}

// Stores a 2xx answer for replay. A 4xx changed nothing and a 5xx is not an answer: the retry
// should run again (a 5xx also clears an answer-less row another process may have left).
// The answer is stored after it is sent, by the database's writer in its next group: a request
// waits for its own writes to reach the disk, not for this one's too (under a booking rush, that
// second wait was a third of each booking's time). The key stays claimed until it is stored, and
// a retry in this process meanwhile is answered from the claim. A crash before it is stored loses
// a replay, not a write: the station's own key answers that retry (see above).
void idempotency_end(RequestCtx& ctx, AnsweredKeys& answered, InFlightClaim& claim) {
    if (ctx.res.status >= 300 && ctx.res.status < 500) return;
    if (ctx.res.status < 300) answered.add(claim.user, claim.key);
    auto a = std::make_shared<const StoredAnswer>(StoredAnswer{claim.user, claim.key, ctx.route->path, request_hash(ctx.http),
                                                               ctx.res.body, ctx.res.status, ctx.app.clock().now_ms()});
    InFlight* in_flight = std::exchange(claim.in_flight, nullptr);  // released once stored
    if (a->status < 300) in_flight->answered(a);
    ctx.app.db().write_detached(
        [a](Conn& c) {
            auto core = c.enter_core();
            if (a->status >= 500) {
                auto del = c.prepare("DELETE FROM core_idempotency WHERE user_id = ?1 AND idem_key = ?2");
                del->bind(1, a->user);
                del->bind(2, a->key);
                del->exec();
                return;
            }
            auto up = c.prepare(
                "INSERT INTO core_idempotency(user_id, idem_key, route, request_hash, status, body, created_at) "
                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(user_id, idem_key) DO UPDATE SET "
                "request_hash = excluded.request_hash, status = excluded.status, body = excluded.body, created_at = excluded.created_at");
            up->bind(1, a->user);
            up->bind(2, a->key);
            up->bind(3, a->route);
            up->bind(4, a->request_hash);
            up->bind(5, a->status);
            up->bind(6, a->body);
            up->bind(7, a->at);
            up->exec();
        },
        [a, in_flight](std::exception_ptr failed) {
            if (failed) {
                std::string why = "unknown";
                try {
                    std::rethrow_exception(failed);
                } catch (const std::exception& e) {
                    why = e.what();
                } catch (...) {
                }
                log::warn("idempotency_answer_not_stored", {{"user_id", a->user}, {"error", why}});
            }
            in_flight->release(a->user, a->key);
        });
}

void access_log(const App& app, const httplib::Request& req, const httplib::Response& res, std::string_view route,
                std::string_view request_id, int64_t user_id, double seconds) {
    if (!log::enabled(log::Level::info)) return;
    std::string client = client_addr(app, req);
    log::access(log::AccessLine{request_id, req.method, route, client, res.status, seconds * 1000.0, user_id, res.body.size()});
}

}  // namespace

// Debian's cpp-httplib 0.11 is a compiled library that listens with a backlog of 5: a burst of
// phones connecting at once overflows the accept queue and the kernel drops their connections
// (64 racing residents lost up to a quarter). We re-listen on the bound socket with a real backlog;
// Linux applies a second listen() to the existing queue. The kernel caps it at net.core.somaxconn.
constexpr int kListenBacklog = 1024;

struct HttpServer::Impl {
    App& app;
    InFlight in_flight;
    AnsweredKeys answered;
    httplib::Server svr;
    std::thread thread;
    int port = -1;
    int listen_fd = -1;  // the socket httplib bound, seen through its socket-options hook

    explicit Impl(App& a) : app(a), answered(!a.config().worker) {
        const Config& c = app.config();
        answered.load(app.db().conn());
        int threads = c.threads;
        svr.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
        svr.set_tcp_nodelay(true);
        // Not httplib's default options: Debian's 0.11 sets SO_REUSEPORT on every listening socket,
        // so a second server started by mistake on the same port silently took half the traffic.
        // Only the workers of one supervisor share a port, on purpose.
        bool share_port = c.worker;
        svr.set_socket_options([this, share_port](int sock) {
            int yes = 1, share = share_port ? 1 : 0;
            ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
            ::setsockopt(sock, SOL_SOCKET, SO_REUSEPORT, &share, sizeof share);
            listen_fd = sock;  // the last socket tried is the one that bound
        });
        svr.set_keep_alive_max_count(static_cast<size_t>(c.keep_alive_max_count));
        svr.set_keep_alive_timeout(c.keep_alive_timeout_s);
        svr.set_read_timeout(c.read_timeout_s, 0);
        svr.set_write_timeout(c.write_timeout_s, 0);
        // httplib has one limit for every route; it is the largest any route allows, and a request
        // whose declared body is larger than its own route allows is refused before it is read.
        svr.set_payload_max_length(static_cast<size_t>(std::max(c.payload_max_bytes, c.upload_max_bytes)));
        svr.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) { return before_routing(req, res); });
        // The staff console: static files, no build step (web/console). Its API calls carry the
        // console session like any other client's.
        if (!c.console_dir.empty() && !svr.set_mount_point("/console/", c.console_dir))
            log::warn("console_dir_missing", {{"dir", c.console_dir}});
        svr.set_file_request_handler([](const httplib::Request&, httplib::Response& res) {
            res.set_header("Cache-Control", "no-cache");
            res.set_header("X-Content-Type-Options", "nosniff");
            res.set_header("X-Frame-Options", "DENY");
            res.set_header("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'");
        });
        auto handler = [this](const httplib::Request& req, httplib::Response& res) { dispatch(req, res); };
        svr.Get(".*", handler);
        svr.Post(".*", handler);
        svr.Put(".*", handler);
        svr.Patch(".*", handler);
        svr.Delete(".*", handler);
        svr.Options(".*", handler);
        // Errors httplib raises itself (oversized body, malformed request line) become our JSON too.
        svr.set_error_handler(httplib::Server::HandlerWithResponse([this](const httplib::Request& req, httplib::Response& res) {
            if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
            std::string rid = pick_request_id(req);
            res.set_header("X-Request-Id", rid);
            std::string code = res.status == 413 ? "payload_too_large" : res.status == 414 ? "uri_too_long" : "bad_request";
            std::string msg = res.status == 413 ? "提交的内容过大" : "请求格式不正确";
            res.set_content(error_body(code, msg, rid).dump(), "application/json; charset=utf-8");
            app.metrics().observe(req.method.empty() ? "-" : req.method, "unmatched", res.status, 0);
            access_log(app, req, res, "unmatched", rid, 0, 0);
            return httplib::Server::HandlerResponse::Handled;
        }));
    }

    // httplib's own routing matches a std::regex against the whole path, a few microseconds a
    // request for nothing: our route table decides. A request without a body (GET, OPTIONS) is
    // dispatched here, before that; one with a body is only checked here and dispatched once
    // httplib has read it. The console's static files stay with httplib.
    httplib::Server::HandlerResponse before_routing(const httplib::Request& req, httplib::Response& res) {
        if ((req.method == "GET" || req.method == "OPTIONS") && !req.path.starts_with("/console/")) {
            dispatch(req, res);
            return httplib::Server::HandlerResponse::Handled;
        }
        return refuse_large_body(req, res);
    }

    // Runs before httplib reads the body: a body over the route's limit (payload_max_bytes unless
    // the route allows more) is refused from its Content-Length, and a chunked one, whose length
    // is unknown, only goes to a route that allows a large body.
    httplib::Server::HandlerResponse refuse_large_body(const httplib::Request& req, httplib::Response& res) {
        const Config& c = app.config();
        bool chunked = header_or_empty(req, "Transfer-Encoding").find("chunked") != std::string_view::npos;
        const std::string* declared = header_in(req, "Content-Length");
        uint64_t length = declared ? std::strtoull(declared->c_str(), nullptr, 10) : 0;
        if (!chunked && length <= static_cast<uint64_t>(c.payload_max_bytes)) return httplib::Server::HandlerResponse::Unhandled;
        RouteMatch m = app.routes()->match(req.method, req.path);
        int64_t limit = m.route && m.route->body_limit > 0 ? m.route->body_limit : c.payload_max_bytes;
        if (m.route && m.route->body_limit > 0 && length <= static_cast<uint64_t>(limit))
            return httplib::Server::HandlerResponse::Unhandled;
        std::string rid = pick_request_id(req);
        bool unknown = chunked && !(m.route && m.route->body_limit > 0);
        res.status = unknown ? 411 : 413;
        res.set_header("X-Request-Id", rid);
        res.set_header("Connection", "close");  // the unread body must not be taken for the next request
        json details{{"max_bytes", limit}};
        res.set_content(error_body(unknown ? "length_required" : "payload_too_large",
                                   unknown ? "请求须注明内容长度" : "提交的内容过大", rid, details).dump(),
                        "application/json; charset=utf-8");
        app.metrics().observe(req.method, m.route ? m.route->path : "unmatched", res.status, 0);
        access_log(app, req, res, m.route ? m.route->path : "unmatched", rid, 0, 0);
        return httplib::Server::HandlerResponse::Handled;
    }

    void dispatch(const httplib::Request& req, httplib::Response& res) {
        auto t0 = std::chrono::steady_clock::now();
        RequestCtx ctx(app, req, res, pick_request_id(req));
        res.set_header("X-Request-Id", ctx.request_id);
        // Held for the whole request: a reload cannot retire the instance serving us, nor the
        // route whose path labels the request's metrics and log line.
        std::shared_ptr<const RouteTable> table = app.routes();
        std::string_view route_label = "unmatched";
        try {
            apply_cors(app, req, res);
            if (req.method == "OPTIONS") {
                if (const std::string* origin = header_in(req, "Origin"); origin && origin_allowed(app, *origin)) {
                    res.set_header("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE");
                    res.set_header("Access-Control-Allow-Headers", "Authorization, Content-Type, Idempotency-Key, X-Request-Id");
                    res.set_header("Access-Control-Max-Age", "600");
                }
                res.status = 204;
            } else {
                RouteMatch m = table->match(req.method, req.path);
                if (!m.route) {
                    if (!m.allowed_methods.empty()) {
                        std::string allow;
                        for (const auto& a : m.allowed_methods) allow += (allow.empty() ? "" : ", ") + a;
                        res.set_header("Allow", allow);
                        throw ApiError(405, "method_not_allowed", "不支持该请求方式", json{{"allow", m.allowed_methods}});
                    }
                    throw not_found();
                }
                ctx.route = m.route;
                ctx.params = std::move(m.params);
                route_label = m.route->path;
                authenticate(ctx);
                int retry_after = 0;
                std::string who = ctx.principal ? "u:" + std::to_string(ctx.principal->user_id) : "ip:" + client_addr(app, req);
                if (!app.rate_limiter().allow(who, app.clock().now_ms(), &retry_after)) {
                    res.set_header("Retry-After", std::to_string(retry_after));
                    throw ApiError(429, "rate_limited", "请求过于频繁，请稍后再试");
                }
                check_body(ctx);
                InFlightClaim claim;
                if (!idempotency_begin(ctx, in_flight, answered, claim)) {
                    try {
                        if (m.route->station.empty()) m.route->core_handler(ctx);
                        else app.plugins().invoke(ctx, *m.route);
                    } catch (const ApiError& e) {
                        ctx.error(e);
                    }
                    if (claim.in_flight) idempotency_end(ctx, answered, claim);
                }
            }
        } catch (const ApiError& e) {
            ctx.error(e);
        } catch (const std::exception& e) {
            log::error("handler_exception", {{"request_id", ctx.request_id}, {"route", route_label}, {"error", e.what()}});
            ctx.error(ApiError(500, "internal_error", "服务暂时不可用，请稍后再试"));
        }
        double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        app.metrics().observe(req.method, route_label, res.status, seconds);
        access_log(app, req, res, route_label, ctx.request_id, ctx.principal ? ctx.principal->user_id : 0, seconds);
    }
};

HttpServer::HttpServer(App& app) : impl_(std::make_unique<Impl>(app)) {}
HttpServer::~HttpServer() {
    stop();
    // Answers still being stored release their keys in our InFlight: let them finish first.
    if (impl_) impl_->app.db().wait_for_queued_writes();
}

int HttpServer::bind() {
    const Config& c = impl_->app.config();
    if (c.port == 0) impl_->port = impl_->svr.bind_to_any_port(c.host);
    else impl_->port = impl_->svr.bind_to_port(c.host, c.port) ? c.port : -1;
    if (impl_->port > 0 && impl_->listen_fd >= 0 && ::listen(impl_->listen_fd, kListenBacklog) != 0)
        log::warn("listen_backlog_unchanged", {{"error", std::strerror(errno)}});
    return impl_->port;
}

void HttpServer::serve_background() {
    impl_->thread = std::thread([this] { impl_->svr.listen_after_bind(); });
    // Return only once the accept loop runs, so the caller can connect at once.
    while (!impl_->svr.is_running()) std::this_thread::yield();
}

bool HttpServer::serve_here() { return impl_->svr.listen_after_bind(); }

void HttpServer::stop() {
    if (!impl_) return;
    impl_->svr.stop();
    if (impl_->thread.joinable()) impl_->thread.join();
}

}  // namespace yz
