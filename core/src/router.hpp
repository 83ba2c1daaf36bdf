// SPDX-License-Identifier: MIT
// Route templates and the immutable route table.
//
// A template is a path of literal segments and {name} segments ("/bookings/{id}/cancel"). httplib
// 0.11 has only regex routes, so the core registers one catch-all handler per method and matches
// here, segment by segment — faster than std::regex and it lets us answer 404 and 405 as JSON.
// A RouteTable is never changed after it is built; a change builds a new one and publishes it with
// one atomic swap, so each request sees one consistent table.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

namespace yz {

struct RequestCtx;
class StationInstance;
struct StationSlot;

// Who may call a route: any of the listed grants.
struct Permission {
    bool is_public = false;     // no login needed
    bool any_user = false;      // any logged-in user
    std::vector<std::string> roles;  // resident, member, unit_contact, grid, admin
    bool staff_of_station = false;   // staff:<the route's station>
    std::string text;

    // Parses "public", "user", "staff|admin", ...; nullopt if a word is unknown.
    static std::optional<Permission> parse(std::string_view text);
};

struct PathTemplate {
    std::vector<std::string> segments;  // literal text, or "{name}"
    std::vector<std::string> params;

    // nullopt if malformed (empty segment, bad param name, duplicate param).
    static std::optional<PathTemplate> parse(std::string_view path);
    bool match(const std::vector<std::string_view>& path_segments,
               std::vector<std::pair<std::string, std::string>>& out) const;
    bool same_shape(const PathTemplate& other) const;  // would two templates clash?
    std::string text() const;
};

using CoreHandler = std::function<void(RequestCtx&)>;

struct Route {
    std::string method;
    std::string path;  // full template, e.g. /api/v1/stations/notices/items/{id}
    PathTemplate tmpl;
    Permission permission;
    std::string summary;
    std::string station;  // empty for core routes
    // The handler reads the body itself (ctx.raw_body()): no JSON content-type or object check.
    // For WeChat's pushes, which are XML or JSON and authenticated by signature, not by us.
    bool raw_body = false;
    // A body larger than server.payload_max_bytes is allowed up to this (a station file upload).
    int64_t body_limit = 0;
    CoreHandler core_handler;
    // Station routes: the instance that registered it (kept alive while a request uses the table).
    std::shared_ptr<StationInstance> instance;
    StationSlot* slot = nullptr;
    void* plugin_handler = nullptr;  // yz_handler_fn
    void* plugin_user_data = nullptr;
};

struct RouteMatch {
    const Route* route = nullptr;
    std::vector<std::pair<std::string, std::string>> params;
    std::vector<std::string> allowed_methods;  // filled when the path exists but not the method
};

class RouteTable {
public:
    explicit RouteTable(std::vector<Route> routes);
    RouteMatch match(std::string_view method, std::string_view path) const;
    const std::vector<Route>& routes() const { return routes_; }

private:
    // Routes by method, segment count and fourth segment (a station's id under /api/v1/stations/):
    // a request tries the few routes that could match, not every route of every station. Each
    // list keeps the table's order; a route whose fourth segment is a {param} is listed under "{}".
    static uint64_t bucket(std::string_view method, size_t segments, std::string_view fourth);
    const std::vector<uint32_t>* candidates(uint64_t key) const;
    std::vector<Route> routes_;
    std::unordered_map<uint64_t, std::vector<uint32_t>> index_;
};

std::vector<std::string_view> split_path(std::string_view path);

}  // namespace yz
