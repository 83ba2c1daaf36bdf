// SPDX-License-Identifier: MIT
#include "dev_seed.hpp"

#include "app.hpp"

namespace yz {
using nlohmann::json;

json seed_demo(App& app) {
    struct Demo {
        const char* user;
        const char* name;
        std::vector<std::string> roles;
    };
    std::vector<Demo> demo = {
        {"admin", "社区管理员", {"admin"}},
        {"staff-notices", "公告站工作人员", {"staff:notices"}},
        {"staff-convenience", "便民服务站工作人员", {"staff:convenience"}},
        {"staff-volunteer", "志愿者工作站工作人员", {"staff:volunteer"}},
        {"zhang", "张阿姨", {}},
        {"li", "李师傅", {"member"}},
        {"wang", "王网格员", {"grid:g1"}},
    };
    json out = json::array();
    Identity& id = app.identity();
    for (const auto& d : demo) {
        int64_t uid = id.upsert_user(std::string("dev-") + d.user, "", d.name);
        for (const auto& r : d.roles) id.grant(uid, *parse_role(r), 0);
        out.push_back({{"user", d.user}, {"display_name", d.name}, {"roles", id.user_json(uid)["roles"]}});
    }
    return out;
}

}  // namespace yz
