// SPDX-License-Identifier: MIT
// The WeChat route handlers and the helpers they share, one file each (wechat_login.cpp,
// wechat_phone.cpp, wechat_push.cpp); routes_wechat.cpp declares the routes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>
#include <yz/wechat/push_message.hpp>

namespace yz {

struct RequestCtx;
class WechatService;

void handle_wechat_login(RequestCtx& ctx);
void handle_wechat_phone(RequestCtx& ctx);
void handle_wechat_push(RequestCtx& ctx);

// Applies one verified push once (dedupe key); false if it had been applied before.
bool apply_push(WechatService& w, const wechat::PushMessage& msg);

// "13812345678" → "138****5678"
std::string mask_phone(const std::string& phone);
std::string phone_aad(int64_t user_id);
// The caller's stored phone {phone_number, pure_phone_number, country_code}, unsealed; nullopt if none.
std::optional<nlohmann::json> stored_phone(WechatService& w, int64_t user_id);

}  // namespace yz
