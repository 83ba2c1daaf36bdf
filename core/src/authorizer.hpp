// SPDX-License-Identifier: MIT
// Station isolation inside the shared database, enforced by sqlite3_set_authorizer.
//
// When a connection's scope is a station id, a statement may only touch that station's own tables
// (<id>_*) and read the views the core publishes for plugins (pub_*). ATTACH, PRAGMA, transaction
// control, temp objects and every DROP (migrations are expand-only) are denied, as is any access to
// the core's tables (core_*) or another station's. SQLite reports reads of the tables under a view
// with the view's name as the source, so a core table is readable only through a published view —
// a station's own view or trigger over core tables is refused.
#pragma once

#include <string>
#include <string_view>

struct sqlite3;

namespace yz {

// Whose SQL a connection is running: the core (empty station, unrestricted) or a station. While a
// station's migration runs, it may also read the schema table, which ALTER TABLE needs.
struct SqlScope {
    std::string station;
    bool migrating = false;
};

// Installs the authorizer; `scope` is read at every prepare.
void install_authorizer(sqlite3* db, const SqlScope* scope);

// Station ids must not collide with the core's prefixes.
bool station_id_valid(std::string_view id);

}  // namespace yz
