// SPDX-License-Identifier: MIT
// Community-admin routes for users and their roles: find users, see one, grant and revoke roles.
// Admin-only (checked by the dispatcher); every change is audited. A user is shown by id, display
// name and roles, never by openid or phone number.
#include "admin_query.hpp"
#include "app.hpp"
#include "user_directory.hpp"

namespace yz {
using nlohmann::json;

namespace {

int64_t user_or_404(RequestCtx& ctx) {
    auto id = ctx.app.identity().find_user(*ctx.param("user"));
    if (!id) throw ApiError(404, "user_not_found", "没有这个用户");
    return *id;
}

// role filter: a role name alone ("staff" = any station's staff) or a whole role ("staff:convenience").
std::string role_filter(RequestCtx& ctx) {
    std::string role = ctx.query("role").value_or("");
    if (role.empty()) return role;
    static const char* kScoped[] = {"staff", "grid"};
    for (const char* r : kScoped)
        if (role == r) return role;
    std::string why;
    if (!parse_role(role, &why)) throw ApiError(400, "invalid_role", "角色格式不正确", json{{"field", "role"}, {"reason", why}});
    return role;
}

void list_users(RequestCtx& ctx) {
    users::Search s;
    s.text = ctx.query("q").value_or("");
    if (s.text.size() > 100) throw bad_field("q", "too_long", "搜索内容太长");
    s.role = role_filter(ctx);
    s.before_id = before_param(ctx);
    s.limit = limit_param(ctx);
    ctx.json(200, page_of(users::search(ctx.app.db().conn(), s), s.limit));
}

void get_user(RequestCtx& ctx) { ctx.json(200, ctx.app.identity().user_json(user_or_404(ctx))); }

void grant_role(RequestCtx& ctx) {
    int64_t uid = user_or_404(ctx);
    if (!ctx.body.contains("role") || !ctx.body["role"].is_string()) throw bad_field("role", "missing_field", "请填写角色");
    std::string why;
    auto role = parse_role(ctx.body["role"], &why);
    if (!role) throw ApiError(400, "invalid_role", "角色格式不正确", json{{"field", "role"}, {"reason", why}});
    bool added = ctx.app.identity().grant(uid, *role, ctx.user().user_id);
    if (added) ctx.audit("role.grant", "user", std::to_string(uid), {{"role", role->text()}});
    ctx.json(added ? 201 : 200, ctx.app.identity().user_json(uid));
}

void revoke_role(RequestCtx& ctx) {
    int64_t uid = user_or_404(ctx);
    std::string why;
    auto role = parse_role(*ctx.param("role"), &why);
    if (!role) throw ApiError(400, "invalid_role", "角色格式不正确", json{{"reason", why}});
    switch (ctx.app.identity().revoke(uid, *role, true)) {
        case Identity::Revoked::done: break;
        case Identity::Revoked::not_held: throw ApiError(404, "role_not_held", "该用户没有这个角色");
        case Identity::Revoked::last_admin:
            throw ApiError(409, "last_admin", "这是社区唯一的管理员，请先授予另一位管理员后再撤销");
    }
    ctx.audit("role.revoke", "user", std::to_string(uid), {{"role", role->text()}});
    ctx.json(200, ctx.app.identity().user_json(uid));
}

}  // namespace

void add_admin_user_routes(App&, std::vector<Route>& r) {
    const std::string base = "/api/v1/admin/users";
    r.push_back(core_route("GET", base, "admin", "Users by name, id or role, newest first (no openids or phone numbers)", list_users));
    r.push_back(core_route("GET", base + "/{user}", "admin", "A user and their roles", get_user));
    r.push_back(core_route("POST", base + "/{user}/roles", "admin", "Grant a role", grant_role));
    r.push_back(core_route("DELETE", base + "/{user}/roles/{role}", "admin", "Revoke a role", revoke_role));
}

}  // namespace yz
