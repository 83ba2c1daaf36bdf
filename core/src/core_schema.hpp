// SPDX-License-Identifier: MIT
// The core's own tables (core_*) and the read-only views it publishes to stations (pub_*).
#pragma once

#include "db.hpp"

namespace yz {

// Creates the migration ledger if needed and applies the core's pending migrations — those up to
// version `up_to` only when given (a test's way to hold a database at an older schema).
int migrate_core(Conn& conn, int up_to = 0);

}  // namespace yz
