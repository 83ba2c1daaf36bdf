// SPDX-License-Identifier: MIT
// The station's set-up (settings, tables, workflows, routes, jobs) and the lookups every chapter
// shares. See station.hpp for the story.
#include "station.hpp"

#include <yz/calendar.hpp>

#include "schema.hpp"
#include "workflows.hpp"

namespace volunteer {

void Volunteer::init(yz::Host& host, const json& config) {
    settings_ = settings_from_config(config);
    host.migrate(1, kSchemaV1);
    host.workflow("define", claim_workflow_definition());
    host.workflow("define", unit_claim_workflow_definition());
    host.workflow("define", order_workflow_definition());
    add_routes();
    on_privacy(&Volunteer::export_user, &Volunteer::erase_user);
    on_job("auto_close", &Volunteer::auto_close);
    on_job("shift_reminder", &Volunteer::send_shift_reminder);
    on_job("claim_deadline", &Volunteer::send_claim_reminders);
    schedule_claim_deadline(yz::beijing_date(host.now_ms()).year());
}

void Volunteer::add_routes() {
    route("GET", "/projects", "public", "Projects of a year with their posts (?year=)", &Volunteer::list_projects);
    route("GET", "/projects/{id}", "public", "One project and its posts with places left", &Volunteer::show_project);
    route("POST", "/projects", "staff", "Publish a project", &Volunteer::create_project);
    route("PUT", "/projects/{id}", "staff", "Edit a project", &Volunteer::update_project);
    route("POST", "/projects/{id}/close", "staff", "Close a project (no new claims)", &Volunteer::close_project);
    route("POST", "/projects/{id}/posts", "staff", "Publish a post in a project", &Volunteer::create_post);
    route("GET", "/posts/{id}", "public", "One post with places left", &Volunteer::show_post);
    route("PUT", "/posts/{id}", "staff", "Edit a post", &Volunteer::update_post);
    route("POST", "/posts/{id}/close", "staff", "Close a post (no new claims)", &Volunteer::close_post);

    route("GET", "/my/registration", "resident", "My volunteer registration", &Volunteer::show_registration);
    route("PUT", "/my/registration", "resident", "Register as a volunteer, or update it", &Volunteer::register_volunteer);
    route("GET", "/volunteers", "staff", "Registered volunteers (phones masked)", &Volunteer::list_volunteers);
    route("POST", "/volunteers/{user}/phone", "staff", "A volunteer's full phone number, with a reason (audited)", &Volunteer::reveal_phone);
    route("POST", "/volunteers/{user}/trainings", "staff", "Record a training a volunteer completed", &Volunteer::record_training);

    route("GET", "/units", "resident", "双报到 units", &Volunteer::list_units);
    route("POST", "/units", "staff", "Register a unit and its contact person", &Volunteer::create_unit);
    route("PUT", "/units/{id}", "staff", "Change a unit's name or contact person", &Volunteer::update_unit);
    route("GET", "/my/declaration", "member", "My 双报到 declaration (?year=)", &Volunteer::show_declaration);
    route("PUT", "/my/declaration", "member", "Declare 双报到: unit, in service, year", &Volunteer::declare);

    route("POST", "/posts/{id}/claims", "resident", "Claim a post", &Volunteer::claim_post);
    route("GET", "/my/claims", "resident", "My claims, newest first", &Volunteer::my_claims);
    route("GET", "/claims/{id}", "resident", "One claim (its volunteer or staff)", &Volunteer::show_claim);
    route("POST", "/claims/{id}/withdraw", "resident", "Withdraw my claim before the post's cut-off", &Volunteer::withdraw_claim);
    route("GET", "/posts/{id}/claims", "staff", "A post's claims", &Volunteer::post_claims);
    route("GET", "/claims", "staff", "Claims across posts, oldest first (?state=pending|approved|...&post_id=)", &Volunteer::list_claims);
    route("POST", "/claims/{id}/approve", "staff", "Approve a pending claim", &Volunteer::approve_claim);
    route("POST", "/claims/{id}/decline", "staff", "Decline a pending claim, with a reason", &Volunteer::decline_claim);
    route("POST", "/claims/{id}/cancel", "staff", "Cancel a claim, with a reason", &Volunteer::cancel_claim);

    route("GET", "/my/unit", "unit_contact", "The unit I represent and its project claims", &Volunteer::my_unit);
    route("POST", "/projects/{id}/unit-claims", "unit_contact", "Claim a project for my unit", &Volunteer::claim_project_for_unit);
    route("GET", "/unit-claims", "staff", "Units' project claims (?year=)", &Volunteer::list_unit_claims);
    route("POST", "/unit-claims/{id}/complete", "staff", "Mark a unit's project completed", &Volunteer::complete_unit_claim);
    route("POST", "/unit-claims/{id}/withdraw", "unit_contact|staff", "Withdraw a unit's claim", &Volunteer::withdraw_unit_claim);

    route("GET", "/posts/{id}/code", "staff", "The rotating check-in code for the station screen (?place=)", &Volunteer::show_code);
    route("POST", "/posts/{id}/check-in", "resident", "Check in by scanning the screen's code", &Volunteer::check_in);
    route("POST", "/posts/{id}/check-out", "resident", "Check out by scanning the screen's code", &Volunteer::check_out);
    route("POST", "/posts/{id}/manual-check-in", "staff", "Check a volunteer in by hand, with a reason", &Volunteer::manual_check_in);
    route("POST", "/attendance/{id}/manual-check-out", "staff", "Check a volunteer out by hand, with a reason", &Volunteer::manual_check_out);
    route("GET", "/posts/{id}/attendance", "staff", "Who checked in at a post", &Volunteer::post_attendance);
    route("GET", "/my/attendance", "resident", "My check-ins, newest first", &Volunteer::my_attendance);

    route("GET", "/my/hours", "resident", "My hours records with their status", &Volunteer::my_hours);
    route("GET", "/hours/{id}", "resident", "One hours record and its ledger entries (its volunteer or staff)", &Volunteer::show_hours);
    route("GET", "/hours", "staff", "Hours records to review (?status=pending|approved|declined)", &Volunteer::review_queue);
    route("POST", "/hours/{id}/approve", "staff", "Approve pending hours", &Volunteer::approve_hours);
    route("POST", "/hours/{id}/adjust", "staff", "Approve hours at a corrected length, with a reason", &Volunteer::adjust_hours);
    route("POST", "/hours/{id}/decline", "staff", "Decline hours, with a reason", &Volunteer::decline_hours);
    route("POST", "/hours/walk-in", "staff", "Log a walk-in service", &Volunteer::log_walk_in);

    route("GET", "/my/points", "resident", "My points balance and ledger", &Volunteer::my_points);
    route("GET", "/shop/items", "public", "爱心超市 items with stock left", &Volunteer::list_items);
    route("POST", "/shop/items", "staff", "Add an item", &Volunteer::create_item);
    route("PUT", "/shop/items/{id}", "staff", "Edit an item (name, description, points, active)", &Volunteer::update_item);
    route("POST", "/shop/items/{id}/restock", "staff", "Add units to an item's stock", &Volunteer::restock_item);
    route("POST", "/shop/items/{id}/orders", "resident", "Redeem points for an item", &Volunteer::redeem);
    route("GET", "/my/orders", "resident", "My redemption orders", &Volunteer::my_orders);
    route("GET", "/orders", "staff", "Redemption orders (?state=)", &Volunteer::list_orders);
    route("POST", "/orders/{id}/hand-over", "staff", "Hand an order's item over", &Volunteer::hand_over);
    route("POST", "/orders/{id}/cancel", "resident", "Cancel an order not yet handed over (its volunteer or staff)", &Volunteer::cancel_order);

    route("GET", "/reports/compliance/members", "staff|admin", "双报到 per member for a year (?year=&unit_id=&compliant=&format=csv)", &Volunteer::member_compliance);
    route("GET", "/reports/compliance/units", "staff|admin", "双报到 per unit for a year (?year=&compliant=&format=csv)", &Volunteer::unit_compliance);
    route("GET", "/stats/monthly", "staff|admin", "Per Beijing month: approved hours, claims, check-ins (?months=12); this year's 双报到 completion", &Volunteer::monthly_stats);
    route("GET", "/exports/service-records", "staff|admin", "Approved service records as CSV (?year= or ?from=&to=)", &Volunteer::export_service_records);

    route("GET", "/my/record", "resident", "My service record: total and per-project hours", &Volunteer::my_record);
    route("GET", "/volunteers/{user}/record", "staff", "A volunteer's service record", &Volunteer::volunteer_record);
    route("POST", "/my/certificates", "resident", "Issue a service certificate (?from=&to= in the body)", &Volunteer::issue_certificate);
    route("GET", "/my/certificates/{id}", "resident", "A printable certificate page", &Volunteer::print_certificate);
    route("GET", "/certificates/{code}", "public", "Check a certificate by its verification code", &Volunteer::verify_certificate);
}

Project Volunteer::load_project(int64_t id) const {
    auto row = host().query_one("SELECT * FROM volunteer_projects WHERE id = ?1", {id});
    if (!row) throw yz::ApiError(404, "project_not_found", "项目不存在");
    return project_from_row(*row);
}

Post Volunteer::load_post(int64_t id) const {
    auto row = host().query_one("SELECT * FROM volunteer_posts WHERE id = ?1", {id});
    if (!row) throw yz::ApiError(404, "post_not_found", "岗位不存在");
    return post_from_row(*row);
}

json Volunteer::places(const Post& post) const {
    try {
        return host().capacity("status", {{"resource", post_resource(post.id)}});
    } catch (const yz::HostError& e) {
        if (e.status() != YZ_NOT_FOUND) throw;
        return {{"capacity", post.spots}, {"taken", 0}, {"remaining", post.spots}};
    }
}

std::optional<json> Volunteer::registration(int64_t user_id) const {
    return host().query_one("SELECT * FROM volunteer_volunteers WHERE user_id = ?1", {user_id});
}

std::string Volunteer::move(const char* workflow, const char* record_type, const yz::Auth& actor, const json& record,
                            const std::string& action, int64_t owner_user_id, const std::string& reason) {
    try {
        json verdict = host().workflow("transition", {{"workflow", workflow},
                                                      {"record_type", record_type},
                                                      {"record_id", record.at("id")},
                                                      {"state", record.at("state")},
                                                      {"action", action},
                                                      {"actor", actor.actor()},
                                                      {"owner_user_id", owner_user_id},
                                                      {"reason", reason}});
        return verdict.at("to").get<std::string>();
    } catch (const yz::HostError& e) {
        json details = {{"state", record.at("state")}, {"action", action}};
        if (e.status() == YZ_CONFLICT) throw yz::ApiError(409, "invalid_transition", "当前状态不能这样处理", details);
        if (e.status() == YZ_DENIED) throw yz::ApiError(403, "forbidden", "无权这样处理", details);
        if (e.status() == YZ_INVALID && reason.empty()) throw yz::ApiError(422, "reason_required", "请填写原因", details);
        throw;
    }
}

}  // namespace volunteer

YZ_STATION(volunteer::Volunteer, "volunteer", "志愿者工作站", YZ_STATION_VERSION,
           "Volunteer projects and posts, 双报到 claiming, QR check-in, hours, points and certificates")
