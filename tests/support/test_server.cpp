// SPDX-License-Identifier: MIT
#include "test_server.hpp"

#include <httplib.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

namespace yz::test {
using nlohmann::json;
namespace fs = std::filesystem;

TempDir::TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "yz-test-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
    path = tmpl;
}
TempDir::~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
}

static std::string env_or(const char* name, const char* fallback) {
    const char* v = std::getenv(name);
    return v && *v ? v : fallback;
}
std::string stations_dir() { return env_or("YZ_STATIONS_DIR", YZ_TEST_STATIONS_DIR); }
std::string fixtures_dir() { return env_or("YZ_FIXTURES_DIR", YZ_TEST_FIXTURES_DIR); }
std::string source_dir() { return YZ_TEST_SOURCE_DIR; }
std::string binary_dir() { return YZ_TEST_BINARY_DIR; }

std::string Response::header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
}

std::string error_code(const Response& r) {
    if (r.body.is_object() && r.body.contains("error") && r.body["error"].is_object())
        return r.body["error"].value("code", "(no code)");
    return "(status " + std::to_string(r.status) + ", no error body: " + r.text.substr(0, 80) + ")";
}

TestServer::TestServer(const std::function<void(Config&)>& tune) {
    Config c;
    c.host = "127.0.0.1";
    c.port = 0;
    c.data_dir = dir_.path;
    c.stations_dir = stations_dir();
    c.log_level = "error";
    c.threads = 8;
    // No scheduler thread: tests tick it themselves, on the clock they set. (A thread's first tick
    // could read the real clock before a test fixes it, and lapse holds or run jobs early.)
    c.scheduler_interval_ms = 0;
    if (tune) tune(c);
    app_ = std::make_unique<App>(std::move(c));
    app_->open();
    port_ = app_->start();
    if (port_ <= 0) throw std::runtime_error("test server failed to bind");
}

TestServer::~TestServer() { app_.reset(); }

int64_t TestServer::scalar(const std::string& sql, const std::vector<int64_t>& params) {
    Conn& c = app_->db().conn();
    auto q = c.prepare(sql);
    for (size_t i = 0; i < params.size(); ++i) q->bind(static_cast<int>(i + 1), params[i]);
    if (!q->executeStep()) throw std::runtime_error("no row from: " + sql);
    return q->getColumn(0).getInt64();
}

std::vector<json> TestServer::queued_notices(const std::string& station, const std::string& template_key) {
    Conn& c = app_->db().conn();
    auto q = c.prepare("SELECT user_id, data FROM core_outbox WHERE station = ?1 AND template_key = ?2 ORDER BY id");
    q->bind(1, station);
    q->bind(2, template_key);
    std::vector<json> out;
    while (q->executeStep()) {
        json data = json::parse(q->getColumn(1).getString());
        data["user_id"] = q->getColumn(0).getInt64();
        out.push_back(std::move(data));
    }
    return out;
}

namespace {
Response convert(const httplib::Result& r) {
    Response out;
    if (!r) {  // status 0: no answer; say why, so a failing test names the transport error
        out.text = "transport error: " + httplib::to_string(r.error());
        return out;
    }
    out.status = r->status;
    out.text = r->body;
    for (const auto& [k, v] : r->headers) out.headers[k] = v;
    out.body = json::parse(r->body, nullptr, false);
    return out;
}
httplib::Headers headers_for(const std::string& token, const std::map<std::string, std::string>& extra) {
    httplib::Headers h;
    if (!token.empty()) h.emplace("Authorization", "Bearer " + token);
    for (const auto& [k, v] : extra) h.emplace(k, v);
    return h;
}
}  // namespace

Response TestServer::get(const std::string& path, const std::string& token, const std::map<std::string, std::string>& headers) {
    httplib::Client cli("127.0.0.1", port_);
    return convert(cli.Get(path, headers_for(token, headers)));
}
Response TestServer::post(const std::string& path, const json& body, const std::string& token,
                          const std::map<std::string, std::string>& headers) {
    httplib::Client cli("127.0.0.1", port_);
    return convert(cli.Post(path, headers_for(token, headers), body.dump(), "application/json"));
}
Response TestServer::put(const std::string& path, const json& body, const std::string& token) {
    httplib::Client cli("127.0.0.1", port_);
    return convert(cli.Put(path, headers_for(token, {}), body.dump(), "application/json"));
}
Response TestServer::del(const std::string& path, const std::string& token) {
    httplib::Client cli("127.0.0.1", port_);
    return convert(cli.Delete(path, headers_for(token, {})));
}
Response TestServer::raw(const std::string& method, const std::string& path, const std::string& body,
                         const std::string& content_type, const std::map<std::string, std::string>& headers) {
    httplib::Client cli("127.0.0.1", port_);
    httplib::Request req;
    req.method = method;
    req.path = path;
    req.headers = headers_for("", headers);
    req.body = body;
    if (!content_type.empty()) req.set_header("Content-Type", content_type);
    return convert(cli.send(req));
}

std::string TestServer::login(const std::string& name, const std::vector<std::string>& roles) {
    int64_t uid = app_->identity().upsert_user("test-" + name, "", name);
    for (const auto& r : roles) {
        auto role = parse_role(r);
        if (!role) throw std::runtime_error("bad role in test: " + r);
        app_->identity().grant(uid, *role, 0);
    }
    return app_->identity().create_session(uid);
}

int64_t TestServer::user_id(const std::string& name) { return *app_->identity().find_user("test-" + name); }

}  // namespace yz::test
