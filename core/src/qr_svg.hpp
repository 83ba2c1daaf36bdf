// SPDX-License-Identifier: MIT
// A QR code as a small SVG image (libqrencode), for pages that show one: the console's sign-in
// challenge, a station's check-in code on its screen.
#pragma once

#include <optional>
#include <string>

namespace yz {

// The SVG for `text` (error correction M, a 4-module quiet zone), or nullopt if it is too long to
// encode.
std::optional<std::string> qr_svg(const std::string& text);

}  // namespace yz
