// SPDX-License-Identifier: MIT
// The `yizhan` command line: serve, migrate, seed, plugin list|inspect, user grant|revoke, backup.
#pragma once

namespace yz {
int run_cli(int argc, char** argv);
}
