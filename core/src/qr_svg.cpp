// SPDX-License-Identifier: MIT
#include "qr_svg.hpp"

#include <qrencode.h>

#include <memory>

namespace yz {

std::optional<std::string> qr_svg(const std::string& text) {
    std::unique_ptr<QRcode, void (*)(QRcode*)> code(QRcode_encodeString8bit(text.c_str(), 0, QR_ECLEVEL_M), QRcode_free);
    if (!code) return std::nullopt;
    const int n = code->width, quiet = 4, size = n + 2 * quiet;
    std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + std::to_string(size) + " " +
                      std::to_string(size) + "\" shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path fill=\"#000\" d=\"";
    // One horizontal run of dark modules per path segment keeps the image small.
    for (int y = 0; y < n; ++y) {
        for (int x = 0; x < n;) {
            if (!(code->data[y * n + x] & 1)) {
                ++x;
                continue;
            }
            int run = 1;
            while (x + run < n && (code->data[y * n + x + run] & 1)) ++run;
            svg += "M" + std::to_string(x + quiet) + " " + std::to_string(y + quiet) + "h" + std::to_string(run) + "v1h-" +
                   std::to_string(run) + "z";
            x += run;
        }
    }
    svg += "\"/></svg>";
    return svg;
}

}  // namespace yz
