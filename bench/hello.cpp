// SPDX-License-Identifier: MIT
// The baseline for every benchmark: a bare cpp-httplib server answering "hello", configured like
// yizhan's transport (TCP_NODELAY on, the same worker pool size, the same accept queue), so a
// ratio against it measures what yizhan adds — middleware, routing, auth, plugin call, SQLite —
// and not the library.
#include <httplib.h>

#include "listen_like_yizhan.hpp"

#include <cstdlib>
#include <string>

int main(int argc, char** argv) {
    int port = argc > 1 ? std::atoi(argv[1]) : 18081;
    size_t threads = argc > 2 ? static_cast<size_t>(std::atoi(argv[2])) : 16;
    httplib::Server svr;
    svr.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    svr.set_tcp_nodelay(true);
    svr.set_keep_alive_max_count(100);
    svr.Get("/hello", [](const httplib::Request&, httplib::Response& res) {
        res.set_content("{\"hello\":\"world\"}", "application/json");
    });
    return bench::listen_like_yizhan(svr, "127.0.0.1", port) ? 0 : 1;
}
