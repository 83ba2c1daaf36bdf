// SPDX-License-Identifier: MIT
// The core's own tables (core_*) and the read-only views it publishes to stations (pub_*).
#pragma once

#include "db.hpp"

namespace yz {

// Creates the migration ledger if needed and applies the core's pending migrations.
int migrate_core(Conn& conn);

}  // namespace yz
