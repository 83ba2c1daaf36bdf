// SPDX-License-Identifier: MIT
// Per-path call counters and queued one-shot (or K-shot) faults.
#include "sim_faults.hpp"

namespace yz::wechat::sim {

std::optional<Fault> SimFaults::take_locked(const std::string& key) {
    auto it = faults_.find(key);
    if (it == faults_.end() || it->second.empty()) return std::nullopt;
    Fault& front = it->second.front();
    Fault applied = front;
    if (--front.remaining <= 0) it->second.pop_front();
    return applied;
}

std::optional<Fault> SimFaults::on_call(const std::string& path) {
    std::lock_guard lock(mutex_);
    ++counts_[path];
    if (auto f = take_locked(path)) return f;
    return take_locked("*");
}

void SimFaults::add(const std::string& path, Fault fault) {
    if (fault.remaining <= 0) return;
    std::lock_guard lock(mutex_);
    faults_[path].push_back(fault);
}

void SimFaults::set_latency_ms(const std::string& path, std::int64_t ms) {
    std::lock_guard lock(mutex_);
    latency_ms_[path] = ms;
}

std::int64_t SimFaults::latency_ms(const std::string& path) const {
    std::lock_guard lock(mutex_);
    if (auto it = latency_ms_.find(path); it != latency_ms_.end()) return it->second;
    if (auto it = latency_ms_.find("*"); it != latency_ms_.end()) return it->second;
    return 0;
}

std::int64_t SimFaults::count(const std::string& path) const {
    std::lock_guard lock(mutex_);
    const auto it = counts_.find(path);
    return it == counts_.end() ? 0 : it->second;
}

std::map<std::string, std::int64_t> SimFaults::counts() const {
    std::lock_guard lock(mutex_);
    return counts_;
}

void SimFaults::reset() {
    std::lock_guard lock(mutex_);
    counts_.clear();
    faults_.clear();
    latency_ms_.clear();
}

}  // namespace yz::wechat::sim
