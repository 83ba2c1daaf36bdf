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
#include <string_view>
#include <utility>

namespace yz {

class Metrics {
public:
    void observe(std::string_view method, std::string_view route, int status, double seconds);
    // Renders everything; `extra` appends other families (plugin states, outbox depth).
    std::string render(const std::function<void(std::string&)>& extra = nullptr) const;

    static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                        0.05,   0.1,   0.25,   0.5,   1.0,  2.5};

private:
    // One series per (method, route template): its latency histogram and its count by status.
    struct Series {
        std::array<uint64_t, kBuckets.size()> buckets{};
        uint64_t count = 0;
        double sum = 0;
        std::map<int, uint64_t> by_status;
    };
    using Labels = std::pair<std::string, std::string>;  // method, route template
    // Compares stored labels with a request's (string_view) ones: a lookup builds no string.
    struct LabelsLess {
        using is_transparent = void;
        template <class A, class B>
        bool operator()(const A& a, const B& b) const {
            int m = std::string_view(a.first).compare(std::string_view(b.first));
            return m != 0 ? m < 0 : std::string_view(a.second) < std::string_view(b.second);
        }
    };
    mutable std::mutex mu_;
    std::map<Labels, Series, LabelsLess> series_;
};

// Escapes a label value for the text format.
std::string prom_label(const std::string& value);

}  // namespace yz
