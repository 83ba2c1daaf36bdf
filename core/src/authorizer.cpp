// SPDX-License-Identifier: MIT
#include "authorizer.hpp"

#include <sqlite3.h>

#include <cstring>

#include "log.hpp"

namespace yz {
namespace {

bool starts_with(const char* s, std::string_view prefix) {
    return s && std::strncmp(s, prefix.data(), prefix.size()) == 0;
}
bool is_schema_table(const char* t) {
    return t && (std::strcmp(t, "sqlite_master") == 0 || std::strcmp(t, "sqlite_schema") == 0 ||
                 std::strcmp(t, "sqlite_temp_master") == 0);
}

int decide(const SqlScope& scope, int action, const char* a1, const char* a2, const char* db_name,
           const char* source);

// Logs each refusal so a station author sees what was refused, not only "not authorized".
int authorize(void* user_data, int action, const char* a1, const char* a2, const char* db_name,
              const char* source) {
    const SqlScope& scope = *static_cast<const SqlScope*>(user_data);
    int verdict = decide(scope, action, a1, a2, db_name, source);
    if (verdict != SQLITE_OK)
        log::warn("sql_denied", {{"station", scope.station}, {"action", action}, {"arg1", a1 ? a1 : ""},
                                 {"arg2", a2 ? a2 : ""}, {"source", source ? source : ""}});
    return verdict;
}

int decide(const SqlScope& scope, int action, const char* a1, const char* a2, const char* db_name,
           const char* source) {
    if (scope.station.empty()) return SQLITE_OK;
    if (db_name && std::strcmp(db_name, "main") != 0) return SQLITE_DENY;

    std::string prefix = scope.station + "_";
    auto owns = [&](const char* name) { return starts_with(name, prefix); };
    // UNIQUE and PRIMARY KEY constraints make indexes named sqlite_autoindex_<table>_<n>.
    auto owns_index = [&](const char* name) {
        return owns(name) || starts_with(name, "sqlite_autoindex_" + prefix);
    };

    switch (action) {
        case SQLITE_SELECT:
        case SQLITE_RECURSIVE:
            return SQLITE_OK;
        case SQLITE_FUNCTION:
            // a2 is the function name; extension loading is off anyway, keep it so.
            return a2 && std::strcmp(a2, "load_extension") == 0 ? SQLITE_DENY : SQLITE_OK;
        case SQLITE_READ:
            if (owns(a1)) return SQLITE_OK;
            if (starts_with(a1, "pub_")) return SQLITE_OK;
            // CREATE TABLE reads the schema table's rowid internally; its names and SQL stay hidden.
            if (is_schema_table(a1) && a2 && std::strcmp(a2, "ROWID") == 0 && !source) return SQLITE_OK;
            // ALTER TABLE rewrites the table's entry and reads the schema to do it.
            if (is_schema_table(a1) && scope.migrating && !source) return SQLITE_OK;
            // A core table read on behalf of a view the core published.
            if (starts_with(a1, "core_") && starts_with(source, "pub_")) return SQLITE_OK;
            return SQLITE_DENY;
        case SQLITE_INSERT:
        case SQLITE_UPDATE:
        case SQLITE_DELETE:
            if (owns(a1)) return SQLITE_OK;
            // DDL on the station's own objects records itself in the schema table; the DDL action
            // itself was checked separately, and SQLite refuses direct schema writes.
            if (is_schema_table(a1) && !source) return SQLITE_OK;
            return SQLITE_DENY;
        case SQLITE_CREATE_TABLE:
        case SQLITE_CREATE_VIEW:
            return owns(a1) ? SQLITE_OK : SQLITE_DENY;
        case SQLITE_CREATE_INDEX:
            return owns_index(a1) && owns(a2) ? SQLITE_OK : SQLITE_DENY;
        case SQLITE_CREATE_TRIGGER:
            return owns(a1) && owns(a2) ? SQLITE_OK : SQLITE_DENY;
        case SQLITE_ALTER_TABLE:
            return owns(a2) ? SQLITE_OK : SQLITE_DENY;
        case SQLITE_REINDEX:  // CREATE INDEX fills the new index through this action
            return owns_index(a1) ? SQLITE_OK : SQLITE_DENY;
        default:
            // ATTACH, DETACH, PRAGMA, TRANSACTION, SAVEPOINT, DROP_*, temp objects, virtual tables,
            // ANALYZE: the host owns these.
            return SQLITE_DENY;
    }
}

}  // namespace

void install_authorizer(sqlite3* db, const SqlScope* scope) {
    sqlite3_set_authorizer(db, &authorize, const_cast<SqlScope*>(scope));
}

bool station_id_valid(std::string_view id) {
    if (id.size() < 2 || id.size() > 32) return false;
    if (id[0] < 'a' || id[0] > 'z') return false;
    for (char c : id)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
    for (std::string_view reserved : {"core", "pub", "sqlite"})
        if (id.substr(0, reserved.size()) == reserved) return false;
    return true;
}

}  // namespace yz
