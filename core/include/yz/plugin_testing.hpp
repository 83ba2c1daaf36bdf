// SPDX-License-Identifier: MIT
// A fake host for unit-testing a station without a server: it implements yz_host_api over an
// in-memory SQLite database, keeps the routes the station registers, and lets a test call them
// directly. Notifications, audit lines and scheduled jobs are recorded for the test to inspect;
// the clock is whatever the test sets.
//
//     yz::testing::FakeHost host;              // the station compiled into this test binary
//     REQUIRE(host.init({{"seed_demo", true}}));
//     auto r = host.call("GET", "/items");
//     CHECK(r.status == 200);
//
// What the fake does not do, so test these through the real server (tests/integration): SQL
// isolation between stations, authentication and route permissions (call() runs any route with the
// auth you pass), and forms validation (validate_form returns the submission unchanged).
// The test executable links SQLite (SQLite::SQLite3); stations themselves never do.
#pragma once

#include <sqlite3.h>

#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include <yz/plugin.hpp>

extern "C" const yz_plugin_desc* yz_plugin_entry(uint32_t host_abi_major);

namespace yz {
inline namespace v1 {
namespace testing {

class FakeHost {
public:
    struct Reply {
        int status = 0;
        json body;         // parsed when the response is JSON
        std::string text;  // the raw body
    };

    explicit FakeHost(const yz_plugin_desc* desc = yz_plugin_entry(YZ_ABI_MAJOR)) : desc_(desc) {
        sqlite3_open(":memory:", &db_);
        sqlite3_exec(db_, "CREATE TABLE pub_users_data(id INTEGER PRIMARY KEY, display_name TEXT);"
                          "CREATE VIEW pub_users AS SELECT id, display_name FROM pub_users_data;"
                          "CREATE TABLE pub_user_roles_data(user_id INTEGER, role TEXT, scope TEXT NOT NULL DEFAULT '');"
                          "CREATE VIEW pub_user_roles AS SELECT user_id, role, scope FROM pub_user_roles_data;",
                     nullptr, nullptr, nullptr);
        api_ = make_api();
    }
    ~FakeHost() {
        if (ctx_) desc_->shutdown(ctx_);
        sqlite3_close(db_);
    }
    FakeHost(const FakeHost&) = delete;
    FakeHost& operator=(const FakeHost&) = delete;

    // Runs the station's init with this config; false (and init_error()) if it failed.
    bool init(const json& config = json::object()) {
        std::string c = config.dump();
        yz_host_buf err{nullptr, 0};
        in_init_ = true;
        yz_status st = desc_->init(&api_, self(), yz_str{c.data(), c.size()}, &ctx_, &err);
        in_init_ = false;
        if (err.ptr) std::free(err.ptr);
        if (st != YZ_OK) ctx_ = nullptr;
        return st == YZ_OK;
    }

    // A user known to pub_users (display names shown by stations).
    void add_user(int64_t id, const std::string& name) {
        exec_sql("INSERT OR REPLACE INTO pub_users_data(id, display_name) VALUES (?1, ?2)", json::array({id, name}));
    }
    // `role` (with `scope`, e.g. "grid", "3") held by user `id`, as pub_user_roles shows it.
    void add_role(int64_t id, const std::string& role, const std::string& scope = {}) {
        exec_sql("INSERT INTO pub_user_roles_data(user_id, role, scope) VALUES (?1, ?2, ?3)", json::array({id, role, scope}));
    }
    // The caller for call(): e.g. FakeHost::staff(7), FakeHost::resident(3).
    static json resident(int64_t id) { return {{"user_id", id}, {"roles", {"resident"}}, {"staff_here", false}, {"admin", false}}; }
    json staff(int64_t id) const {
        return {{"user_id", id}, {"roles", {"resident", std::string("staff:") + desc_->id}}, {"staff_here", true}, {"admin", false}};
    }

    Reply call(const std::string& method, const std::string& path, const json& body = nullptr,
               const json& auth = nullptr, const std::map<std::string, std::string>& query = {}) {
        Req req;
        req.method = method;
        req.body = body.is_null() ? std::string() : body.dump();
        req.auth = auth.is_null() ? std::string() : auth.dump();
        req.query = query;
        req.id = "fake-" + std::to_string(++requests_);
        for (const auto& r : routes_) {
            if (r.method != method || !match(r.path, path, req.params)) continue;
            Resp resp;
            resp.request_id = req.id;
            r.handler(ctx_, reinterpret_cast<const yz_request*>(&req), reinterpret_cast<yz_response*>(&resp), r.user_data);
            Reply out{resp.status, json::parse(resp.body, nullptr, false), resp.body};
            if (out.body.is_discarded()) out.body = nullptr;
            return out;
        }
        return Reply{404, {{"error", {{"code", "not_found"}}}}, ""};
    }

    // Runs every scheduled job due at now_ms; returns how many ran.
    int run_due_jobs() {
        int ran = 0;
        for (auto& j : jobs) {
            if (j["state"] != "due" || j["due_ms"].get<int64_t>() > now_ms) continue;
            auto h = job_handlers_.find(j["kind"].get<std::string>());
            if (h == job_handlers_.end()) continue;
            std::string p = j["payload"].dump();
            j["state"] = h->second.first(ctx_, yz_str{p.data(), p.size()}, h->second.second) == YZ_OK ? "done" : "due";
            ++ran;
        }
        return ran;
    }

    // The station's part of a resident's export (null if it registered none) and erasure (false
    // if it failed or registered none), as the core's /me/export and DELETE /me would call them.
    json export_user(int64_t user_id) {
        if (!privacy_export_) return nullptr;
        std::string out;
        yz_sink_fn put = [](void* sink, yz_str j) { static_cast<std::string*>(sink)->assign(j.ptr ? j.ptr : "", j.len); };
        if (privacy_export_(ctx_, user_id, put, &out, privacy_ud_) != YZ_OK) return nullptr;
        return json::parse(out);
    }
    bool erase_user(int64_t user_id) { return privacy_erase_ && privacy_erase_(ctx_, user_id, privacy_ud_) == YZ_OK; }

    int64_t now_ms = 1'767'225'600'000;  // 2026-01-01T08:00:00+08:00
    std::vector<json> notifications;      // {user_id, template_key, data}
    std::vector<json> audits;             // {actor, action, record_type, record_id, detail}
    std::vector<json> jobs;               // {id, kind, due_ms, payload, dedupe_key, state}
    std::vector<std::string> logs;
    std::map<std::string, std::string> screen_verdicts;  // text → "review" | "risky" (default pass)
    std::map<int64_t, std::string> phones;                // user → full number for reveal_phone

private:
    struct Route {
        std::string method, path;
        yz_handler_fn handler;
        void* user_data;
    };
    struct Req {
        std::string method, body, auth, id;
        std::map<std::string, std::string> query;
        std::vector<std::pair<std::string, std::string>> params;
        std::vector<std::string> keep;
    };
    struct Resp {
        std::string request_id;
        int status = 0;
        std::string body;
    };

    yz_plugin_host* self() { return reinterpret_cast<yz_plugin_host*>(this); }
    static FakeHost& me(yz_plugin_host* h) { return *reinterpret_cast<FakeHost*>(h); }
    static Req& rq(const yz_request* r) { return *const_cast<Req*>(reinterpret_cast<const Req*>(r)); }
    static Resp& rs(yz_response* r) { return *reinterpret_cast<Resp*>(r); }
    static std::string s(yz_str v) { return v.ptr ? std::string(v.ptr, v.len) : std::string(); }
    static yz_str v(const std::string& x) { return yz_str{x.data(), x.size()}; }
    static void fill(yz_host_buf* b, const std::string& text) {
        if (!b) return;
        b->ptr = static_cast<char*>(std::malloc(text.size() + 1));
        std::memcpy(b->ptr, text.data(), text.size());
        b->ptr[text.size()] = '\0';
        b->len = text.size();
    }

    static bool match(const std::string& tmpl, const std::string& path, std::vector<std::pair<std::string, std::string>>& out) {
        auto split = [](const std::string& p) {
            std::vector<std::string> segs;
            size_t i = 0;
            while (i < p.size()) {
                size_t j = p.find('/', i + 1);
                if (j == std::string::npos) j = p.size();
                if (j > i + 1) segs.push_back(p.substr(i + 1, j - i - 1));
                i = j;
            }
            return segs;
        };
        auto t = split(tmpl), p = split(path.substr(0, path.find('?')));
        if (t.size() != p.size()) return false;
        std::vector<std::pair<std::string, std::string>> params;
        for (size_t i = 0; i < t.size(); ++i) {
            if (t[i].front() == '{') params.emplace_back(t[i].substr(1, t[i].size() - 2), p[i]);
            else if (t[i] != p[i]) return false;
        }
        out = std::move(params);
        return true;
    }

    // Runs one statement with JSON params; rows as JSON (the host's format).
    bool exec_sql(const std::string& sql, const json& params, json* rows = nullptr, std::string* err = nullptr,
                  int64_t* changes = nullptr, int64_t* last_id = nullptr) {
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
            if (err) *err = sqlite3_errmsg(db_);
            return false;
        }
        int i = 1;
        for (const auto& p : params) {
            if (p.is_null()) sqlite3_bind_null(st, i);
            else if (p.is_boolean()) sqlite3_bind_int64(st, i, p.get<bool>() ? 1 : 0);
            else if (p.is_number_integer()) sqlite3_bind_int64(st, i, p.get<int64_t>());
            else if (p.is_number()) sqlite3_bind_double(st, i, p.get<double>());
            else {
                std::string text = p.is_string() ? p.get<std::string>() : p.dump();
                sqlite3_bind_text(st, i, text.c_str(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
            }
            ++i;
        }
        if (rows) *rows = json::array();
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            if (!rows) continue;
            json row = json::object();
            for (int c = 0; c < sqlite3_column_count(st); ++c) {
                const char* name = sqlite3_column_name(st, c);
                switch (sqlite3_column_type(st, c)) {
                    case SQLITE_INTEGER: row[name] = sqlite3_column_int64(st, c); break;
                    case SQLITE_FLOAT: row[name] = sqlite3_column_double(st, c); break;
                    case SQLITE_TEXT: row[name] = std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, c))); break;
                    default: row[name] = nullptr;
                }
            }
            rows->push_back(std::move(row));
        }
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE) {
            if (err) *err = sqlite3_errmsg(db_);
            return false;
        }
        if (changes) *changes = sqlite3_changes64(db_);
        if (last_id) *last_id = sqlite3_last_insert_rowid(db_);
        return true;
    }

    yz_host_api make_api() {
        yz_host_api a{};
        a.struct_size = sizeof(yz_host_api);
        a.abi_minor = YZ_ABI_MINOR;
        a.buf_free = [](yz_host_buf* b) {
            std::free(b->ptr);
            b->ptr = nullptr;
            b->len = 0;
        };
        a.log = [](yz_plugin_host* h, yz_log_level, yz_str m) { me(h).logs.push_back(s(m)); };
        a.now_ms = [](yz_plugin_host* h) { return me(h).now_ms; };
        a.route_add = [](yz_plugin_host* h, yz_str method, yz_str path, yz_str, yz_str, yz_handler_fn fn, void* ud) {
            if (!me(h).in_init_) return YZ_INVALID;
            me(h).routes_.push_back(Route{s(method), s(path), fn, ud});
            return YZ_OK;
        };
        a.req_method = [](const yz_request* r) { return v(rq(r).method); };
        a.req_param = [](const yz_request* r, yz_str n) {
            for (const auto& [k, val] : rq(r).params)
                if (k == s(n)) return v(val);
            return yz_str{nullptr, 0};
        };
        a.req_query = [](const yz_request* r, yz_str n) {
            auto it = rq(r).query.find(s(n));
            return it == rq(r).query.end() ? yz_str{nullptr, 0} : v(it->second);
        };
        a.req_header = [](const yz_request*, yz_str) { return yz_str{nullptr, 0}; };
        a.req_body = [](const yz_request* r) { return v(rq(r).body); };
        a.req_auth = [](const yz_request* r) { return v(rq(r).auth); };
        a.req_id = [](const yz_request* r) { return v(rq(r).id); };
        a.resp_json = [](yz_response* r, int st, yz_str b) {
            rs(r).status = st;
            rs(r).body = s(b);
        };
        a.resp_text = [](yz_response* r, int st, yz_str, yz_str b) {
            rs(r).status = st;
            rs(r).body = s(b);
        };
        a.resp_error = [](yz_response* r, int st, yz_str code, yz_str msg, yz_str details) {
            json e = {{"code", s(code)}, {"message", s(msg)}, {"request_id", rs(r).request_id}};
            if (details.len) e["details"] = json::parse(s(details), nullptr, false);
            rs(r).status = st;
            rs(r).body = json{{"error", e}}.dump();
        };
        a.resp_header = [](yz_response*, yz_str, yz_str) {};
        a.db_migrate = [](yz_plugin_host* h, uint32_t, yz_str sql, yz_host_buf* err) {
            char* msg = nullptr;
            if (sqlite3_exec(me(h).db_, s(sql).c_str(), nullptr, nullptr, &msg) == SQLITE_OK) return YZ_OK;
            fill(err, msg ? msg : "migration failed");
            sqlite3_free(msg);
            return YZ_ERROR;
        };
        a.db_query = [](yz_plugin_host* h, yz_str sql, yz_str params, yz_host_buf* rows, yz_host_buf* err) {
            json out;
            std::string e;
            if (!me(h).exec_sql(s(sql), params.len ? json::parse(s(params)) : json::array(), &out, &e)) {
                fill(err, e);
                return YZ_ERROR;
            }
            fill(rows, out.dump());
            return YZ_OK;
        };
        a.db_exec = [](yz_plugin_host* h, yz_str sql, yz_str params, int64_t* changes, int64_t* last_id, yz_host_buf* err) {
            std::string e;
            if (!me(h).exec_sql(s(sql), params.len ? json::parse(s(params)) : json::array(), nullptr, &e, changes, last_id)) {
                fill(err, e);
                return e.find("constraint") != std::string::npos ? YZ_CONFLICT : YZ_ERROR;
            }
            return YZ_OK;
        };
        a.db_tx = [](yz_plugin_host* h, yz_plugin_ctx* ctx, yz_tx_fn body, void* ud, yz_host_buf*) {
            FakeHost& f = me(h);
            sqlite3_exec(f.db_, "SAVEPOINT fake_tx", nullptr, nullptr, nullptr);
            auto saved = std::make_tuple(f.notifications.size(), f.audits.size(), f.jobs.size(), f.capacity_);
            yz_status st = body(ctx ? ctx : f.ctx_, ud);
            if (st == YZ_OK) {
                sqlite3_exec(f.db_, "RELEASE fake_tx", nullptr, nullptr, nullptr);
            } else {  // roll back the database and what the fake recorded
                sqlite3_exec(f.db_, "ROLLBACK TO fake_tx; RELEASE fake_tx", nullptr, nullptr, nullptr);
                f.notifications.resize(std::get<0>(saved));
                f.audits.resize(std::get<1>(saved));
                f.jobs.resize(std::get<2>(saved));
                f.capacity_ = std::get<3>(saved);
            }
            return st;
        };
        a.capacity = [](yz_plugin_host* h, yz_str op, yz_str args, yz_host_buf* result, yz_host_buf* err) {
            return me(h).capacity_op(s(op), json::parse(s(args)), result, err);
        };
        a.forms_validate = [](yz_plugin_host*, yz_str, yz_str submission, yz_host_buf* clean, yz_host_buf*) {
            fill(clean, s(submission));
            return YZ_OK;
        };
        a.workflow = [](yz_plugin_host* h, yz_str op, yz_str args, yz_host_buf* result, yz_host_buf* err) {
            return me(h).workflow_op(s(op), json::parse(s(args)), result, err);
        };
        a.notify = [](yz_plugin_host* h, int64_t user, yz_str key, yz_str data, int64_t* id, yz_host_buf*) {
            FakeHost& f = me(h);
            f.notifications.push_back({{"user_id", user}, {"template_key", s(key)}, {"data", json::parse(s(data))}});
            if (id) *id = static_cast<int64_t>(f.notifications.size());
            return YZ_OK;
        };
        a.audit = [](yz_plugin_host* h, yz_str actor, yz_str action, yz_str type, yz_str id, yz_str detail) {
            me(h).audits.push_back({{"actor", json::parse(s(actor), nullptr, false)}, {"action", s(action)},
                                    {"record_type", s(type)}, {"record_id", s(id)},
                                    {"detail", json::parse(s(detail), nullptr, false)}});
            return YZ_OK;
        };
        a.job_handler_add = [](yz_plugin_host* h, yz_str kind, yz_job_fn fn, void* ud) {
            me(h).job_handlers_[s(kind)] = {fn, ud};
            return YZ_OK;
        };
        a.job_schedule = [](yz_plugin_host* h, yz_str kind, int64_t due, yz_str payload, yz_str dedupe, int64_t* id) {
            FakeHost& f = me(h);
            for (const auto& j : f.jobs)
                if (dedupe.len && j["dedupe_key"] == s(dedupe)) {
                    if (id) *id = j["id"];
                    return YZ_OK;
                }
            int64_t next = static_cast<int64_t>(f.jobs.size()) + 1;
            f.jobs.push_back({{"id", next}, {"kind", s(kind)}, {"due_ms", due},
                              {"payload", payload.len ? json::parse(s(payload)) : json::object()},
                              {"dedupe_key", s(dedupe)}, {"state", "due"}});
            if (id) *id = next;
            return YZ_OK;
        };
        a.job_cancel = [](yz_plugin_host* h, int64_t id) {
            for (auto& j : me(h).jobs)
                if (j["id"] == id && j["state"] == "due") {
                    j["state"] = "cancelled";
                    return YZ_OK;
                }
            return YZ_NOT_FOUND;
        };
        a.timer_every = [](yz_plugin_host*, uint32_t, yz_timer_fn, void*, uint64_t* id) {
            if (id) *id = 1;
            return YZ_OK;  // timers do not tick in the fake; call the station's tick directly
        };
        a.timer_cancel = [](yz_plugin_host*, uint64_t) { return YZ_OK; };
        a.screen_text = [](yz_plugin_host* h, int64_t, yz_str text, int32_t, yz_host_buf* verdict, yz_host_buf*) {
            FakeHost& f = me(h);
            auto it = f.screen_verdicts.find(s(text));
            fill(verdict, it != f.screen_verdicts.end() ? it->second : "pass");
            return YZ_OK;
        };
        a.reveal_phone = [](yz_plugin_host* h, const yz_request* r, int64_t user, yz_str reason, yz_host_buf* phone, yz_host_buf* err) {
            FakeHost& f = me(h);
            json auth = json::parse(reinterpret_cast<const Req*>(r)->auth, nullptr, false);
            if (!auth.is_object() || !auth.value("staff_here", false)) {
                fill(err, "only this station's staff");
                return YZ_DENIED;
            }
            auto it = f.phones.find(user);
            if (it == f.phones.end()) return YZ_NOT_FOUND;
            f.audits.push_back({{"actor", auth}, {"action", "privacy.phone_revealed"}, {"record_type", "user"},
                                {"record_id", std::to_string(user)}, {"detail", {{"reason", s(reason)}}}});
            fill(phone, it->second);
            return YZ_OK;
        };
        // Not a cryptographic signature (the SDK links no crypto library): enough to check that a
        // station signs and verifies the right purpose and payload. The real host uses HMAC-SHA256.
        a.sign = [](yz_plugin_host*, yz_str purpose, yz_str payload, yz_host_buf* sig) {
            std::string text = std::to_string(purpose.len) + ":" + s(purpose) + s(payload), out;
            uint64_t h = 1469598103934665603ull;
            for (int round = 0; round < 4; ++round)
                for (unsigned char c : text + char('0' + round)) h = (h ^ c) * 1099511628211ull;
            for (int i = 0; i < 43; ++i, h = h * 6364136223846793005ull + 1442695040888963407ull)
                out += "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"[(h >> 58) & 63];
            fill(sig, out);
            return YZ_OK;
        };
        a.privacy_handler_add = [](yz_plugin_host* h, yz_privacy_export_fn e, yz_privacy_erase_fn d, void* ud) {
            FakeHost& f = me(h);
            if (!f.in_init_ || !e || !d) return YZ_INVALID;
            f.privacy_export_ = e;
            f.privacy_erase_ = d;
            f.privacy_ud_ = ud;
            return YZ_OK;
        };
        a.req_user_id = [](const yz_request* r) -> int64_t {
            const std::string& auth = rq(r).auth;
            if (auth.empty()) return 0;
            json parsed = json::parse(auth, nullptr, false);
            return parsed.is_object() ? parsed.value("user_id", int64_t{0}) : int64_t{0};
        };
        return a;
    }

    // A simplified capacity ledger: counts per resource, idempotency keys, holds without expiry.
    yz_status capacity_op(const std::string& op, const json& a, yz_host_buf* result, yz_host_buf* err) {
        if (op == "define") {
            capacity_["res"][a["resource"].get<std::string>()]["capacity"] = a["capacity"];
            fill(result, a.dump());
            return YZ_OK;
        }
        if (op == "status" || op == "reserve") {
            std::string res = a["resource"];
            json& r = capacity_["res"][res];
            if (!r.contains("capacity")) {
                fill(err, "no such resource");
                return YZ_NOT_FOUND;
            }
            int64_t taken = r.value("taken", int64_t{0}), cap = r["capacity"];
            if (op == "status") {
                fill(result, json{{"capacity", cap}, {"taken", taken}, {"remaining", cap - taken}}.dump());
                return YZ_OK;
            }
            std::string key = a["key"];
            if (capacity_["keys"].contains(key)) {
                json h = capacity_["holds"][capacity_["keys"][key].get<std::string>()];
                if (h["resource"] != res || h["holder"] != a["holder"]) return YZ_CONFLICT;
                fill(result, json{{"outcome", "ok"}, {"hold_id", h["id"]}, {"state", h["state"]}, {"replayed", true}, {"remaining", cap - taken}}.dump());
                return YZ_OK;
            }
            if (taken >= cap) {
                fill(result, json{{"outcome", "full"}, {"remaining", 0}}.dump());
                return YZ_FULL;
            }
            r["taken"] = taken + 1;
            int64_t id = capacity_.value("next", int64_t{1});
            capacity_["next"] = id + 1;
            std::string state = a.value("hold_seconds", 0) > 0 ? "held" : "confirmed";
            capacity_["holds"][std::to_string(id)] = {{"id", id}, {"resource", res}, {"holder", a["holder"]}, {"state", state}};
            capacity_["keys"][key] = std::to_string(id);
            fill(result, json{{"outcome", "ok"}, {"hold_id", id}, {"state", state}, {"replayed", false}, {"remaining", cap - taken - 1}}.dump());
            return YZ_OK;
        }
        if (op == "confirm" || op == "release") {
            std::string id = std::to_string(a["hold_id"].get<int64_t>());
            if (!capacity_["holds"].contains(id)) return YZ_NOT_FOUND;
            json& h = capacity_["holds"][id];
            if (op == "release" && h["state"] != "released") {
                json& r = capacity_["res"][h["resource"].get<std::string>()];
                r["taken"] = r.value("taken", int64_t{1}) - 1;
                h["state"] = "released";
            } else if (op == "confirm" && h["state"] == "held") {
                h["state"] = "confirmed";
            }
            fill(result, json{{"outcome", "ok"}, {"hold_id", h["id"]}, {"state", h["state"]}}.dump());
            return YZ_OK;
        }
        fill(err, "unknown capacity op " + op);
        return YZ_INVALID;
    }

    // A simplified workflow: declared transitions and states; staff/owner/admin checks as the host does.
    yz_status workflow_op(const std::string& op, const json& a, yz_host_buf* result, yz_host_buf* err) {
        if (op == "define") {
            workflows_[a["name"].get<std::string>()] = a;
            fill(result, json{{"name", a["name"]}}.dump());
            return YZ_OK;
        }
        auto wf = workflows_.find(a.value("workflow", std::string()));
        if (op != "transition" || wf == workflows_.end()) {
            fill(err, "unknown workflow or op");
            return YZ_INVALID;
        }
        for (const auto& t : wf->second["transitions"]) {
            if (t["action"] != a["action"]) continue;
            std::string state = a.value("state", std::string());
            bool from_ok = false;
            for (const auto& f : t["from"]) from_ok = from_ok || f == state;
            if (!from_ok) return YZ_CONFLICT;
            const json& actor = a.value("actor", json::object());
            bool allowed = false;
            for (const auto& w : t["who"]) {
                for (const auto& r : actor.value("roles", json::array()))
                    allowed = allowed || (w == "staff" && r == std::string("staff:") + desc_->id) || r == w;
                allowed = allowed || (w == "owner" && actor.value("user_id", int64_t{0}) == a.value("owner_user_id", int64_t{-1}));
            }
            if (!allowed) return YZ_DENIED;
            if (t.value("reason_required", false) && a.value("reason", std::string()).empty()) return YZ_INVALID;
            audits.push_back({{"actor", actor}, {"action", wf->first + "." + a["action"].get<std::string>()},
                              {"record_type", a.value("record_type", wf->first)}, {"record_id", a.value("record_id", json(nullptr))},
                              {"detail", {{"from", state}, {"to", t["to"]}, {"reason", a.value("reason", std::string())}}}});
            fill(result, json{{"verdict", "ok"}, {"from", state}, {"to", t["to"]}}.dump());
            return YZ_OK;
        }
        return YZ_INVALID;
    }

    const yz_plugin_desc* desc_;
    sqlite3* db_ = nullptr;
    yz_host_api api_;
    yz_plugin_ctx* ctx_ = nullptr;
    bool in_init_ = false;
    int64_t requests_ = 0;
    std::vector<Route> routes_;
    std::map<std::string, std::pair<yz_job_fn, void*>> job_handlers_;
    yz_privacy_export_fn privacy_export_ = nullptr;
    yz_privacy_erase_fn privacy_erase_ = nullptr;
    void* privacy_ud_ = nullptr;
    std::map<std::string, json> workflows_;
    json capacity_ = json::object();
};

}  // namespace testing
}  // namespace v1
}  // namespace yz
