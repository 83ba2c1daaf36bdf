// SPDX-License-Identifier: MIT
// yizhan: the community service centre's backend. Everything is in the CLI (cli.cpp).
#include "cli.hpp"

int main(int argc, char** argv) { return yz::run_cli(argc, argv); }
