// SPDX-License-Identifier: MIT
// The real `yizhan serve` binary as a child process on a fixed loopback port, its stdout and
// stderr in <data_dir>/server.log: for tests that kill it, crash it or run it with workers. And
// any command run to completion (the CLI, cmake) with its output.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace yz::test {

// A port free on 127.0.0.1 right now (the kernel's choice of an ephemeral one).
int free_loopback_port();

// A shell command run to completion: its exit code (-1 if it did not exit) and stdout+stderr.
struct CommandResult {
    int code = -1;
    std::string out;
};
CommandResult run_command(const std::string& cmd);

class ServerProcess {
public:
    // `args` follow `yizhan serve` (e.g. --config FILE, --workers 2); --port and --data-dir are added.
    ServerProcess(std::vector<std::string> args, std::string data_dir, int port);
    ~ServerProcess();  // SIGKILL if still running
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    // Starts it and polls /readyz (bounded by timeout_s) until it answers 200; "" or why not.
    std::string start(int timeout_s = 20);
    // Starts it without waiting; then wait_exit for one expected to give up.
    bool spawn();
    // The raw wait status once it exits within timeout_s, else -1 (it is still running).
    int wait_exit(int timeout_s);
    void kill_now();  // SIGKILL, then reaps it
    int stop();       // SIGTERM, then waits; the raw wait status
    pid_t pid() const { return pid_; }
    int port() const { return port_; }
    std::string log_path() const { return dir_ + "/server.log"; }
    std::string log() const;

private:
    std::vector<std::string> args_;
    std::string dir_;
    int port_;
    pid_t pid_ = -1;
};

}  // namespace yz::test
