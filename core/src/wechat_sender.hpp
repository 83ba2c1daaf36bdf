// SPDX-License-Identifier: MIT
// The outbox sender for subscribe messages (installed with App::set_outbox_sender). For one queued
// notification it: looks the template_key up in the registry; builds keyword → value from the
// notify data (every keyword required, nothing extra; `thing` values are fitted to 20 characters,
// all values checked by the adapter's rules) — a problem is `invalid` without calling WeChat;
// reserves one consent credit — none left is `no_consent`, again without a call; sends with the
// shared token (retried once on a token error); and maps the answer: ok → sent (a delivery row
// awaits WeChat's subscribe_msg_sent_event), 43101 → no_consent and the credits zeroed, 47003 →
// invalid, 40003/40037/41030/config → refused, -1/HTTP/transport/quota → retry (the outbox backs
// off exponentially and dead-letters after wechat.outbox_max_attempts). A reserved credit is given
// back unless WeChat refused for lack of consent.
#pragma once

#include <optional>
#include <string>

#include "outbox.hpp"
#include "wechat_config.hpp"

namespace yz {

class WechatService;

outbox::Sender make_wechat_sender(WechatService& wechat);

// Why `data` cannot become the subscribe message the registry maps `template_key` to (a missing
// field, a value too long for its keyword), or nullopt — also when the key is not mapped: which
// notices to send is the deployment's choice. host.notify asks this before queueing.
std::optional<std::string> check_notice(const WechatConfig& config, const std::string& template_key, const nlohmann::json& data);

}  // namespace yz
