// SPDX-License-Identifier: MIT
#include "metrics.hpp"

#include <cstdio>

namespace yz {

std::string prom_label(const std::string& v) {
    std::string out;
    for (char c : v) {
        if (c == '\\' || c == '"') out.push_back('\\');
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out.push_back(c);
    }
    return out;
}

void Metrics::observe(const std::string& method, const std::string& route, int status, double seconds) {
    std::string key = method + '\x1f' + route;
    std::lock_guard lock(mu_);
    ++requests_[key + '\x1f' + std::to_string(status)];
    Histogram& h = latencies_[key];
    for (size_t i = 0; i < kBuckets.size(); ++i)
        if (seconds <= kBuckets[i]) ++h.buckets[i];
    ++h.count;
    h.sum += seconds;
}

std::string Metrics::render(const std::function<void(std::string&)>& extra) const {
    std::string out;
    auto split = [](const std::string& k, std::string& a, std::string& b, std::string* c) {
        auto p1 = k.find('\x1f');
        a = k.substr(0, p1);
        auto p2 = k.find('\x1f', p1 + 1);
        b = k.substr(p1 + 1, p2 == std::string::npos ? std::string::npos : p2 - p1 - 1);
        if (c) *c = k.substr(p2 + 1);
    };
    std::lock_guard lock(mu_);
    out += "# HELP yz_http_requests_total HTTP requests by method, route template and status.\n";
    out += "# TYPE yz_http_requests_total counter\n";
    for (const auto& [k, n] : requests_) {
        std::string m, r, s;
        split(k, m, r, &s);
        out += "yz_http_requests_total{method=\"" + m + "\",route=\"" + prom_label(r) + "\",status=\"" + s + "\"} " +
               std::to_string(n) + "\n";
    }
    out += "# HELP yz_http_request_duration_seconds Time from routing to response.\n";
    out += "# TYPE yz_http_request_duration_seconds histogram\n";
    for (const auto& [k, h] : latencies_) {
        std::string m, r;
        split(k, m, r, nullptr);
        std::string labels = "method=\"" + m + "\",route=\"" + prom_label(r) + "\"";
        char le[32];
        for (size_t i = 0; i < kBuckets.size(); ++i) {
            std::snprintf(le, sizeof le, "%g", kBuckets[i]);
            out += "yz_http_request_duration_seconds_bucket{" + labels + ",le=\"" + le + "\"} " +
                   std::to_string(h.buckets[i]) + "\n";
        }
        out += "yz_http_request_duration_seconds_bucket{" + labels + ",le=\"+Inf\"} " + std::to_string(h.count) + "\n";
        char sum[64];
        std::snprintf(sum, sizeof sum, "%.6f", h.sum);
        out += "yz_http_request_duration_seconds_sum{" + labels + "} " + sum + "\n";
        out += "yz_http_request_duration_seconds_count{" + labels + "} " + std::to_string(h.count) + "\n";
    }
    if (extra) extra(out);
    return out;
}

}  // namespace yz
