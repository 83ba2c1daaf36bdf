// SPDX-License-Identifier: MIT
#include "router.hpp"

#include <algorithm>

namespace yz {

std::optional<Permission> Permission::parse(std::string_view text) {
    Permission p;
    p.text = std::string(text);
    size_t start = 0;
    while (start <= text.size()) {
        size_t bar = text.find('|', start);
        std::string_view word = text.substr(start, bar == std::string_view::npos ? std::string_view::npos : bar - start);
        if (word == "public") p.is_public = true;
        else if (word == "user") p.any_user = true;
        else if (word == "staff") p.staff_of_station = true;
        else if (word == "resident" || word == "member" || word == "unit_contact" || word == "grid" || word == "admin")
            p.roles.emplace_back(word);
        else return std::nullopt;
        if (bar == std::string_view::npos) break;
        start = bar + 1;
    }
    return p;
}

std::vector<std::string_view> split_path(std::string_view path) {
    std::vector<std::string_view> out;
    out.reserve(8);  // one allocation for any path a route takes, not one per doubling
    size_t i = 0;
    while (i < path.size()) {
        if (path[i] == '/') {
            ++i;
            continue;
        }
        size_t j = path.find('/', i);
        if (j == std::string_view::npos) j = path.size();
        out.push_back(path.substr(i, j - i));
        i = j;
    }
    return out;
}

static bool valid_param_name(std::string_view n) {
    if (n.empty() || n.size() > 32) return false;
    for (char c : n)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
    return true;
}

std::optional<PathTemplate> PathTemplate::parse(std::string_view path) {
    if (path.empty() || path[0] != '/') return std::nullopt;
    PathTemplate t;
    if (path == "/") return t;
    size_t i = 1;
    while (i <= path.size()) {
        size_t j = path.find('/', i);
        if (j == std::string_view::npos) j = path.size();
        std::string_view seg = path.substr(i, j - i);
        if (seg.empty()) return std::nullopt;
        if (seg.front() == '{') {
            if (seg.back() != '}') return std::nullopt;
            std::string_view name = seg.substr(1, seg.size() - 2);
            if (!valid_param_name(name)) return std::nullopt;
            if (std::find(t.params.begin(), t.params.end(), name) != t.params.end()) return std::nullopt;
            t.params.emplace_back(name);
        } else {
            for (char c : seg)
                if (c == '{' || c == '}' || c == '?' || c == '#' || c == '%' || static_cast<unsigned char>(c) < 0x21)
                    return std::nullopt;
        }
        t.segments.emplace_back(seg);
        if (j == path.size()) break;
        i = j + 1;
    }
    return t;
}

bool PathTemplate::match(const std::vector<std::string_view>& path,
                         std::vector<std::pair<std::string, std::string>>& out) const {
    if (path.size() != segments.size()) return false;
    size_t first = out.size();
    for (size_t i = 0; i < segments.size(); ++i) {
        const std::string& seg = segments[i];
        if (!seg.empty() && seg.front() == '{') {
            out.emplace_back(seg.substr(1, seg.size() - 2), std::string(path[i]));
        } else if (seg != path[i]) {
            out.resize(first);
            return false;
        }
    }
    return true;
}

bool PathTemplate::same_shape(const PathTemplate& other) const {
    if (segments.size() != other.segments.size()) return false;
    for (size_t i = 0; i < segments.size(); ++i) {
        bool a = segments[i].front() == '{', b = other.segments[i].front() == '{';
        if (!a && !b && segments[i] != other.segments[i]) return false;
    }
    return true;
}

std::string PathTemplate::text() const {
    std::string s;
    for (const auto& seg : segments) s += "/" + seg;
    return s.empty() ? "/" : s;
}

namespace {
constexpr std::string_view kAnySegment = "{}";
// The index's key part for a request's path and for a route's template (a {param} takes any).
std::string_view fourth_segment(const std::vector<std::string_view>& segs) { return segs.size() > 3 ? segs[3] : ""; }
std::string_view fourth_segment(const PathTemplate& t) {
    if (t.segments.size() <= 3) return "";
    return t.segments[3].front() == '{' ? kAnySegment : std::string_view(t.segments[3]);
}
}  // namespace

RouteTable::RouteTable(std::vector<Route> routes) : routes_(std::move(routes)) {
    // Literal segments win over parameters: "/items/new" before "/items/{id}".
    std::stable_sort(routes_.begin(), routes_.end(), [](const Route& a, const Route& b) {
        size_t pa = a.tmpl.params.size(), pb = b.tmpl.params.size();
        return pa < pb;
    });
    for (uint32_t i = 0; i < routes_.size(); ++i) {
        const PathTemplate& t = routes_[i].tmpl;
        index_[bucket(routes_[i].method, t.segments.size(), fourth_segment(t))].push_back(i);
    }
}

uint64_t RouteTable::bucket(std::string_view method, size_t segments, std::string_view fourth) {
    // Keys that collide share a list; every candidate is still matched in full, so a collision
    // costs a comparison, never a wrong route.
    uint64_t h = std::hash<std::string_view>{}(method);
    h ^= std::hash<std::string_view>{}(fourth) + 0x9E3779B97F4A7C15ULL + (h << 6) + (h >> 2);
    return h ^ (static_cast<uint64_t>(segments) * 0x100000001B3ULL);
}

const std::vector<uint32_t>* RouteTable::candidates(uint64_t key) const {
    auto it = index_.find(key);
    return it == index_.end() ? nullptr : &it->second;
}

RouteMatch RouteTable::match(std::string_view method, std::string_view path) const {
    RouteMatch m;
    auto segs = split_path(path);
    std::string_view want = method == "HEAD" ? std::string_view("GET") : method;
    // The request's own method first, in table order across both lists of candidates.
    static const std::vector<uint32_t> kNone;
    const auto* exact = candidates(bucket(want, segs.size(), fourth_segment(segs)));
    const auto* any = segs.size() > 3 ? candidates(bucket(want, segs.size(), kAnySegment)) : nullptr;
    const auto& a = exact ? *exact : kNone;
    const auto& b = any && any != exact ? *any : kNone;
    for (size_t i = 0, j = 0; i < a.size() || j < b.size();) {
        uint32_t k = j == b.size() || (i < a.size() && a[i] < b[j]) ? a[i++] : b[j++];
        const Route& r = routes_[k];
        if (r.method != want || !r.tmpl.match(segs, m.params)) continue;
        m.route = &r;
        return m;
    }
    // Only a path no route of this method takes needs the others (405).
    std::vector<std::pair<std::string, std::string>> params;
    for (const auto& r : routes_) {
        if (!r.tmpl.match(segs, params)) continue;
        params.clear();
        if (std::find(m.allowed_methods.begin(), m.allowed_methods.end(), r.method) == m.allowed_methods.end())
            m.allowed_methods.push_back(r.method);
    }
    return m;
}

}  // namespace yz
