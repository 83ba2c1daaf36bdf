// SPDX-License-Identifier: MIT
// How the bench's baseline servers listen: like yizhan's transport (core/src/server.cpp), with an
// accept queue of 1 024 instead of the backlog of 5 that Debian's compiled cpp-httplib 0.11
// listens with. With 5, the connections wrk reopens after every 100 requests overflow the queue,
// the kernel drops their SYNs and they wait a second to retry: the baselines' p99 was 0.4–1.3 s
// for that alone (their requests per second hardly moved: few connections wait at a time).
#pragma once

#include <httplib.h>
#include <sys/socket.h>

namespace bench {

inline bool listen_like_yizhan(httplib::Server& svr, const char* host, int port) {
    int bound = -1;
    svr.set_socket_options([&bound](int sock) {
        httplib::default_socket_options(sock);  // what httplib sets when not asked otherwise
        bound = sock;                           // the last socket tried is the one that bound
    });
    if (!svr.bind_to_port(host, port)) return false;
    // Linux applies a second listen() to the bound socket's existing queue.
    if (bound < 0 || ::listen(bound, 1024) != 0) return false;
    return svr.listen_after_bind();
}

}  // namespace bench
