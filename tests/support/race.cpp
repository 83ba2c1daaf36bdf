// SPDX-License-Identifier: MIT
#include "race.hpp"

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

namespace yz::test {

Outcomes race(int n, const std::function<std::string(int)>& call) {
    Outcomes outcomes;
    std::mutex mu;
    std::atomic<bool> go{false};
    std::vector<std::thread> threads;
    threads.reserve(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i)
        threads.emplace_back([&, i] {
            // Spin rather than wait on a condition: a woken thread starts later than a spinning one.
            while (!go.load(std::memory_order_acquire)) std::this_thread::yield();
            std::string label = call(i);
            std::lock_guard lock(mu);
            ++outcomes[label];
        });
    go.store(true, std::memory_order_release);
    for (auto& t : threads) t.join();
    return outcomes;
}

std::string outcome(const Response& r, int ok_status, const std::string& ok_label) {
    return r.status == ok_status ? ok_label : std::to_string(r.status) + " " + error_code(r);
}

std::string describe(const Outcomes& outcomes) {
    std::string out;
    for (const auto& [what, n] : outcomes) out += what + ": " + std::to_string(n) + "; ";
    return out;
}

}  // namespace yz::test
