// SPDX-License-Identifier: MIT
// Chapter 2: people. Any resident registers as a volunteer (the core's forms block checks the
// answers: a real date); the name they give is the one certificates show, and the birth date is
// what age rules are checked against. The station keeps no phone number: the one the resident
// verified through WeChat stays sealed in the core, and staff reach it with one request and a
// reason, which the core audits (host.reveal_phone). Staff record the trainings volunteers
// completed, which posts may require by name.
#include <yz/time_format.hpp>

#include "body_reader.hpp"
#include "station.hpp"

namespace volunteer {

namespace {
const json& registration_form() {
    static const json form = json::parse(R"([
      {"name": "real_name", "label": "姓名", "type": "text", "required": true, "max_length": 20},
      {"name": "birth_date", "label": "出生日期", "type": "date", "min": "1900-01-01"},
      {"name": "skills", "label": "特长", "type": "text", "max_length": 200}
    ])");
    return form;
}

json registration_json(const json& row) {
    return {{"user_id", row.at("user_id")},
            {"real_name", row.at("real_name")},
            {"birth_date", row.at("birth_date")},
            {"skills", row.at("skills")},
            {"registered_at", yz::iso8601_beijing(row.at("registered_at").get<int64_t>())}};
}
}  // namespace

void Volunteer::show_registration(yz::Request& req, yz::Response& res) {
    auto row = registration(req.auth().user_id);
    if (!row) throw yz::ApiError(404, "not_registered", "您还没有登记为志愿者");
    json out = registration_json(*row);
    out["trainings"] = host().query("SELECT training, completed_on FROM volunteer_trainings WHERE user_id = ?1 ORDER BY training",
                                    {req.auth().user_id});
    res.json(200, out);
}

void Volunteer::register_volunteer(yz::Request& req, yz::Response& res) {
    json answers = host().validate_form(registration_form(), req.body());
    int64_t uid = req.auth().user_id;
    int64_t now = host().now_ms();
    bool created = false;
    host().tx([&] {
        created = !registration(uid);
        host().exec("INSERT INTO volunteer_volunteers(user_id, real_name, birth_date, skills, registered_at, updated_at) "
                    "VALUES (?1, ?2, ?3, ?4, ?5, ?5) ON CONFLICT(user_id) DO UPDATE SET real_name = excluded.real_name, "
                    "birth_date = excluded.birth_date, skills = excluded.skills, updated_at = excluded.updated_at",
                    {uid, answers["real_name"], answers.value("birth_date", json()), answers.value("skills", ""), now});
        host().audit(req.auth(), created ? "volunteer.register" : "volunteer.update", "volunteer", std::to_string(uid));
    });
    res.json(created ? 201 : 200, registration_json(*registration(uid)));
}

void Volunteer::list_volunteers(yz::Request&, yz::Response& res) {
    json items = json::array();
    for (const auto& row : host().query("SELECT * FROM volunteer_volunteers ORDER BY user_id")) {
        json v = registration_json(row);
        v["trainings"] = host().query("SELECT training, completed_on FROM volunteer_trainings WHERE user_id = ?1 ORDER BY training",
                                      json::array({row["user_id"]}));
        items.push_back(std::move(v));
    }
    res.json(200, {{"items", items}});
}

// Only for someone registered here: the relation that makes them this station's to contact.
void Volunteer::reveal_phone(yz::Request& req, yz::Response& res) {
    int64_t uid = req.id_param("user");
    BodyReader in(req.body());
    std::string reason = in.text("reason", 300, true);
    in.done();
    if (!registration(uid)) throw yz::ApiError(404, "not_registered", "该用户还没有登记为志愿者");
    std::optional<std::string> phone;
    try {
        phone = host().reveal_phone(req, uid, reason);
    } catch (const yz::HostError& e) {
        if (e.status() == YZ_DENIED) throw yz::ApiError(403, "forbidden", "无权查看该志愿者的手机号");
        throw;
    }
    if (!phone) throw yz::ApiError(404, "no_phone", "该志愿者还没有绑定手机号");
    res.json(200, {{"user_id", uid}, {"phone", *phone}});
}

void Volunteer::record_training(yz::Request& req, yz::Response& res) {
    int64_t uid = req.id_param("user");
    BodyReader in(req.body());
    std::string training = in.text("training", 40, true);
    auto on = in.date("completed_on", true);
    in.done();
    host().tx([&] {
        if (!registration(uid)) throw yz::ApiError(404, "not_registered", "该用户还没有登记为志愿者");
        host().exec("INSERT INTO volunteer_trainings(user_id, training, completed_on, recorded_by, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5) "
                    "ON CONFLICT(user_id, training) DO UPDATE SET completed_on = excluded.completed_on, "
                    "recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at",
                    {uid, training, on->str(), req.auth().user_id, host().now_ms()});
        host().audit(req.auth(), "training.record", "volunteer", std::to_string(uid), {{"training", training}, {"completed_on", on->str()}});
    });
    res.json(201, {{"user_id", uid}, {"training", training}, {"completed_on", on->str()}});
}

}  // namespace volunteer
