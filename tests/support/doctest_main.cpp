// SPDX-License-Identifier: MIT
// The one doctest main every test executable links (built once as an OBJECT library).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
