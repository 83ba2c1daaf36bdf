// SPDX-License-Identifier: MIT
#include "openapi.hpp"

#include <algorithm>
#include <cctype>

namespace yz {
using nlohmann::json;

json build_openapi(const RouteTable& table) {
    json paths = json::object();
    for (const Route& r : table.routes()) {
        std::string method = r.method;
        std::transform(method.begin(), method.end(), method.begin(), [](unsigned char c) { return std::tolower(c); });
        json op = {{"summary", r.summary},
                   {"tags", json::array({r.station.empty() ? std::string("core") : r.station})},
                   {"x-permission", r.permission.text}};
        json params = json::array();
        for (const auto& p : r.tmpl.params)
            params.push_back({{"name", p}, {"in", "path"}, {"required", true}, {"schema", {{"type", "string"}}}});
        if (!params.empty()) op["parameters"] = params;
        if (r.permission.is_public) op["security"] = json::array();
        if (method == "post" || method == "put" || method == "patch")
            op["requestBody"] = {{"required", false},
                                 {"content", {{"application/json", {{"schema", {{"type", "object"}}}}}}}};
        json responses = {{"200", {{"description", "OK"}}},
                          {"default", {{"description", "Error"},
                                       {"content", {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}}}};
        if (!r.permission.is_public) {
            responses["401"] = {{"$ref", "#/components/responses/Unauthorized"}};
            responses["403"] = {{"$ref", "#/components/responses/Forbidden"}};
        }
        op["responses"] = responses;
        paths[r.path][method] = op;
    }
    json error_schema = {
        {"type", "object"},
        {"required", {"error"}},
        {"properties",
         {{"error",
           {{"type", "object"},
            {"required", {"code", "message", "request_id"}},
            {"properties",
             {{"code", {{"type", "string"}, {"description", "stable English code"}}},
              {"message", {{"type", "string"}, {"description", "Chinese, for the resident"}}},
              {"request_id", {{"type", "string"}}},
              {"details", {{"type", "object"}}}}}}}}}};
    json err_ref = {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}};
    return json{{"openapi", "3.0.3"},
                {"info", {{"title", "yizhan 驿站 API"}, {"version", "1"}}},
                {"paths", paths},
                {"security", json::array({{{"bearer", json::array()}}})},
                {"components",
                 {{"securitySchemes", {{"bearer", {{"type", "http"}, {"scheme", "bearer"}}}}},
                  {"schemas", {{"Error", error_schema}}},
                  {"responses",
                   {{"Unauthorized", {{"description", "No valid session"}, {"content", err_ref}}},
                    {"Forbidden", {{"description", "Role or station scope missing"}, {"content", err_ref}}}}}}}};
}

}  // namespace yz
