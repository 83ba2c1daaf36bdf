// SPDX-License-Identifier: MIT
// Dev mode without a WeChat account: `yizhan serve --dev` with no wechat.base_url starts the
// adapter's in-memory simulator on an ephemeral loopback port and points the config at it (its
// appid, AppSecret, push Token and EncodingAESKey; every registry template registered with it). The
// at-rest data key, unless one is configured, is kept in <data_dir>/dev-wechat-data.key (mode 0600)
// so sealed dev data stays readable across restarts. Never used outside dev mode.
#pragma once

#include <memory>
#include <string>

#include <yz/wechat/simulator.hpp>

#include "config.hpp"

namespace yz {

// Starts the simulator and rewrites cfg.wechat to use it; throws std::runtime_error if it cannot
// bind. The caller keeps the simulator alive as long as the App.
std::unique_ptr<wechat::Simulator> start_dev_simulator(Config& cfg);

// The two curl commands that log a simulated mini-program user in against `server_url`.
std::string dev_login_instructions(const wechat::Simulator& sim, const std::string& server_url);

}  // namespace yz
