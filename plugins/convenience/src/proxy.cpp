// SPDX-License-Identifier: MIT
// 代约: booking for someone else. Many elderly residents do not use the mini-program; their grid
// member (role grid:<grid>) or a family member books for them. The booking is the elder's — their
// quota, their suspension, their reminders — and records who booked it and as what; both hear
// about it.
//
// Who may: the service's rules allow proxy booking, and the caller is a grid member, or a family
// member whose link the elder confirmed (family_routes.cpp). The core does not yet say which
// residents belong to which grid, so a grid member may book for any resident of the community.
#include "station.hpp"

namespace convenience {

namespace {
constexpr const char* kGridRelation = "网格员";

bool is_grid_member(const yz::Auth& who) {
    for (const auto& role : who.roles)
        if (role.rfind("grid:", 0) == 0) return true;
    return false;
}
}  // namespace

OnBehalf Convenience::on_behalf(const Service& s, const yz::Auth& who, const json& body) const {
    OnBehalf whom{who.user_id, 0, ""};
    if (!body.contains("for_user_id") || body["for_user_id"].is_null()) return whom;
    const json& target = body["for_user_id"];
    if (!target.is_number_integer() || target.get<int64_t>() <= 0)
        throw yz::ApiError(400, "invalid_field", "for_user_id 须为居民编号", {{"field", "for_user_id"}});
    int64_t resident = target.get<int64_t>();
    if (resident == who.user_id) return whom;
    if (!s.rules.proxy_booking_allowed)
        throw yz::ApiError(422, "proxy_not_allowed", "该服务不接受代约，请本人预约", {{"service_id", s.id}});
    if (!host().query_one("SELECT id FROM pub_users WHERE id = ?1", {resident}))
        throw yz::ApiError(404, "resident_not_found", "没有这位居民", {{"for_user_id", resident}});
    whom = OnBehalf{resident, who.user_id, kGridRelation};
    if (is_grid_member(who)) return whom;
    auto link = host().query_one("SELECT relation FROM convenience_family_links WHERE member_user_id = ?1 AND elder_user_id = ?2 "
                                 "AND state = 'confirmed'",
                                 {who.user_id, resident});
    if (!link)
        throw yz::ApiError(403, "proxy_not_permitted", "只有网格员或经本人确认的家属可以代约", {{"for_user_id", resident}});
    whom.relation = (*link)["relation"].get<std::string>();
    return whom;
}

}  // namespace convenience
