// SPDX-License-Identifier: MIT
// Integration-test helpers: a real App on an ephemeral loopback port with a temp data dir, and a
// small HTTP client (httplib over loopback) that speaks JSON.
#pragma once

#include <map>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "app.hpp"

namespace yz::test {

// A fresh temp directory, removed with the object.
struct TempDir {
    TempDir();
    ~TempDir();
    std::string path;
};

// Paths of the build (overridable with YZ_STATIONS_DIR / YZ_FIXTURES_DIR).
std::string stations_dir();
std::string fixtures_dir();
std::string source_dir();
std::string binary_dir();

struct Response {
    int status = 0;
    nlohmann::json body;
    std::string text;
    std::map<std::string, std::string> headers;
    std::string header(const std::string& name) const;
};

// The `error.code` of a refusal, or what came back instead, so a failed check names the surprise.
std::string error_code(const Response& r);

class TestServer {
public:
    // `tune` may change the config before the app opens (stations, dev mode, limits...).
    explicit TestServer(const std::function<void(Config&)>& tune = nullptr);
    ~TestServer();

    App& app() { return *app_; }
    int port() const { return port_; }
    const std::string& data_dir() const { return dir_.path; }

    Response get(const std::string& path, const std::string& token = {}, const std::map<std::string, std::string>& headers = {});
    Response post(const std::string& path, const nlohmann::json& body, const std::string& token = {},
                  const std::map<std::string, std::string>& headers = {});
    Response put(const std::string& path, const nlohmann::json& body, const std::string& token = {});
    Response del(const std::string& path, const std::string& token = {});
    // Any method and raw body (for malformed-input tests).
    Response raw(const std::string& method, const std::string& path, const std::string& body,
                 const std::string& content_type, const std::map<std::string, std::string>& headers = {});

    // One integer from SQL on the server's database: counts and sums a test checks (?1.. bound in order).
    int64_t scalar(const std::string& sql, const std::vector<int64_t>& params = {});
    // What `station` queued in the outbox for `template_key`, oldest first, each data with its user_id.
    std::vector<nlohmann::json> queued_notices(const std::string& station, const std::string& template_key);

    // A session for a user named `name` (created if new) holding `roles` (e.g. {"staff:notices"}).
    std::string login(const std::string& name, const std::vector<std::string>& roles = {});
    int64_t user_id(const std::string& name);

private:
    TempDir dir_;
    std::unique_ptr<App> app_;
    int port_ = 0;
};

}  // namespace yz::test
