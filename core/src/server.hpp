// SPDX-License-Identifier: MIT
// The HTTP transport: cpp-httplib configured deliberately (TCP_NODELAY on — off, every response
// waits for a delayed ACK; our own worker pool size; keep-alive count and timeout; read/write
// timeouts; payload limit) and one catch-all handler per method that runs the core's middleware
// and routing (see dispatch in server.cpp).
#pragma once

#include <memory>
#include <thread>

namespace yz {

class App;

class HttpServer {
public:
    explicit HttpServer(App& app);
    ~HttpServer();
    // port 0 = any free port; returns the bound port or -1.
    int bind();
    void serve_background();
    bool serve_here();
    void stop();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace yz
