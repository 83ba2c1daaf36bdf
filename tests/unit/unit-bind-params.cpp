// SPDX-License-Identifier: MIT
// A station's query params bound straight from their JSON text (bind_plain_params) bind exactly
// what the JSON parser's path binds; anything it does not take is left, unbound, to that path.
#include <doctest/doctest.h>

#include <SQLiteCpp/SQLiteCpp.h>
#include <nlohmann/json.hpp>

#include <string>

#include "db.hpp"

using nlohmann::json;

namespace {
// What each of the statement's n params holds, as "type:value" (typeof and the text SQLite gives).
std::string bound(SQLite::Statement& q, int n) {
    REQUIRE(q.executeStep());
    std::string out;
    for (int i = 0; i < n; ++i) out += q.getColumn(2 * i).getString() + ":" + q.getColumn(2 * i + 1).getString() + "|";
    q.reset();
    q.clearBindings();
    return out;
}
std::string select_of(int n) {
    std::string sql = "SELECT 0";
    for (int i = 1; i <= n; ++i) sql += ", typeof(?" + std::to_string(i) + "), quote(?" + std::to_string(i) + ")";
    return n ? "SELECT" + sql.substr(9) : sql;  // without the placeholder 0
}
}  // namespace

TEST_CASE("plain params bind as the JSON parser's path binds them") {
    SQLite::Database db(":memory:", SQLite::OPEN_READWRITE);
    for (std::string text : {"[]", "[0]", "[-0]", " [ 1 , -2 , null , true , false , \"ab c\" ] ", "[\"\"]",
                             "[9223372036854775807,-9223372036854775808]", "[\"it's; DROP TABLE x\"]"}) {
        CAPTURE(text);
        json params = json::parse(text);
        int n = static_cast<int>(params.size());
        SQLite::Statement fast(db, select_of(n)), slow(db, select_of(n));
        REQUIRE(yz::bind_plain_params(fast, text));
        yz::bind_json(slow, params);
        CHECK(bound(fast, n) == bound(slow, n));
    }
}

TEST_CASE("anything else is left to the parser, with nothing bound") {
    SQLite::Database db(":memory:", SQLite::OPEN_READWRITE);
    SQLite::Statement q(db, "SELECT ?1 IS NULL");
    for (std::string text : {"[1.5]", "[1e3]", "[01]", "[-01]", "[-]", "[\"a\\\"b\"]", "[\"中\"]", "[[1]]", "[{}]",
                             "[1,]", "[,1]", "[1", "1", "[1] x", "[9223372036854775808]", "[\"tab\there\"]", "[nul]",
                             "[1, 2]" /* two for a statement of one */}) {
        CAPTURE(text);
        CHECK_FALSE(yz::bind_plain_params(q, text));
        REQUIRE(q.executeStep());
        CHECK(q.getColumn(0).getInt() == 1);  // ?1 still unbound
        q.reset();
    }
}
