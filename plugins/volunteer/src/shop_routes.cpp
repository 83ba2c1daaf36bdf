// SPDX-License-Identifier: MIT
// Chapter 9: points and the 爱心超市. Approved hours earn points (points.hpp). Staff stock items
// priced in points; an item's stock is its resource in the core's capacity ledger, so however
// many volunteers redeem the last unit at once, one gets it and the others hear 409
// out_of_stock. A redemption spends the points (a negative ledger entry) and reserves the unit in
// one transaction; staff hand the item over at the desk; an order not yet handed over may be
// cancelled by its volunteer or by staff, which gives the unit back and refunds the points.
#include <yz/time_format.hpp>

#include "body_reader.hpp"
#include "points.hpp"
#include "station.hpp"
#include "workflows.hpp"

namespace volunteer {

namespace {
std::string item_resource(int64_t item_id) { return "item:" + std::to_string(item_id); }

constexpr const char* kOrderSelect =
    "SELECT o.*, i.name AS item_name, v.real_name, u.display_name FROM volunteer_orders o "
    "JOIN volunteer_shop_items i ON i.id = o.item_id LEFT JOIN volunteer_volunteers v ON v.user_id = o.user_id "
    "LEFT JOIN pub_users u ON u.id = o.user_id ";

json order_json(const json& row, bool staff_view) {
    json j = {{"id", row.at("id")},
              {"item", {{"id", row.at("item_id")}, {"name", row.at("item_name")}}},
              {"points", row.at("points")},
              {"state", row.at("state")},
              {"reason", row.at("reason")},
              {"created_at", yz::iso8601_beijing(row.at("created_at").get<int64_t>())},
              {"updated_at", yz::iso8601_beijing(row.at("updated_at").get<int64_t>())}};
    if (staff_view)
        j["volunteer"] = {{"user_id", row.at("user_id")},
                          {"name", row.at("real_name").is_string() ? row.at("real_name") : row.at("display_name")}};
    return j;
}

json visible_order(const yz::Host& host, const yz::Request& req, int64_t id) {
    auto row = host.query_one(std::string(kOrderSelect) + "WHERE o.id = ?1", {id});
    if (!row || ((*row)["user_id"] != req.auth().user_id && !req.auth().staff_here))
        throw yz::ApiError(404, "order_not_found", "兑换记录不存在");
    return *row;
}

struct ItemFields {
    std::string name, description;
    int64_t points = 0;
    bool active = true;
};
ItemFields item_from_request(BodyReader& in) {
    ItemFields f;
    f.name = in.text("name", 40, true);
    f.description = in.text("description", 500, false);
    f.points = in.integer("points", 1, 1000000, true).value_or(0);
    f.active = in.flag("active", true);
    return f;
}
}  // namespace

json Volunteer::item_view(const json& row) const {
    json places = host().capacity("status", {{"resource", item_resource(row.at("id"))}});
    return {{"id", row.at("id")},
            {"name", row.at("name")},
            {"description", row.at("description")},
            {"points", row.at("points")},
            {"stocked", row.at("stocked")},
            {"remaining", places.at("remaining")},
            {"active", row.at("active") == 1}};
}

void Volunteer::my_points(yz::Request& req, yz::Response& res) {
    int64_t uid = req.auth().user_id;
    json entries = json::array();
    for (const auto& row : host().query("SELECT id, delta, kind, hours_record_id, order_id, note, created_at FROM volunteer_points "
                                        "WHERE user_id = ?1 ORDER BY id DESC LIMIT 200",
                                        {uid}))
        entries.push_back({{"id", row["id"]},
                           {"delta", row["delta"]},
                           {"kind", row["kind"]},
                           {"hours_record_id", row["hours_record_id"]},
                           {"order_id", row["order_id"]},
                           {"note", row["note"]},
                           {"at", yz::iso8601_beijing(row["created_at"].get<int64_t>())}});
    res.json(200, {{"balance", points_balance(host(), uid)}, {"entries", entries}});
}

void Volunteer::list_items(yz::Request& req, yz::Response& res) {
    bool all = req.auth().staff_here && req.query("all").value_or("") == "1";
    json items = json::array();
    for (const auto& row : host().query("SELECT * FROM volunteer_shop_items WHERE (?1 = 1 OR active = 1) ORDER BY points, id", {all ? 1 : 0}))
        items.push_back(item_view(row));
    res.json(200, {{"items", items}});
}

void Volunteer::create_item(yz::Request& req, yz::Response& res) {
    BodyReader in(req.body());
    ItemFields f = item_from_request(in);
    int64_t stock = in.integer("stock", 0, 100000, true).value_or(0);
    in.done("invalid_item", "物品信息有误");
    json row;
    host().tx([&] {
        int64_t id = host().exec("INSERT INTO volunteer_shop_items(name, description, points, stocked, active, created_at, updated_at) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
                                 {f.name, f.description, f.points, stock, f.active ? 1 : 0, host().now_ms()})
                         .last_insert_id;
        host().capacity("define", {{"resource", item_resource(id)}, {"capacity", stock}});
        host().audit(req.auth(), "item.create", "item", std::to_string(id), {{"name", f.name}, {"points", f.points}, {"stock", stock}});
        row = *host().query_one("SELECT * FROM volunteer_shop_items WHERE id = ?1", {id});
    });
    res.json(201, item_view(row));
}

void Volunteer::update_item(yz::Request& req, yz::Response& res) {
    int64_t id = req.id_param("id");
    BodyReader in(req.body());
    ItemFields f = item_from_request(in);
    in.done("invalid_item", "物品信息有误");
    json row;
    host().tx([&] {
        if (host().exec("UPDATE volunteer_shop_items SET name = ?2, description = ?3, points = ?4, active = ?5, updated_at = ?6 WHERE id = ?1",
                        {id, f.name, f.description, f.points, f.active ? 1 : 0, host().now_ms()})
                .changes == 0)
            throw yz::ApiError(404, "item_not_found", "物品不存在");
        host().audit(req.auth(), "item.update", "item", std::to_string(id), {{"name", f.name}, {"points", f.points}, {"active", f.active}});
        row = *host().query_one("SELECT * FROM volunteer_shop_items WHERE id = ?1", {id});
    });
    res.json(200, item_view(row));
}

void Volunteer::restock_item(yz::Request& req, yz::Response& res) {
    int64_t id = req.id_param("id");
    BodyReader in(req.body());
    int64_t units = in.integer("units", 1, 100000, true).value_or(0);
    in.done();
    json row;
    host().tx([&] {
        if (host().exec("UPDATE volunteer_shop_items SET stocked = stocked + ?2, updated_at = ?3 WHERE id = ?1", {id, units, host().now_ms()})
                .changes == 0)
            throw yz::ApiError(404, "item_not_found", "物品不存在");
        row = *host().query_one("SELECT * FROM volunteer_shop_items WHERE id = ?1", {id});
        host().capacity("define", {{"resource", item_resource(id)}, {"capacity", row["stocked"]}});
        host().audit(req.auth(), "item.restock", "item", std::to_string(id), {{"units", units}, {"stocked", row["stocked"]}});
    });
    res.json(200, item_view(row));
}

void Volunteer::redeem(yz::Request& req, yz::Response& res) {
    int64_t item_id = req.id_param("id");
    int64_t uid = req.auth().user_id;
    json order;
    host().tx([&] {
        auto item = host().query_one("SELECT * FROM volunteer_shop_items WHERE id = ?1 AND active = 1", {item_id});
        if (!item) throw yz::ApiError(404, "item_not_found", "物品不存在或已下架");
        int64_t price = (*item)["points"], balance = points_balance(host(), uid);
        if (balance < price) throw yz::ApiError(422, "insufficient_points", "积分不足", {{"balance", balance}, {"points", price}});
        auto earlier = host().query_one("SELECT count(*) AS n FROM volunteer_orders WHERE user_id = ?1", {uid});
        json place;
        try {
            place = host().capacity("reserve", {{"resource", item_resource(item_id)},
                                                {"holder", "user:" + std::to_string(uid)},
                                                {"key", "order:" + std::to_string(uid) + ":" + std::to_string((*earlier)["n"].get<int64_t>())}});
        } catch (const yz::HostError& e) {
            if (e.status() == YZ_FULL) throw yz::ApiError(409, "out_of_stock", "该物品已兑完", {{"item_id", item_id}});
            throw;
        }
        int64_t now = host().now_ms();
        int64_t id = host().exec("INSERT INTO volunteer_orders(item_id, user_id, points, state, hold_id, created_at, updated_at) "
                                 "VALUES (?1, ?2, ?3, 'reserved', ?4, ?5, ?5)",
                                 {item_id, uid, price, place["hold_id"], now})
                         .last_insert_id;
        host().exec("INSERT INTO volunteer_points(user_id, delta, kind, order_id, note, actor_user_id, created_at) "
                    "VALUES (?1, ?2, 'redeemed', ?3, ?4, ?1, ?5)",
                    {uid, -price, id, (*item)["name"], now});
        host().audit(req.auth(), "order.create", "order", std::to_string(id), {{"item_id", item_id}, {"points", price}});
        order = *host().query_one(std::string(kOrderSelect) + "WHERE o.id = ?1", {id});
    });
    res.json(201, order_json(order, false));
}

void Volunteer::my_orders(yz::Request& req, yz::Response& res) {
    json items = json::array();
    for (const auto& row : host().query(std::string(kOrderSelect) + "WHERE o.user_id = ?1 ORDER BY o.id DESC LIMIT 100", {req.auth().user_id}))
        items.push_back(order_json(row, false));
    res.json(200, {{"items", items}});
}

void Volunteer::list_orders(yz::Request& req, yz::Response& res) {
    std::string state = req.query("state").value_or("");
    json items = json::array();
    for (const auto& row : host().query(std::string(kOrderSelect) + "WHERE (?1 = '' OR o.state = ?1) ORDER BY o.id LIMIT 500", {state}))
        items.push_back(order_json(row, true));
    res.json(200, {{"items", items}});
}

void Volunteer::hand_over(yz::Request& req, yz::Response& res) {
    int64_t id = req.id_param("id");
    json order;
    host().tx([&] {
        json current = visible_order(host(), req, id);
        std::string to = move(kOrderWorkflow, "order", req.auth(), current, "hand_over", current["user_id"], "");
        host().exec("UPDATE volunteer_orders SET state = ?2, updated_at = ?3 WHERE id = ?1", {id, to, host().now_ms()});
        order = *host().query_one(std::string(kOrderSelect) + "WHERE o.id = ?1", {id});
    });
    res.json(200, order_json(order, true));
}

void Volunteer::cancel_order(yz::Request& req, yz::Response& res) {
    int64_t id = req.id_param("id");
    BodyReader in(req.body());
    std::string reason = in.text("reason", 300, false);
    in.done();
    json order;
    host().tx([&] {
        json current = visible_order(host(), req, id);
        std::string to = move(kOrderWorkflow, "order", req.auth(), current, "cancel", current["user_id"], reason);
        int64_t now = host().now_ms();
        host().exec("UPDATE volunteer_orders SET state = ?2, reason = ?3, updated_at = ?4 WHERE id = ?1", {id, to, reason, now});
        host().capacity("release", {{"hold_id", current["hold_id"]}});
        host().exec("INSERT INTO volunteer_points(user_id, delta, kind, order_id, note, actor_user_id, created_at) "
                    "VALUES (?1, ?2, 'refunded', ?3, ?4, ?5, ?6)",
                    {current["user_id"], current["points"], id, current["item_name"], req.auth().user_id, now});
        order = *host().query_one(std::string(kOrderSelect) + "WHERE o.id = ?1", {id});
    });
    res.json(200, order_json(order, req.auth().staff_here));
}

}  // namespace volunteer
