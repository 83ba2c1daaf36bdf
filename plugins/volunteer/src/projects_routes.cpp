// SPDX-License-Identifier: MIT
// Chapter 1: the community's 项目清单 and 岗位清单. Staff publish projects for a year and posts
// within them, edit them and close them (a closed project or post takes no new claims; the claims
// it has stay). Anyone may read the lists, with the places each post has left. A post's spots are
// its capacity in the core's ledger, defined when it is published and redefined when edited (a
// lower number never cancels claims already made).
#include <yz/calendar.hpp>

#include "body_reader.hpp"
#include "station.hpp"

namespace volunteer {

namespace {
// A post's editable columns, bound as ?2..?14 after a leading ?1 (project or post id) and
// followed by ?15 (the time).
constexpr const char* kPostColumns =
    "role, description, time_type, starts_at, ends_at, location, spots, members_only, training, min_age, max_age, "
    "approval_required, withdraw_cutoff_minutes";

json post_params(int64_t first, const Post& p, int64_t now) {
    auto nullable = [](const std::optional<int64_t>& v) { return v ? json(*v) : json(); };
    return {first, p.role, p.description, p.time_type, nullable(p.starts_at), nullable(p.ends_at), p.location, p.spots,
            p.eligibility.members_only ? 1 : 0, p.eligibility.training, nullable(p.eligibility.min_age),
            nullable(p.eligibility.max_age), p.approval_required ? 1 : 0, p.withdraw_cutoff_minutes, now};
}
}  // namespace

void Volunteer::list_projects(yz::Request& req, yz::Response& res) {
    int64_t year = int_query(req, "year", yz::beijing_date(host().now_ms()).year());
    bool all = req.auth().staff_here && req.query("all").value_or("") == "1";
    json items = json::array();
    for (const auto& row : host().query("SELECT * FROM volunteer_projects WHERE year = ?1 AND (?2 = 1 OR state = 'open') "
                                        "ORDER BY state DESC, id",
                                        {year, all ? 1 : 0})) {
        json p = project_json(project_from_row(row));
        p["posts"] = host().query("SELECT id, role, time_type, spots, state FROM volunteer_posts WHERE project_id = ?1 ORDER BY id",
                                  json::array({row["id"]}));
        items.push_back(std::move(p));
    }
    res.json(200, {{"year", year}, {"items", items}});
}

void Volunteer::show_project(yz::Request& req, yz::Response& res) {
    Project p = load_project(req.id_param("id"));
    json posts = json::array();
    for (const auto& row : host().query("SELECT * FROM volunteer_posts WHERE project_id = ?1 ORDER BY id", {p.id})) {
        Post post = post_from_row(row);
        posts.push_back(post_json(post, places(post)));
    }
    json out = project_json(p);
    out["posts"] = posts;
    res.json(200, out);
}

void Volunteer::create_project(yz::Request& req, yz::Response& res) {
    Project p = project_from_request(req.body());
    int64_t now = host().now_ms();
    host().tx([&] {
        p.id = host().exec("INSERT INTO volunteer_projects(year, title, description, owner_station, unit_claimable, state, "
                           "created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, 'open', ?6, ?6)",
                           {p.year, p.title, p.description, p.owner_station, p.unit_claimable ? 1 : 0, now})
                   .last_insert_id;
        host().audit(req.auth(), "project.create", "project", std::to_string(p.id), {{"year", p.year}, {"title", p.title}});
        // The year's 双报到 deadline reminder exists once the year has something to claim.
        schedule_claim_deadline(p.year);
    });
    res.json(201, project_json(p));
}

void Volunteer::update_project(yz::Request& req, yz::Response& res) {
    int64_t id = req.id_param("id");
    Project p = project_from_request(req.body());
    host().tx([&] {
        p.state = load_project(id).state;
        p.id = id;
        host().exec("UPDATE volunteer_projects SET year = ?2, title = ?3, description = ?4, owner_station = ?5, unit_claimable = ?6, "
                    "updated_at = ?7 WHERE id = ?1",
                    {id, p.year, p.title, p.description, p.owner_station, p.unit_claimable ? 1 : 0, host().now_ms()});
        host().audit(req.auth(), "project.update", "project", std::to_string(id), {{"title", p.title}});
        schedule_claim_deadline(p.year);
    });
    res.json(200, project_json(p));
}

void Volunteer::close_project(yz::Request& req, yz::Response& res) {
    int64_t id = req.id_param("id");
    Project p;
    host().tx([&] {
        p = load_project(id);
        if (p.state == "closed") throw yz::ApiError(409, "closed", "项目已关闭");
        host().exec("UPDATE volunteer_projects SET state = 'closed', updated_at = ?2 WHERE id = ?1", {id, host().now_ms()});
        host().audit(req.auth(), "project.close", "project", std::to_string(id));
        p.state = "closed";
    });
    res.json(200, project_json(p));
}

void Volunteer::create_post(yz::Request& req, yz::Response& res) {
    int64_t project_id = req.id_param("id");
    Post p = post_from_request(req.body());
    int64_t now = host().now_ms();
    host().tx([&] {
        if (load_project(project_id).state == "closed") throw yz::ApiError(409, "closed", "项目已关闭，不能再添加岗位");
        p.project_id = project_id;
        p.id = host().exec("INSERT INTO volunteer_posts(project_id, " + std::string(kPostColumns) +
                           ", state, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
                           "'open', ?15, ?15)",
                           post_params(project_id, p, now))
                   .last_insert_id;
        host().capacity("define", {{"resource", post_resource(p.id)}, {"capacity", p.spots}});
        host().audit(req.auth(), "post.create", "post", std::to_string(p.id), {{"project_id", project_id}, {"role", p.role}});
    });
    res.json(201, post_json(p, places(p)));
}

void Volunteer::show_post(yz::Request& req, yz::Response& res) {
    Post p = load_post(req.id_param("id"));
    json out = post_json(p, places(p));
    out["project"] = project_json(load_project(p.project_id));
    res.json(200, out);
}

// Times, place and spots may change after volunteers claimed: their claims stay; a changed time
// or place moves their reminders and tells them (post_moved).
void Volunteer::update_post(yz::Request& req, yz::Response& res) {
    int64_t id = req.id_param("id");
    Post p = post_from_request(req.body());
    host().tx([&] {
        Post current = load_post(id);
        p.id = id;
        p.project_id = current.project_id;
        p.state = current.state;
        host().exec("UPDATE volunteer_posts SET (" + std::string(kPostColumns) +
                        ", updated_at) = (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15) WHERE id = ?1",
                    post_params(id, p, host().now_ms()));
        host().capacity("define", {{"resource", post_resource(id)}, {"capacity", p.spots}});
        if (p.starts_at != current.starts_at || p.ends_at != current.ends_at || p.location != current.location) post_moved(p);
        host().audit(req.auth(), "post.update", "post", std::to_string(id), {{"role", p.role}, {"spots", p.spots}});
    });
    res.json(200, post_json(p, places(p)));
}

void Volunteer::close_post(yz::Request& req, yz::Response& res) {
    int64_t id = req.id_param("id");
    Post p;
    host().tx([&] {
        p = load_post(id);
        if (p.state == "closed") throw yz::ApiError(409, "closed", "岗位已关闭");
        host().exec("UPDATE volunteer_posts SET state = 'closed', updated_at = ?2 WHERE id = ?1", {id, host().now_ms()});
        host().audit(req.auth(), "post.close", "post", std::to_string(id));
        p.state = "closed";
    });
    res.json(200, post_json(p, places(p)));
}

}  // namespace volunteer
