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

void Metrics::observe(std::string_view method, std::string_view route, int status, double seconds) {
    std::lock_guard lock(mu_);
    auto it = series_.find(std::pair{method, route});
    if (it == series_.end()) it = series_.emplace(Labels{method, route}, Series{}).first;
    Series& s = it->second;
    ++s.by_status[status];
    for (size_t i = 0; i < kBuckets.size(); ++i)
        if (seconds <= kBuckets[i]) ++s.buckets[i];
    ++s.count;
    s.sum += seconds;
}

std::string Metrics::render(const std::function<void(std::string&)>& extra) const {
    std::string out;
    std::lock_guard lock(mu_);
    auto labels = [](const Labels& l) { return "method=\"" + prom_label(l.first) + "\",route=\"" + prom_label(l.second) + "\""; };
    out += "# HELP yz_http_requests_total HTTP requests by method, route template and status.\n";
    out += "# TYPE yz_http_requests_total counter\n";
    for (const auto& [l, s] : series_)
        for (const auto& [status, n] : s.by_status)
            out += "yz_http_requests_total{" + labels(l) + ",status=\"" + std::to_string(status) + "\"} " + std::to_string(n) + "\n";
    out += "# HELP yz_http_request_duration_seconds Time from routing to response.\n";
    out += "# TYPE yz_http_request_duration_seconds histogram\n";
    for (const auto& [l, s] : series_) {
        std::string ls = labels(l);
        char le[32];
        for (size_t i = 0; i < kBuckets.size(); ++i) {
            std::snprintf(le, sizeof le, "%g", kBuckets[i]);
            out += "yz_http_request_duration_seconds_bucket{" + ls + ",le=\"" + le + "\"} " + std::to_string(s.buckets[i]) + "\n";
        }
        out += "yz_http_request_duration_seconds_bucket{" + ls + ",le=\"+Inf\"} " + std::to_string(s.count) + "\n";
        char sum[64];
        std::snprintf(sum, sizeof sum, "%.6f", s.sum);
        out += "yz_http_request_duration_seconds_sum{" + ls + "} " + sum + "\n";
        out += "yz_http_request_duration_seconds_count{" + ls + "} " + std::to_string(s.count) + "\n";
    }
    if (extra) extra(out);
    return out;
}

}  // namespace yz
