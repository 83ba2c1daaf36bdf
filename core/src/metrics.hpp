// SPDX-License-Identifier: MIT
// Request metrics in Prometheus text format: a counter by (method, route template, status) and a
// latency histogram by (method, route template). Labels use the template, never the raw path, so
// ids in URLs cannot blow up the series count.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>

namespace yz {

class Metrics {
public:
    void observe(const std::string& method, const std::string& route, int status, double seconds);
    // Renders everything; `extra` appends other families (plugin states, outbox depth).
    std::string render(const std::function<void(std::string&)>& extra = nullptr) const;

    static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                        0.05,   0.1,   0.25,   0.5,   1.0,  2.5};

private:
    struct Histogram {
        std::array<uint64_t, kBuckets.size()> buckets{};
        uint64_t count = 0;
        double sum = 0;
    };
    mutable std::mutex mu_;
    std::map<std::string, uint64_t> requests_;     // key: method \x1f route \x1f status
    std::map<std::string, Histogram> latencies_;   // key: method \x1f route
};

// Escapes a label value for the text format.
std::string prom_label(const std::string& value);

}  // namespace yz
