// SPDX-License-Identifier: MIT
#include "workflow.hpp"

#include <algorithm>
#include <set>

namespace yz::workflow {
using nlohmann::json;

namespace {
bool contains(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

// A role word matches the role with any scope: a grid worker holds "grid:<grid id>".
bool holds_role(const std::vector<std::string>& roles, const std::string& word) {
    for (const auto& r : roles)
        if (r == word || (r.size() > word.size() && r.compare(0, word.size(), word) == 0 && r[word.size()] == ':')) return true;
    return false;
}

bool string_list(const json& j, std::vector<std::string>& out) {
    if (!j.is_array() || j.empty()) return false;
    for (const auto& e : j) {
        if (!e.is_string() || e.get_ref<const std::string&>().empty()) return false;
        out.push_back(e);
    }
    return true;
}
}  // namespace

std::optional<Definition> Definition::parse(const json& j, std::string& why) {
    Definition d;
    if (!j.is_object() || !j.contains("name") || !j["name"].is_string()) {
        why = "workflow: 'name' is required";
        return std::nullopt;
    }
    d.name = j["name"];
    if (!string_list(j.value("states", json()), d.states)) {
        why = "workflow " + d.name + ": 'states' must be a non-empty list of names";
        return std::nullopt;
    }
    d.initial = j.value("initial", d.states.front());
    if (!contains(d.states, d.initial)) {
        why = "workflow " + d.name + ": initial state '" + d.initial + "' is not a state";
        return std::nullopt;
    }
    static const std::set<std::string> kWho = {"staff", "admin", "owner", "resident", "member", "unit_contact", "grid", "system"};
    std::set<std::string> actions;
    for (const auto& t : j.value("transitions", json::array())) {
        Transition tr;
        if (!t.is_object() || !t.contains("action") || !t["action"].is_string() || !t.contains("to") || !t["to"].is_string()) {
            why = "workflow " + d.name + ": each transition needs 'action' and 'to'";
            return std::nullopt;
        }
        tr.action = t["action"];
        tr.to = t["to"];
        tr.reason_required = t.value("reason_required", false);
        if (!string_list(t.value("from", json()), tr.from) || !string_list(t.value("who", json()), tr.who)) {
            why = "workflow " + d.name + ": transition '" + tr.action + "' needs non-empty 'from' and 'who'";
            return std::nullopt;
        }
        if (!contains(d.states, tr.to)) {
            why = "workflow " + d.name + ": transition '" + tr.action + "' goes to unknown state '" + tr.to + "'";
            return std::nullopt;
        }
        for (const auto& f : tr.from)
            if (!contains(d.states, f)) {
                why = "workflow " + d.name + ": transition '" + tr.action + "' starts from unknown state '" + f + "'";
                return std::nullopt;
            }
        for (const auto& w : tr.who)
            if (!kWho.count(w)) {
                why = "workflow " + d.name + ": transition '" + tr.action + "' names unknown actor '" + w + "'";
                return std::nullopt;
            }
        if (!actions.insert(tr.action).second) {
            why = "workflow " + d.name + ": action '" + tr.action + "' is declared twice";
            return std::nullopt;
        }
        d.transitions.push_back(std::move(tr));
    }
    if (d.transitions.empty()) {
        why = "workflow " + d.name + ": no transitions";
        return std::nullopt;
    }
    return d;
}

Decision decide(const Definition& def, const std::string& station, const std::string& state,
                const std::string& action, const Actor& actor, int64_t owner_user_id, const std::string& reason) {
    Decision d;
    d.from = state;
    auto it = std::find_if(def.transitions.begin(), def.transitions.end(),
                           [&](const Transition& t) { return t.action == action; });
    if (it == def.transitions.end()) {
        d.verdict = Verdict::unknown_action;
        return d;
    }
    d.to = it->to;
    if (!contains(it->from, state)) {
        d.verdict = Verdict::wrong_state;
        return d;
    }
    bool allowed = false;
    for (const auto& w : it->who) {
        if (w == "staff") allowed = allowed || contains(actor.roles, "staff:" + station);
        else if (w == "owner") allowed = allowed || (owner_user_id != 0 && actor.user_id == owner_user_id);
        else if (w == "system") allowed = allowed || actor.user_id == 0;
        else allowed = allowed || holds_role(actor.roles, w);
    }
    if (!allowed) {
        d.verdict = Verdict::not_allowed;
        return d;
    }
    if (it->reason_required && reason.empty()) d.verdict = Verdict::reason_missing;
    return d;
}

const char* verdict_code(Verdict v) {
    switch (v) {
        case Verdict::ok: return "ok";
        case Verdict::unknown_action: return "unknown_action";
        case Verdict::wrong_state: return "invalid_transition";
        case Verdict::not_allowed: return "forbidden";
        case Verdict::reason_missing: return "reason_required";
    }
    return "ok";
}

}  // namespace yz::workflow
