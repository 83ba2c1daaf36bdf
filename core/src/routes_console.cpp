// SPDX-License-Identifier: MIT
// Console sign-in routes (console_login.hpp): the console page asks for a challenge and collects
// its session; a staff member's mini-program confirms it; in dev mode a demo user may confirm it
// from the page itself, standing in for the phone.
#include "app.hpp"
#include "audit.hpp"
#include "console_login.hpp"
#include "qr_svg.hpp"

namespace yz {
using nlohmann::json;

namespace {

constexpr size_t kMaxQrText = 256;

// Who may sign in to the console: anyone with a role beyond resident and member.
bool console_user(const Principal& p) {
    for (const auto& r : p.roles)
        if (r.role == "admin" || r.role == "staff" || r.role == "grid") return true;
    return false;
}

void refuse(console_login::Outcome o) {
    using console_login::Outcome;
    if (o == Outcome::unknown) throw ApiError(404, "challenge_not_found", "二维码无效，请刷新后重新扫码");
    if (o == Outcome::expired) throw ApiError(410, "challenge_expired", "二维码已过期，请刷新后重新扫码");
    if (o == Outcome::used) throw ApiError(409, "challenge_used", "二维码已被使用，请刷新后重新扫码");
}

void create(RequestCtx& ctx) {
    auto ch = console_login::create(ctx.app.db().conn(), ctx.app.clock().now_ms(), console_login::kChallengeMs);
    ctx.json(201, json{{"id", ch.id},
                       {"secret", ch.secret},
                       {"qr_text", "yizhan-console:" + ch.id},
                       {"expires_in_s", console_login::kChallengeMs / 1000}});
}

// The challenge as a QR image for the console page; rendering needs no lookup (the id is public).
void qr(RequestCtx& ctx) {
    std::string id = *ctx.param("id");
    if (id.empty() || id.size() > 64 || id.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") != std::string::npos)
        throw ApiError(404, "challenge_not_found", "二维码无效，请刷新后重新扫码");
    auto svg = qr_svg("yizhan-console:" + id);
    if (!svg) throw ApiError(404, "challenge_not_found", "二维码无效，请刷新后重新扫码");
    ctx.res_header("Cache-Control", "no-store");
    ctx.text(200, "image/svg+xml", std::move(*svg));
}

// Any short text as a QR image, for console pages that show one (a station's rotating check-in
// code on its screen). Staff only: it is cheap, but not a public service.
void text_qr(RequestCtx& ctx) {
    if (!console_user(ctx.user())) throw ApiError(403, "not_staff", "仅工作人员和管理员可以使用");
    auto text = ctx.query("text");
    if (!text || text->empty()) throw bad_field("text", "missing_field", "缺少二维码内容");
    if (text->size() > kMaxQrText) throw bad_field("text", "too_long", "二维码内容过长");
    auto svg = qr_svg(*text);
    if (!svg) throw bad_field("text", "too_long", "二维码内容过长");
    ctx.res_header("Cache-Control", "no-store");
    ctx.text(200, "image/svg+xml", std::move(*svg));
}

void confirm_as(RequestCtx& ctx, int64_t user_id) {
    auto o = console_login::confirm(ctx.app.db().conn(), *ctx.param("id"), user_id, ctx.app.clock().now_ms());
    refuse(o);
    ctx.json(200, json{{"confirmed", true}});
}

void confirm(RequestCtx& ctx) {
    if (!console_user(ctx.user())) throw ApiError(403, "not_staff", "仅工作人员和管理员可以登录管理后台");
    confirm_as(ctx, ctx.user().user_id);
}

void dev_confirm(RequestCtx& ctx) {
    if (!ctx.app.config().dev) throw ApiError(403, "dev_mode_only", "仅开发模式可用");
    const json& user = ctx.body.contains("user") ? ctx.body["user"] : json();
    if (!user.is_string()) throw bad_field("user", "missing_field", "请填写演示用户名");
    auto uid = ctx.app.identity().find_user("dev-" + user.get<std::string>());
    if (!uid) throw bad_field("user", "invalid_field", "没有这个演示用户");
    confirm_as(ctx, *uid);
}

void collect(RequestCtx& ctx) {
    if (!ctx.body.contains("secret") || !ctx.body["secret"].is_string()) throw bad_field("secret", "missing_field", "缺少凭据");
    int64_t uid = 0;
    auto o = console_login::collect(ctx.app.db().conn(), *ctx.param("id"), ctx.body["secret"], ctx.app.clock().now_ms(), uid);
    if (o == console_login::Outcome::pending) return ctx.json(202, json{{"state", "pending"}});
    refuse(o);
    std::string token = ctx.app.identity().create_session(uid, "console");
    audit::record(ctx.app.db().conn(), audit::about_self(uid, "console.sign_in"), ctx.app.clock().now_ms());
    ctx.json(200, json{{"state", "signed_in"}, {"token", token}, {"user", ctx.app.identity().user_json(uid)}});
}

}  // namespace

void add_console_login_routes(App& app, std::vector<Route>& r) {
    (void)app;
    const std::string base = "/api/v1/console/challenges";
    r.push_back(core_route("POST", base, "public", "A sign-in challenge for the staff console (shown as a QR code)", create));
    r.push_back(core_route("GET", base + "/{id}/qr.svg", "public", "The challenge as a QR code image", qr));
    r.push_back(core_route("POST", base + "/{id}/confirm", "user", "Staff confirm a console sign-in from the mini-program", confirm));
    r.push_back(core_route("POST", base + "/{id}/session", "public", "The console collects its session once confirmed", collect));
    r.push_back(core_route("POST", base + "/{id}/dev-confirm", "public", "Dev mode only: a demo user confirms", dev_confirm));
    r.push_back(core_route("GET", "/api/v1/console/qr.svg", "user", "Staff: any short text (?text=) as a QR code image", text_qr));
}

}  // namespace yz
