// SPDX-License-Identifier: MIT
// `wechat-sim`: the WeChat simulator as a standalone process for local development. Point the
// server's WeChat base URL at http://127.0.0.1:<port> and drive users through the /sim/ routes.
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>
#include <yz/wechat/simulator.hpp>

namespace {

constexpr std::string_view kUsage = R"(usage: wechat-sim --port N [options]

An in-memory WeChat mini-program server (jscode2session, stable_token, token,
getuserphonenumber, subscribe/send, msg_sec_check, checksession) with /sim/
control routes for codes, consent, pushes, faults and the clock.

options:
  --port N          port to listen on (0 = ephemeral; the chosen port is printed)
  --host H          address to bind (default 127.0.0.1)
  --appid ID        mini-program AppID the simulator accepts
  --secret S        AppSecret the simulator accepts
  --token T         push Token used to sign pushes
  --aes-key K       43-character EncodingAESKey used to encrypt pushes
  --help            this text
)";

int usage_error(std::string_view message) {
    std::cerr << "wechat-sim: " << message << "\n\n" << kUsage;
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    yz::wechat::SimulatorOptions options;
    std::string host = "127.0.0.1";
    int port = -1;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--help" || arg == "-h") {
            std::cout << kUsage;
            return 0;
        }
        if (i + 1 >= argc) return usage_error(std::string(arg) + " needs a value or is unknown");
        const std::string value = argv[++i];
        if (arg == "--port") {
            char* end = nullptr;
            const long p = std::strtol(value.c_str(), &end, 10);
            if (*end != '\0' || p < 0 || p > 65535) return usage_error("--port must be 0..65535");
            port = static_cast<int>(p);
        } else if (arg == "--host") {
            host = value;
        } else if (arg == "--appid") {
            options.appid = value;
        } else if (arg == "--secret") {
            options.secret = value;
        } else if (arg == "--token") {
            options.push_token = value;
        } else if (arg == "--aes-key") {
            if (value.size() != 43) return usage_error("--aes-key must be 43 characters");
            options.encoding_aes_key = value;
        } else {
            return usage_error("unknown option " + std::string(arg));
        }
    }
    if (port < 0) return usage_error("--port is required");

    // Block the termination signals before any thread starts so only sigwait() below sees them.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    yz::wechat::Simulator sim(options);
    if (!sim.start(host, port)) {
        std::cerr << "wechat-sim: cannot listen on " << host << ":" << port << "\n";
        return 1;
    }
    // The secret is the simulator's own test value, but print only what a developer needs.
    std::cout << "wechat-sim listening on " << sim.base_url() << " (appid " << options.appid << ")"
              << std::endl;
    int received = 0;
    sigwait(&signals, &received);
    sim.stop();
    return 0;
}
