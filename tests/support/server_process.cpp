// SPDX-License-Identifier: MIT
#include "server_process.hpp"

#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

#include "test_server.hpp"

namespace yz::test {

int free_loopback_port() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    ::close(fd);
    return ntohs(a.sin_port);
}

CommandResult run_command(const std::string& cmd) {
    CommandResult r;
    FILE* p = ::popen((cmd + " 2>&1").c_str(), "r");
    if (!p) return r;
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
    int status = ::pclose(p);
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

ServerProcess::ServerProcess(std::vector<std::string> args, std::string data_dir, int port)
    : args_(std::move(args)), dir_(std::move(data_dir)), port_(port) {}

ServerProcess::~ServerProcess() { kill_now(); }

bool ServerProcess::spawn() {
    std::string bin = binary_dir() + "/yizhan", port = std::to_string(port_), log = log_path();
    std::vector<std::string> argv{"yizhan", "serve"};
    argv.insert(argv.end(), args_.begin(), args_.end());
    for (const std::string& a : {std::string("--port"), port, std::string("--data-dir"), dir_}) argv.push_back(a);
    std::vector<char*> cargv;
    for (auto& a : argv) cargv.push_back(a.data());
    cargv.push_back(nullptr);
    std::fflush(nullptr);  // or the child would write this process's buffered output again
    pid_ = ::fork();
    if (pid_ == 0) {
        FILE* out = std::freopen(log.c_str(), "a", stdout);
        (void)out;
        ::dup2(::fileno(stdout), 2);
        ::execv(bin.c_str(), cargv.data());
        std::_Exit(127);
    }
    return pid_ > 0;
}

std::string ServerProcess::start(int timeout_s) {
    if (!spawn()) return "fork failed";
    // Waiting for another process to come up: poll readiness, bounded.
    httplib::Client c("127.0.0.1", port_);
    c.set_connection_timeout(0, 200'000);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
    while (std::chrono::steady_clock::now() < deadline) {
        if (auto r = c.Get("/readyz"); r && r->status == 200) return "";
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            return "yizhan exited while starting; see " + log_path();
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return "yizhan did not become ready in " + std::to_string(timeout_s) + " s; see " + log_path();
}

void ServerProcess::kill_now() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
}

int ServerProcess::stop() {
    if (pid_ <= 0) return -1;
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return status;
}

int ServerProcess::wait_exit(int timeout_s) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
    while (pid_ > 0) {
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            return status;
        }
        if (std::chrono::steady_clock::now() >= deadline) return -1;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return -1;
}

std::string ServerProcess::log() const {
    std::ifstream in(log_path());
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace yz::test
