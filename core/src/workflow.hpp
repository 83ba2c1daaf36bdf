// SPDX-License-Identifier: MIT
// Workflow: a declared state machine (states, transitions, who may perform each). The station keeps
// the record's state in its own table; the host checks that an action is allowed from that state
// for that actor, and audits every transition with actor, time and reason — in the caller's
// transaction, so the state change and its audit line commit together.
//
// Definition: {"name","states":[..],"initial","transitions":[{"action","from":[..],"to",
//              "who":["staff"|"admin"|"owner"|"resident"|"member"|...],"reason_required":bool}]}
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace yz::workflow {

struct Transition {
    std::string action;
    std::vector<std::string> from;
    std::string to;
    std::vector<std::string> who;
    bool reason_required = false;
};

struct Definition {
    std::string name;
    std::vector<std::string> states;
    std::string initial;
    std::vector<Transition> transitions;

    // nullopt with `why` when the definition is inconsistent (unknown states, duplicate actions...).
    static std::optional<Definition> parse(const nlohmann::json& j, std::string& why);
};

struct Actor {
    int64_t user_id = 0;
    std::vector<std::string> roles;  // role texts: "staff:<id>", "admin", "resident"
};

enum class Verdict { ok, unknown_action, wrong_state, not_allowed, reason_missing };

struct Decision {
    Verdict verdict = Verdict::ok;
    std::string from, to;
};

// Decides whether `actor` may perform `action` on a record in `state`, for station `station`
// (staff means staff:<station>) and record owner `owner_user_id` (0 = none).
Decision decide(const Definition& def, const std::string& station, const std::string& state,
                const std::string& action, const Actor& actor, int64_t owner_user_id,
                const std::string& reason);

const char* verdict_code(Verdict v);

}  // namespace yz::workflow
