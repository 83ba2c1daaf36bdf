// SPDX-License-Identifier: MIT
// Intake forms as data: station staff define a field list, residents submit it from the
// mini-program.
//
// A definition is a JSON array of at most 100 field objects, checked once when staff save it:
//
//     [{"name": "phone", "label": "联系电话", "type": "phone", "required": true},
//      {"name": "topic", "label": "咨询事项", "type": "choice", "options": ["婚姻家庭",
//      "劳动纠纷"]}]
//
// Every field has "name" ([a-z][a-z0-9_]{0,31}, unique), "label" (non-empty; residents see it),
// "type", and optionally "required" (bool, default false), "help" and "placeholder" (strings, for
// the mini-program only). Per type, and nothing else, so a staff typo such as "maxlength" is
// refused:
//   text     max_length (1..2000 code points, required), min_length, multiline (bool: allows "\n")
//   number   min, max (finite), integer (bool)
//   choice   options (non-empty array of unique non-empty strings), multiple (bool: the value is an
//            array), min_count / max_count (only with multiple)
//   date     min, max ("YYYY-MM-DD")
//   phone, id_card, boolean   no parameters
//
// Every error names its field; the few about the form as a whole (a submission that is not an
// object, a definition that is not an array or is too long) use the empty name "". Codes are stable
// English for the code, message is short Chinese for a person: the resident for validate(), station
// staff for check_definition().
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace yz::forms {

struct FieldError {
    std::string field;
    std::string code;
    std::string message;  // in Chinese
};

struct Result {
    nlohmann::json clean = nlohmann::json::object();  // normalised values of known fields only
    std::vector<FieldError> errors;
    bool ok() const { return errors.empty(); }
};

// Checks a staff-defined field list itself (so the console can refuse a broken form when it is
// saved). Returns every problem found, empty when the definition is usable; never throws. Codes:
// not_an_array, too_many_fields, not_an_object, invalid_name, duplicate_name, unknown_type,
// missing_parameter, invalid_parameter, unknown_parameter. `field` is the entry's name when it has
// a string one, otherwise "fields[i]" (0-based position).
std::vector<FieldError> check_definition(const nlohmann::json& fields);

// Validates `submission` (must be a JSON object) against `fields` (a valid definition), with
// `today` as the clock for ID-card birth dates. Codes: required, wrong_type, too_long, too_short,
// invalid_characters, not_a_number, out_of_range, not_integer, invalid_choice, invalid_date,
// invalid_phone, invalid_id_card, unknown_field. At most one error per known field. `clean` holds
// only fields that were answered and valid; optional fields left empty are absent from it.
// Throws std::invalid_argument when `fields` fails check_definition(): a stored definition is
// checked on save, so a broken one here is a fault, not something to show a resident.
// Pure function: safe to call from any thread.
Result validate(const nlohmann::json& fields, const nlohmann::json& submission,
                std::chrono::year_month_day today);

// As above, with today's date in China Standard Time (UTC+8), where every station is, whatever
// time zone the server runs in.
Result validate(const nlohmann::json& fields, const nlohmann::json& submission);

// Serialises errors as [{"field":..,"code":..,"message":..}, ...], in order. Never throws for
// errors produced by this module.
nlohmann::json errors_to_json(const std::vector<FieldError>& errors);

}  // namespace yz::forms
