// SPDX-License-Identifier: MIT
// 社区公告 (notices): staff of the station post notices; residents list and read them.
// The smallest real station: its own tables, a staff-only form validated by the core's forms
// block, public and staff routes, read receipts, and an audit line for every change.
#include <yz/plugin.hpp>
#include <yz/read_cache.hpp>
#include <yz/time_format.hpp>

namespace {

using yz::json;

// The notice form, as staff would define any intake form.
const json kNoticeForm = json::parse(R"([
  {"name": "title", "label": "标题", "type": "text", "required": true, "max_length": 60},
  {"name": "body", "label": "正文", "type": "text", "required": true, "max_length": 2000},
  {"name": "pinned", "label": "置顶", "type": "boolean"}
])");

class Notices : public yz::Station {
public:
    void init(yz::Host& host, const json& config) override {
        host.migrate(1, R"SQL(
            CREATE TABLE notices_items (
              id INTEGER PRIMARY KEY,
              title TEXT NOT NULL,
              body TEXT NOT NULL,
              pinned INTEGER NOT NULL DEFAULT 0,
              published INTEGER NOT NULL DEFAULT 1,
              author_user_id INTEGER NOT NULL,
              created_at INTEGER NOT NULL,
              updated_at INTEGER NOT NULL
            );
            CREATE INDEX notices_items_list ON notices_items(published, pinned, id);
            CREATE TABLE notices_reads (
              notice_id INTEGER NOT NULL REFERENCES notices_items(id),
              user_id INTEGER NOT NULL,
              read_at INTEGER NOT NULL,
              PRIMARY KEY (notice_id, user_id)
            ) WITHOUT ROWID;
        )SQL");
        route("GET", "/items", "public", "Published notices, pinned first, newest first", &Notices::list);
        route("GET", "/items/{id}", "public", "One notice (marks it read for a logged-in user)", &Notices::show);
        route("POST", "/items", "staff", "Post a notice", &Notices::create);
        route("PUT", "/items/{id}", "staff", "Edit a notice", &Notices::update);
        route("DELETE", "/items/{id}", "staff", "Withdraw a notice", &Notices::withdraw);
        route("GET", "/items/{id}/reads", "staff", "How many residents have read a notice", &Notices::reads);
        if (config.value("seed_demo", false)) seed_demo();
    }

private:
    // The page every resident opens: kept until the station's next write (a second at most).
    void list(yz::Request& req, yz::Response& res) {
        uint64_t version = writes_finished();
        int64_t before = 0;
        if (auto b = req.query("before")) before = parse_positive(*b, "before");
        std::string key = std::to_string(before);
        if (auto body = pages_.get(key, version, host().now_ms())) return res.json_text(200, *body);
        json items = host().query(
            "SELECT i.id, i.title, i.pinned, i.created_at, u.display_name AS author FROM notices_items i "
            "LEFT JOIN pub_users u ON u.id = i.author_user_id "
            "WHERE i.published = 1 AND (?1 = 0 OR i.id < ?1) ORDER BY i.pinned DESC, i.id DESC LIMIT 20",
            {before});
        for (auto& it : items) present(it);
        json page = {{"next_before", items.size() == 20 ? items.back()["id"] : json(nullptr)}};
        page["items"] = std::move(items);
        res.json_text(200, *pages_.put(key, version, host().now_ms(), page.dump()));
    }

    void show(yz::Request& req, yz::Response& res) {
        int64_t id = req.id_param("id");
        int64_t reader = req.user_id();
        // One statement reads the notice and whether this resident has read it before: the first
        // read is recorded, later ones stay reads, not a queue at the database's writer.
        auto item = host().query_one(
            "SELECT i.id, i.title, i.body, i.pinned, i.created_at, i.updated_at, u.display_name AS author, "
            "  EXISTS (SELECT 1 FROM notices_reads r WHERE r.notice_id = i.id AND r.user_id = ?2) AS seen "
            "FROM notices_items i LEFT JOIN pub_users u ON u.id = i.author_user_id WHERE i.id = ?1 AND i.published = 1",
            {id, reader});
        if (!item) throw yz::ApiError(404, "notice_not_found", "公告不存在或已撤回");
        auto seen_field = item->find("seen");
        bool seen = *seen_field == 1;
        item->erase(seen_field);
        present(*item);
        if (reader && !seen)
            host().exec("INSERT OR IGNORE INTO notices_reads(notice_id, user_id, read_at) VALUES (?1, ?2, ?3)",
                        {id, reader, host().now_ms()});
        res.json(200, *item);
    }

    void create(yz::Request& req, yz::Response& res) {
        json form = host().validate_form(kNoticeForm, req.body());
        int64_t now = host().now_ms();
        int64_t id = 0;
        host().tx([&] {
            id = host().exec(
                          "INSERT INTO notices_items(title, body, pinned, author_user_id, created_at, updated_at) "
                          "VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
                          {form["title"], form["body"], form.value("pinned", false) ? 1 : 0, req.auth().user_id, now})
                     .last_insert_id;
            host().audit(req.auth(), "notice.create", "notice", std::to_string(id), {{"title", form["title"]}});
        });
        res.json(201, {{"id", id}, {"title", form["title"]}});
    }

    void update(yz::Request& req, yz::Response& res) {
        int64_t id = req.id_param("id");
        json form = host().validate_form(kNoticeForm, req.body());
        host().tx([&] {
            auto changed = host().exec(
                "UPDATE notices_items SET title = ?2, body = ?3, pinned = ?4, updated_at = ?5 WHERE id = ?1 AND published = 1",
                {id, form["title"], form["body"], form.value("pinned", false) ? 1 : 0, host().now_ms()});
            if (changed.changes == 0) throw yz::ApiError(404, "notice_not_found", "公告不存在或已撤回");
            host().audit(req.auth(), "notice.update", "notice", std::to_string(id), {{"title", form["title"]}});
        });
        res.json(200, {{"id", id}, {"title", form["title"]}});
    }

    void withdraw(yz::Request& req, yz::Response& res) {
        int64_t id = req.id_param("id");
        host().tx([&] {
            auto changed = host().exec("UPDATE notices_items SET published = 0, updated_at = ?2 WHERE id = ?1 AND published = 1",
                                       {id, host().now_ms()});
            if (changed.changes == 0) throw yz::ApiError(404, "notice_not_found", "公告不存在或已撤回");
            host().audit(req.auth(), "notice.withdraw", "notice", std::to_string(id));
        });
        res.json(200, {{"id", id}, {"published", false}});
    }

    void reads(yz::Request& req, yz::Response& res) {
        int64_t id = req.id_param("id");
        auto row = host().query_one(
            "SELECT i.id, (SELECT count(*) FROM notices_reads r WHERE r.notice_id = i.id) AS reads "
            "FROM notices_items i WHERE i.id = ?1",
            {id});
        if (!row) throw yz::ApiError(404, "notice_not_found", "公告不存在或已撤回");
        res.json(200, *row);
    }

    // Storage keeps flags as 0/1 and instants as UTC ms; the API speaks booleans and +08:00.
    // Each field looked up once: this runs for every notice shown.
    static void present(json& item) {
        if (auto pinned = item.find("pinned"); pinned != item.end()) *pinned = *pinned == 1;
        for (const char* key : {"created_at", "updated_at"})
            if (auto t = item.find(key); t != item.end() && t->is_number_integer()) *t = yz::iso8601_beijing(t->get<int64_t>());
    }

    static int64_t parse_positive(const std::string& s, const char* field) {
        try {
            size_t used = 0;
            long long v = std::stoll(s, &used);
            if (used == s.size() && v >= 0) return v;
        } catch (...) {
        }
        throw yz::ApiError(400, "invalid_field", "参数格式不正确", {{"field", field}});
    }

    void seed_demo() {
        if (!host().query("SELECT 1 FROM notices_items LIMIT 1").empty()) return;
        int64_t now = host().now_ms();
        host().exec(
            "INSERT INTO notices_items(title, body, pinned, author_user_id, created_at, updated_at) VALUES "
            "('党群服务中心开放时间调整', '自下周一起，服务大厅开放时间为 8:30—17:30，周六上午照常开放。', 1, 0, ?1, ?1), "
            "('便民服务站：免费理发', '每月第一个周三上午，便民服务站为 70 岁以上老人提供免费理发，请提前预约。', 0, 0, ?1, ?1)",
            {now});
    }

    yz::ReadCache pages_;
};

}  // namespace

YZ_STATION(Notices, "notices", "社区公告", YZ_STATION_VERSION, "Notices posted by station staff for residents")
