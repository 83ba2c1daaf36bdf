// SPDX-License-Identifier: MIT
// 志愿者工作站 (volunteer): the community publishes a yearly 项目清单 and 岗位清单; residents
// register as volunteers; party members report under 双报到 and claim posts, units claim
// projects; volunteers check in by a rotating QR code, their hours go through an append-only
// ledger that staff approve, approved hours earn points for the 爱心超市, and the year ends in
// compliance reports, exports and service certificates.
//
// The story, a file per chapter:
//   projects_routes.cpp     staff publish, edit and close projects and their posts; anyone lists them
//   people_routes.cpp       volunteers register; staff record trainings
//   units_routes.cpp        staff register units and their contacts; members declare 双报到
//   claim_routes.cpp        a volunteer claims a post: rules, ledger place, approval, withdrawal
//   unit_claim_routes.cpp   a unit contact claims a project for the unit; staff mark it completed
//   checkin_routes.cpp      the station screen's rotating code; check-in and out; staff by hand
//   auto_close.cpp          check-ins left open past the window are closed by the scheduler, flagged
//   hours_routes.cpp        pending hours; staff approve, adjust, decline; walk-in service
//   shop_routes.cpp         points balance, 爱心超市 items and redemption orders
//   report_routes.cpp       双报到 compliance per member and per unit; CSV export of service records
//   stats_routes.cpp        the console dashboard's figures per Beijing month
//   certificate_routes.cpp  a volunteer's service record and certificates checked at a public URL
//   reminders.cpp           shift reminders and the 双报到 claim-deadline reminder, as durable jobs
// Threads: handlers run concurrently; after init the station keeps only its immutable settings,
// so every decision is made from the database inside a transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <yz/plugin.hpp>

#include "project_spec.hpp"
#include "settings.hpp"

namespace volunteer {

using yz::json;

class Volunteer : public yz::Station {
public:
    void init(yz::Host& host, const json& config) override;

private:
    void add_routes();

    // projects_routes.cpp
    void list_projects(yz::Request& req, yz::Response& res);
    void show_project(yz::Request& req, yz::Response& res);
    void create_project(yz::Request& req, yz::Response& res);
    void update_project(yz::Request& req, yz::Response& res);
    void close_project(yz::Request& req, yz::Response& res);
    void create_post(yz::Request& req, yz::Response& res);
    void show_post(yz::Request& req, yz::Response& res);
    void update_post(yz::Request& req, yz::Response& res);
    void close_post(yz::Request& req, yz::Response& res);
    // people_routes.cpp
    void show_registration(yz::Request& req, yz::Response& res);
    void register_volunteer(yz::Request& req, yz::Response& res);
    void list_volunteers(yz::Request& req, yz::Response& res);
    void reveal_phone(yz::Request& req, yz::Response& res);
    void record_training(yz::Request& req, yz::Response& res);
    // units_routes.cpp
    void list_units(yz::Request& req, yz::Response& res);
    void create_unit(yz::Request& req, yz::Response& res);
    void update_unit(yz::Request& req, yz::Response& res);
    void show_declaration(yz::Request& req, yz::Response& res);
    void declare(yz::Request& req, yz::Response& res);
    // claim_routes.cpp
    void claim_post(yz::Request& req, yz::Response& res);
    void my_claims(yz::Request& req, yz::Response& res);
    void show_claim(yz::Request& req, yz::Response& res);
    void withdraw_claim(yz::Request& req, yz::Response& res);
    void post_claims(yz::Request& req, yz::Response& res);
    void list_claims(yz::Request& req, yz::Response& res);
    void approve_claim(yz::Request& req, yz::Response& res);
    void decline_claim(yz::Request& req, yz::Response& res);
    void cancel_claim(yz::Request& req, yz::Response& res);
    int64_t take_spot(const Post& post, int64_t user_id);
    json decide_claim(yz::Request& req, const std::string& action, const char* notice);
    // unit_claim_routes.cpp
    void my_unit(yz::Request& req, yz::Response& res);
    void claim_project_for_unit(yz::Request& req, yz::Response& res);
    void list_unit_claims(yz::Request& req, yz::Response& res);
    void complete_unit_claim(yz::Request& req, yz::Response& res);
    void withdraw_unit_claim(yz::Request& req, yz::Response& res);
    json unit_of_contact(int64_t user_id) const;  // or 403 not_unit_contact
    // checkin_routes.cpp
    void show_code(yz::Request& req, yz::Response& res);
    void check_in(yz::Request& req, yz::Response& res);
    void check_out(yz::Request& req, yz::Response& res);
    void manual_check_in(yz::Request& req, yz::Response& res);
    void manual_check_out(yz::Request& req, yz::Response& res);
    void post_attendance(yz::Request& req, yz::Response& res);
    void my_attendance(yz::Request& req, yz::Response& res);
    json open_attendance(const Post& post, const json& claim, const std::string& place, const char* method);
    json close_attendance(const json& attendance, int64_t at, const char* method, int64_t actor_user_id);
    // auto_close.cpp
    void auto_close(const json& payload);
    int64_t close_by(const Post& post, int64_t checked_in_at) const;
    // hours_routes.cpp
    void my_hours(yz::Request& req, yz::Response& res);
    void show_hours(yz::Request& req, yz::Response& res);
    void review_queue(yz::Request& req, yz::Response& res);
    void approve_hours(yz::Request& req, yz::Response& res);
    void adjust_hours(yz::Request& req, yz::Response& res);
    void decline_hours(yz::Request& req, yz::Response& res);
    void log_walk_in(yz::Request& req, yz::Response& res);
    json decide_hours(const yz::Auth& who, int64_t record_id, const std::string& kind, int64_t minutes, const std::string& reason);
    // shop_routes.cpp
    void my_points(yz::Request& req, yz::Response& res);
    void list_items(yz::Request& req, yz::Response& res);
    void create_item(yz::Request& req, yz::Response& res);
    void update_item(yz::Request& req, yz::Response& res);
    void restock_item(yz::Request& req, yz::Response& res);
    void redeem(yz::Request& req, yz::Response& res);
    void my_orders(yz::Request& req, yz::Response& res);
    void list_orders(yz::Request& req, yz::Response& res);
    void hand_over(yz::Request& req, yz::Response& res);
    void cancel_order(yz::Request& req, yz::Response& res);
    json item_view(const json& row) const;
    // report_routes.cpp
    void member_compliance(yz::Request& req, yz::Response& res);
    void unit_compliance(yz::Request& req, yz::Response& res);
    void export_service_records(yz::Request& req, yz::Response& res);
    // stats_routes.cpp
    void monthly_stats(yz::Request& req, yz::Response& res);
    // certificate_routes.cpp
    void my_record(yz::Request& req, yz::Response& res);
    void volunteer_record(yz::Request& req, yz::Response& res);
    void issue_certificate(yz::Request& req, yz::Response& res);
    void print_certificate(yz::Request& req, yz::Response& res);
    void verify_certificate(yz::Request& req, yz::Response& res);
    json service_record(int64_t user_id) const;
    // privacy.cpp: the station's part of a resident's export and erasure
    json export_user(int64_t user_id);
    void erase_user(int64_t user_id);
    // reminders.cpp
    std::optional<int64_t> schedule_shift_reminder(int64_t claim_id, const Post& post);
    void send_shift_reminder(const json& payload);
    // After a post's time or place changed: its live claims' reminders move, their holders hear of it.
    void post_moved(const Post& post);
    void schedule_claim_deadline(int64_t year);
    void send_claim_reminders(const json& payload);

    // station.cpp: what every chapter looks up.
    Project load_project(int64_t id) const;  // or 404 project_not_found
    Post load_post(int64_t id) const;        // or 404 post_not_found
    json places(const Post& post) const;     // the ledger's {capacity, taken, remaining}
    std::optional<json> registration(int64_t user_id) const;
    // Moves a record along a workflow (the core checks and audits) and returns the new state;
    // refusals become 409 invalid_transition, 403 forbidden, 422 reason_required. Inside host().tx.
    std::string move(const char* workflow, const char* record_type, const yz::Auth& actor, const json& record,
                     const std::string& action, int64_t owner_user_id, const std::string& reason);

    Settings settings_;  // immutable after init
};

}  // namespace volunteer
