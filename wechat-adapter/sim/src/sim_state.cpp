// SPDX-License-Identifier: MIT
// The simulated WeChat rules: single-use 5-minute codes, stable vs legacy tokens, per-user
// subscribe grants, sec-check verdicts from word lists, login-state signature checks.
#include "sim_state.hpp"

#include <algorithm>
#include <yz/wechat/encoding.hpp>
#include <yz/wechat/signature.hpp>
#include <yz/wechat/subscribe_rules.hpp>
#include <yz/wechat/utf8.hpp>

namespace yz::wechat::sim {
namespace {

constexpr std::int64_t kStableOverlap = 300;    // stable tokens roll 5 min before expiry
constexpr std::int64_t kLegacyGrace = 300;      // a replaced legacy token lives 5 more minutes
constexpr std::int64_t kForcedRefreshGap = 30;  // forced refreshes closer than this are ignored
constexpr std::int64_t kSecCheckLoginWindow = 2 * 3600;

/// A 28-character id derived from `seed`, shaped like WeChat's openids (base64url of a digest).
std::string derived_id(char first, std::string_view seed) {
    auto digest = from_hex(sha256_hex(seed));
    std::string id = base64_encode(*digest);
    std::replace(id.begin(), id.end(), '+', '-');
    std::replace(id.begin(), id.end(), '/', '_');
    return first + id.substr(0, 27);
}

json ok_body() { return {{"errcode", 0}, {"errmsg", "ok"}}; }

}  // namespace

json error_body(int errcode, std::string_view errmsg) {
    // Real errmsgs end with a request id; clients must log it and never parse the text.
    return {{"errcode", errcode},
            {"errmsg", std::string(errmsg) + " rid: " + to_hex(random_bytes(8))}};
}

SimState::SimState(const SimulatorOptions& options, const SimClock& clock)
    : options_(options), clock_(clock) {}

std::string SimState::openid_locked(std::string_view user) const {
    return derived_id('o', options_.appid + ":" + std::string(user));
}

std::string SimState::openid_for(std::string_view user) const { return openid_locked(user); }

std::string SimState::mint_login_code(std::string_view user) {
    std::lock_guard lock(mutex_);
    const std::string openid = openid_locked(user);
    users_by_openid_[openid] = std::string(user);
    std::string code = random_alnum(32);
    codes_[code] = {openid, clock_.now() + options_.code_ttl_seconds, false};
    return code;
}

std::string SimState::mint_phone_code(std::string_view user, std::string phone_number,
                                      std::string country_code, bool country_code_as_string) {
    std::lock_guard lock(mutex_);
    const std::string openid = openid_locked(user);
    users_by_openid_[openid] = std::string(user);
    std::string code = random_alnum(40);
    phone_codes_[code] = {openid,
                          std::move(phone_number),
                          std::move(country_code),
                          country_code_as_string,
                          clock_.now() + options_.code_ttl_seconds,
                          false};
    return code;
}

json SimState::code_to_session(std::string_view appid, std::string_view secret,
                               std::string_view code) {
    if (appid != options_.appid) return error_body(40013, "invalid appid");
    if (secret != options_.secret) return error_body(40125, "invalid appsecret");
    std::lock_guard lock(mutex_);
    const auto it = codes_.find(std::string(code));
    if (it == codes_.end() || clock_.now() >= it->second.expires_at) {
        return error_body(40029, "invalid code");
    }
    if (it->second.used) return error_body(40163, "code been used");
    it->second.used = true;
    const std::string& openid = it->second.openid;
    // Every login mints a new session_key and silently retires the old one (§1.1).
    std::string session_key = base64_encode(random_bytes(16));
    session_keys_[openid] = session_key;
    last_login_[openid] = clock_.now();
    json body = {{"openid", openid}, {"session_key", session_key}};
    if (options_.with_unionid) {
        body["unionid"] = derived_id('u', "union:" + users_by_openid_[openid]);
    }
    return body;  // no errcode on success, like the real endpoint
}

SimState::Token SimState::mint_token(std::int64_t now) const {
    return {"SIM_" + random_alnum(120), now + options_.token_ttl_seconds};
}

json SimState::stable_token(std::string_view appid, std::string_view secret, bool force_refresh) {
    if (appid != options_.appid) return error_body(40013, "invalid appid");
    if (secret != options_.secret)
        return error_body(40001, "invalid credential, access_token is invalid or not latest");
    std::lock_guard lock(mutex_);
    const std::int64_t now = clock_.now();
    auto& f = stable_;
    if (force_refresh) {
        const bool too_soon =
            last_forced_refresh_ && now - *last_forced_refresh_ < kForcedRefreshGap;
        if (!too_soon || f.current.value.empty()) {
            f.previous = {};  // a forced refresh kills the old token at once
            f.current = mint_token(now);
            last_forced_refresh_ = now;
        }
    } else if (f.current.value.empty() || now >= f.current.expires_at) {
        f.previous = {};
        f.current = mint_token(now);
    } else if (now >= f.current.expires_at - kStableOverlap) {
        // WeChat rolls the token 5 min before expiry; the old one stays valid until it expires.
        f.previous = f.current;
        f.current = mint_token(now);
    }
    return {{"access_token", f.current.value}, {"expires_in", f.current.expires_at - now}};
}

json SimState::legacy_token(std::string_view appid, std::string_view secret) {
    if (appid != options_.appid) return error_body(40013, "invalid appid");
    if (secret != options_.secret) return error_body(40001, "invalid credential");
    std::lock_guard lock(mutex_);
    const std::int64_t now = clock_.now();
    // Every call issues a new token; the previous one lives about 5 more minutes (§2.1).
    if (!legacy_.current.value.empty()) {
        legacy_.previous = {legacy_.current.value,
                            std::min(legacy_.current.expires_at, now + kLegacyGrace)};
    }
    legacy_.current = mint_token(now);
    return {{"access_token", legacy_.current.value}, {"expires_in", options_.token_ttl_seconds}};
}

bool SimState::token_valid_in(const TokenFamily& family, std::string_view token,
                              std::int64_t now) const {
    return (!family.current.value.empty() && token == family.current.value &&
            now < family.current.expires_at) ||
           (!family.previous.value.empty() && token == family.previous.value &&
            now < family.previous.expires_at);
}

int SimState::check_token(std::string_view token) const {
    if (token.empty()) return 41001;
    std::lock_guard lock(mutex_);
    const std::int64_t now = clock_.now();
    if (token_valid_in(stable_, token, now) || token_valid_in(legacy_, token, now)) return 0;
    for (const auto* f : {&stable_, &legacy_}) {
        if (token == f->current.value || token == f->previous.value) return 42001;
    }
    return 40001;
}

void SimState::invalidate_tokens() {
    std::lock_guard lock(mutex_);
    stable_ = {};
    legacy_ = {};
}

json SimState::phone_number(const json& body) {
    if (!body.is_object() || !body.contains("code") || !body["code"].is_string()) {
        return error_body(47001, "data format error");
    }
    std::lock_guard lock(mutex_);
    const auto it = phone_codes_.find(body["code"].get<std::string>());
    if (it == phone_codes_.end() || it->second.used || clock_.now() >= it->second.expires_at) {
        return error_body(40029, "invalid code");
    }
    if (body.contains("openid") && body["openid"] != it->second.openid) {
        return error_body(40029, "invalid code, openid mismatch");
    }
    it->second.used = true;
    const auto& p = it->second;
    json country = p.country_code;  // WeChat sends either 86 or "86": emulate both
    if (!p.country_code_as_string)
        country = std::stoll(p.country_code.empty() ? "86" : p.country_code);
    const std::string full =
        p.country_code == "86" ? p.phone_number : "+" + p.country_code + p.phone_number;
    return {{"errcode", 0},
            {"errmsg", "ok"},
            {"phone_info",
             {{"phoneNumber", full},
              {"purePhoneNumber", p.phone_number},
              {"countryCode", country},
              {"watermark", {{"timestamp", clock_.now()}, {"appid", options_.appid}}}}}};
}

json SimState::subscribe_send(const json& body) {
    if (!body.is_object()) return error_body(47001, "data format error");
    const std::string touser = body.value("touser", "");
    const std::string template_id = body.value("template_id", "");
    std::lock_guard lock(mutex_);
    if (touser.empty() || !users_by_openid_.contains(touser)) {
        return error_body(40003, "invalid openid");
    }
    const auto tpl = templates_.find(template_id);
    if (tpl == templates_.end()) return error_body(40037, "invalid template_id");
    const auto data = body.find("data");
    if (data == body.end() || !data->is_object()) {
        return error_body(47001, "data format error, data must be an object");
    }
    for (const auto& [keyword, entry] : data->items()) {
        const auto& allowed = tpl->second;
        const bool known = std::find(allowed.begin(), allowed.end(), keyword) != allowed.end();
        const bool shaped =
            entry.is_object() && entry.contains("value") && entry["value"].is_string();
        if (!known || !shaped ||
            check_subscribe_value(keyword, entry["value"].get<std::string>())) {
            return error_body(47003, "argument invalid! data." + keyword + ".value invalid");
        }
    }
    auto& grants = grants_[{touser, template_id}];
    if (grants <= 0) return error_body(43101, "user refuse to accept the msg");
    --grants;
    inbox_[touser].push_back({{"template_id", template_id},
                              {"page", body.value("page", "")},
                              {"data", *data},
                              {"msgid", std::to_string(next_msg_id_++)},
                              {"sent_at", clock_.now()}});
    return ok_body();
}

json SimState::msg_sec_check(const json& body) {
    if (!body.is_object()) return error_body(47001, "data format error");
    if (body.value("version", 0) != 2) return error_body(47001, "version must be 2");
    const std::string openid = body.value("openid", "");
    const std::string content = body.value("content", "");
    const int scene = body.value("scene", 0);
    if (openid.empty() || content.empty() || scene == 0)
        return error_body(44002, "empty parameters");
    if (scene < 1 || scene > 4) return error_body(40129, "invalid scene");
    const auto cps = decode_utf8(content);
    if (!cps || cps->size() > 2500) return error_body(47001, "content too long or not UTF-8");
    std::lock_guard lock(mutex_);
    const auto login = last_login_.find(openid);
    // v2 needs an author who opened the mini-program within the last 2 hours.
    if (login == last_login_.end() || clock_.now() - login->second > kSecCheckLoginWindow) {
        return error_body(40003, "invalid openid");
    }
    auto contains_any = [&](const std::vector<std::string>& words) {
        return std::any_of(words.begin(), words.end(), [&](const std::string& w) {
            return content.find(w) != std::string::npos;
        });
    };
    std::string suggest = "pass";
    int label = 100;
    if (contains_any(risky_words_)) {
        suggest = "risky", label = 20006;
    } else if (contains_any(review_words_)) {
        suggest = "review", label = 21000;
    }
    return {{"errcode", 0},
            {"errmsg", "ok"},
            {"result", {{"suggest", suggest}, {"label", label}}},
            {"detail", json::array({{{"strategy", "content_model"},
                                     {"errcode", 0},
                                     {"suggest", suggest},
                                     {"label", label},
                                     {"prob", suggest == "pass" ? 0 : 90}}})},
            {"trace_id", random_alnum(24)}};
}

json SimState::check_session(std::string_view openid, std::string_view signature,
                             std::string_view sig_method) {
    if (sig_method != "hmac_sha256") return error_body(87008, "invalid sig_method");
    std::lock_guard lock(mutex_);
    const auto key = session_keys_.find(std::string(openid));
    if (key == session_keys_.end() ||
        !constant_time_equal(login_state_signature(key->second, ""), signature)) {
        return error_body(87009, "invalid signature");
    }
    return ok_body();
}

void SimState::add_template(const std::string& template_id, std::vector<std::string> keywords) {
    std::lock_guard lock(mutex_);
    templates_[template_id] = std::move(keywords);
}

void SimState::grant(std::string_view user, const std::string& template_id, int count) {
    std::lock_guard lock(mutex_);
    const std::string openid = openid_locked(user);
    users_by_openid_[openid] = std::string(user);
    grants_[{openid, template_id}] += count;
}

json SimState::messages(std::string_view user) const {
    std::lock_guard lock(mutex_);
    const std::string openid = openid_locked(user);
    const auto it = inbox_.find(openid);
    return {{"openid", openid}, {"messages", it == inbox_.end() ? json::array() : it->second}};
}

void SimState::set_sec_words(std::vector<std::string> risky, std::vector<std::string> review) {
    std::lock_guard lock(mutex_);
    risky_words_ = std::move(risky);
    review_words_ = std::move(review);
}

void SimState::reset() {
    std::lock_guard lock(mutex_);
    codes_.clear();
    phone_codes_.clear();
    users_by_openid_.clear();
    session_keys_.clear();
    last_login_.clear();
    stable_ = {};
    legacy_ = {};
    last_forced_refresh_.reset();
    templates_.clear();
    grants_.clear();
    inbox_.clear();
    risky_words_ = {"sim-risky"};
    review_words_ = {"sim-review"};
}

}  // namespace yz::wechat::sim
