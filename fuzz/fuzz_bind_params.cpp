// SPDX-License-Identifier: MIT
// A station's query params as JSON text. Whatever bind_plain_params takes, the JSON parser
// takes too, as an array of the same length, and the two bind the same values; whatever it
// refuses leaves the statement unbound. Never a crash.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include <SQLiteCpp/SQLiteCpp.h>
#include <nlohmann/json.hpp>

#include "db.hpp"

namespace {
std::string statement_of(size_t n) {  // "SELECT quote(?1), typeof(?1), ..." (n >= 1)
    std::string sql = "SELECT 0";
    for (size_t i = 1; i <= n; ++i) sql += ", quote(?" + std::to_string(i) + "), typeof(?" + std::to_string(i) + ")";
    return sql;
}
std::string bound(SQLite::Statement& q, size_t n) {
    if (!q.executeStep()) std::abort();
    std::string out;
    for (size_t i = 1; i <= 2 * n; ++i) out += q.getColumn(static_cast<int>(i)).getString() + "|";
    q.reset();
    return out;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static SQLite::Database db(":memory:", SQLite::OPEN_READWRITE);
    std::string text(reinterpret_cast<const char*>(data), size);
    // A statement with one param more than the text has commas (none for an empty array). A comma
    // inside a string makes that one too many, and the fast path must then refuse the text.
    size_t n = 1;
    for (char c : text) n += c == ',';
    if (text.find_first_not_of(" \t\r\n[]") == std::string::npos) n = 0;
    if (n > 16) return 0;
    SQLite::Statement fast(db, n ? statement_of(n) : "SELECT 0");
    if (!yz::bind_plain_params(fast, text)) {
        if (n && !fast.executeStep()) std::abort();
        for (size_t i = 1; n && i <= n; ++i)
            if (!fast.getColumn(static_cast<int>(2 * i)).getString().starts_with("null")) std::abort();  // nothing bound
        return 0;
    }
    nlohmann::json parsed = nlohmann::json::parse(text, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_array() || parsed.size() != n) std::abort();
    if (n == 0) return 0;
    SQLite::Statement slow(db, statement_of(n));
    yz::bind_json(slow, parsed);
    if (bound(fast, n) != bound(slow, n)) std::abort();
    return 0;
}
