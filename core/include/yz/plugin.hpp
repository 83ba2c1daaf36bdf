// SPDX-License-Identifier: MIT
// yizhan station SDK: a header-only C++17 layer over plugin_abi.h, so a station reads like a story:
//
//     class Notices : public yz::Station {
//         void init(yz::Host& host, const yz::json& config) override {
//             host.migrate(1, "CREATE TABLE notices_items(...)");
//             route("GET", "/notices", "public", "List notices", &Notices::list);
//         }
//         void list(yz::Request& req, yz::Response& res) { res.json(200, host().query(...)); }
//     };
//     YZ_STATION(Notices, "notices", "社区公告", "1.0.0", "Notices posted by station staff")
//
// Error handling: throw yz::ApiError(status, code, message) for an expected refusal (it becomes the
// standard JSON error and is not a fault). Any other exception becomes a 500 and counts towards the
// station's fault threshold. No exception ever leaves the plugin: every entry point catches.
// Threads: handlers run concurrently; keep station state immutable after init or guard it.
#pragma once

// Standard headers first: the build signature reads libstdc++'s dual-ABI flag, which only exists
// once a C++ standard header has been included.
#include <atomic>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <yz/json_text.hpp>
#include <yz/plugin_abi.h>

namespace yz {
inline namespace v1 {

using json = nlohmann::json;

inline yz_str to_str(std::string_view s) { return yz_str{s.data(), s.size()}; }
inline std::string_view view(yz_str s) { return s.ptr ? std::string_view(s.ptr, s.len) : std::string_view(); }

// An expected refusal: answered as {"error":{code,message,request_id,details}} with this status.
class ApiError : public std::runtime_error {
public:
    ApiError(int status, std::string code, std::string message_zh, json details = nullptr)
        : std::runtime_error(code), status_(status), code_(std::move(code)),
          message_(std::move(message_zh)), details_(std::move(details)) {}
    int status() const { return status_; }
    const std::string& code() const { return code_; }
    const std::string& message_zh() const { return message_; }
    const json& details() const { return details_; }

private:
    int status_;
    std::string code_;
    std::string message_;
    json details_;
};

// A host call that failed; status says how (YZ_FULL, YZ_CONFLICT, ...), what() says why.
class HostError : public std::runtime_error {
public:
    HostError(yz_status status, const std::string& why) : std::runtime_error(why), status_(status) {}
    yz_status status() const { return status_; }

private:
    yz_status status_;
};

// Where a resident's text will appear (WeChat's msg_sec_check scenes), and what WeChat thinks of it.
enum class TextScene : int32_t { profile = 1, comment = 2, forum = 3, social_log = 4 };
enum class TextVerdict { pass, review, risky };

// Who is calling, as the host authenticated them. Empty user_id means anonymous (public routes).
struct Auth {
    int64_t user_id = 0;
    std::string display_name;
    std::vector<std::string> roles;  // e.g. "resident", "staff:notices", "admin"
    bool staff_here = false;         // holds staff:<this station>
    bool admin = false;

    bool has_role(std::string_view role) const {
        for (const auto& r : roles)
            if (r == role) return true;
        return false;
    }
    json actor() const { return json{{"user_id", user_id}, {"roles", roles}}; }
};

class Host;

namespace detail {
// Reads what the host writes on every request — query rows (an array of flat objects whose values
// are null, integers, floats or strings) and the caller's auth object — without the general
// parser's cost. The host writes strings with only \" \\ \n \r \t \u00XX escapes. Anything else
// makes it give up (nullopt, false) and the caller uses json::parse.
class HostJsonReader {
public:
    explicit HostJsonReader(std::string_view text) : s_(text) {}
    std::optional<json> rows() {
        json rows = json::array();
        if (!eat('[')) return std::nullopt;
        if (eat(']')) return at_end() ? std::optional<json>(std::move(rows)) : std::nullopt;
        do {
            json row = json::object();
            if (!eat('{')) return std::nullopt;
            if (!eat('}')) {
                do {
                    std::string key;
                    if (!string(key) || !eat(':')) return std::nullopt;
                    json value;
                    if (!scalar(value)) return std::nullopt;
                    row[std::move(key)] = std::move(value);
                } while (eat(','));
                if (!eat('}')) return std::nullopt;
            }
            rows.push_back(std::move(row));
        } while (eat(','));
        if (!eat(']') || !at_end()) return std::nullopt;
        return rows;
    }
    // The auth object (h_req_auth): user_id, display_name, roles (strings), staff_here, admin.
    bool auth(Auth& out) {
        if (!eat('{')) return false;
        if (!eat('}')) {
            do {
                std::string key;
                if (!string(key) || !eat(':')) return false;
                if (key == "roles") {
                    if (!eat('[')) return false;
                    if (!eat(']')) {
                        do {
                            if (!string(out.roles.emplace_back())) return false;
                        } while (eat(','));
                        if (!eat(']')) return false;
                    }
                } else if (key == "staff_here" || key == "admin") {
                    if (!boolean(key == "admin" ? out.admin : out.staff_here)) return false;
                } else if (key == "display_name") {
                    if (!string(out.display_name)) return false;
                } else {
                    json value;
                    if (!scalar(value)) return false;
                    if (key == "user_id") {
                        if (!value.is_number_integer()) return false;
                        out.user_id = value.get<int64_t>();
                    }
                }
            } while (eat(','));
            if (!eat('}')) return false;
        }
        return at_end();
    }

private:
    bool at_end() const { return i_ == s_.size(); }
    bool eat(char c) {
        if (i_ < s_.size() && s_[i_] == c) {
            ++i_;
            return true;
        }
        return false;
    }
    bool string(std::string& out) {
        if (!eat('"')) return false;
        size_t run = i_;
        while (i_ < s_.size()) {
            char c = s_[i_];
            if (c == '"') {
                out.append(s_.data() + run, i_ - run);
                ++i_;
                return true;
            }
            if (c != '\\') {
                ++i_;
                continue;
            }
            out.append(s_.data() + run, i_ - run);
            if (i_ + 1 >= s_.size()) return false;
            char e = s_[i_ + 1];
            i_ += 2;
            switch (e) {
                case '"': out.push_back('"'); break;
                case '\\': out.push_back('\\'); break;
                case 'n': out.push_back('\n'); break;
                case 'r': out.push_back('\r'); break;
                case 't': out.push_back('\t'); break;
                case 'u': {  // only \u00XX (control characters) comes from the host
                    if (i_ + 4 > s_.size() || s_[i_] != '0' || s_[i_ + 1] != '0') return false;
                    int v = 0;
                    for (int k = 2; k < 4; ++k) {
                        char h = s_[i_ + static_cast<size_t>(k)];
                        int d = h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10 : -1;
                        if (d < 0) return false;
                        v = v * 16 + d;
                    }
                    out.push_back(static_cast<char>(v));
                    i_ += 4;
                    break;
                }
                default: return false;
            }
            run = i_;
        }
        return false;
    }
    bool boolean(bool& out) {
        if (s_.compare(i_, 4, "true") == 0) {
            i_ += 4;
            out = true;
            return true;
        }
        if (s_.compare(i_, 5, "false") == 0) {
            i_ += 5;
            out = false;
            return true;
        }
        return false;
    }
    bool scalar(json& out) {
        if (i_ >= s_.size()) return false;
        char c = s_[i_];
        if (c == '"') {
            std::string v;
            if (!string(v)) return false;
            out = std::move(v);
            return true;
        }
        if (s_.compare(i_, 4, "null") == 0) {
            i_ += 4;
            out = nullptr;
            return true;
        }
        size_t start = i_;
        bool integral = true;
        while (i_ < s_.size() && (std::isdigit(static_cast<unsigned char>(s_[i_])) || s_[i_] == '-' || s_[i_] == '+' ||
                                  s_[i_] == '.' || s_[i_] == 'e' || s_[i_] == 'E')) {
            if (s_[i_] == '.' || s_[i_] == 'e' || s_[i_] == 'E') integral = false;
            ++i_;
        }
        if (i_ == start) return false;
        if (integral) {
            int64_t v = 0;
            auto r = std::from_chars(s_.data() + start, s_.data() + i_, v);
            if (r.ec != std::errc() || r.ptr != s_.data() + i_) return false;
            out = v;
        } else {
            out = json::parse(s_.substr(start, i_ - start), nullptr, false);
            if (out.is_discarded()) return false;
        }
        return true;
    }
    std::string_view s_;
    size_t i_ = 0;
};

// Takes ownership of a host buffer and frees it on scope exit.
class OwnedBuf {
public:
    explicit OwnedBuf(const yz_host_api* api) : api_(api) {}
    ~OwnedBuf() {
        if (buf.ptr) api_->buf_free(&buf);
    }
    OwnedBuf(const OwnedBuf&) = delete;
    OwnedBuf& operator=(const OwnedBuf&) = delete;
    std::string str() const { return buf.ptr ? std::string(buf.ptr, buf.len) : std::string(); }
    json parse() const { return buf.ptr && buf.len ? json::parse(buf.ptr, buf.ptr + buf.len) : json(); }
    // Query rows: the fast reader for the host's row format, the general parser as a fallback.
    json parse_rows() const {
        if (!buf.ptr || !buf.len) return json::array();
        if (auto rows = HostJsonReader(std::string_view(buf.ptr, buf.len)).rows()) return std::move(*rows);
        return parse();
    }
    yz_host_buf buf{nullptr, 0};

private:
    const yz_host_api* api_;
};
}  // namespace detail

namespace detail {
// Serialises a response body; several times cheaper than json::dump for the small, mostly-Chinese
// documents stations answer with (dump validates UTF-8 character by character).
inline void write_json(std::string& out, const json& j) {
    switch (j.type()) {
        case json::value_t::null: out += "null"; break;
        case json::value_t::boolean: out += j.get<bool>() ? "true" : "false"; break;
        case json::value_t::number_integer: json_text::append_int(out, j.get<int64_t>()); break;
        case json::value_t::number_unsigned: out += std::to_string(j.get<uint64_t>()); break;
        case json::value_t::number_float: json_text::append_double(out, j.get<double>()); break;
        case json::value_t::string: json_text::append_string(out, j.get_ref<const std::string&>()); break;
        case json::value_t::array: {
            out.push_back('[');
            bool first = true;
            for (const auto& e : j) {
                if (!first) out.push_back(',');
                first = false;
                write_json(out, e);
            }
            out.push_back(']');
            break;
        }
        case json::value_t::object: {
            out.push_back('{');
            bool first = true;
            for (auto it = j.begin(); it != j.end(); ++it) {
                if (!first) out.push_back(',');
                first = false;
                json_text::append_string(out, it.key());
                out.push_back(':');
                write_json(out, it.value());
            }
            out.push_back('}');
            break;
        }
        default: out += "null";  // binary values and discarded parses never reach a client
    }
}
}  // namespace detail

class Request {
public:
    Request(const yz_host_api* api, const yz_request* req) : api_(api), req_(req) {}
    const yz_request* raw() const { return req_; }  // for host calls that act as the caller
    std::string_view method() const { return view(api_->req_method(req_)); }
    std::string param(std::string_view name) const {
        return std::string(view(api_->req_param(req_, to_str(name))));
    }
    // A path parameter that must be a positive integer, or a 404 not_found.
    int64_t id_param(std::string_view name) const {
        std::string s = param(name);
        int64_t v = 0;
        if (s.empty() || s.size() > 18) throw ApiError(404, "not_found", "记录不存在");
        for (char c : s) {
            if (c < '0' || c > '9') throw ApiError(404, "not_found", "记录不存在");
            v = v * 10 + (c - '0');
        }
        return v;
    }
    std::optional<std::string> query(std::string_view name) const {
        yz_str s = api_->req_query(req_, to_str(name));
        if (!s.ptr) return std::nullopt;
        return std::string(view(s));
    }
    std::optional<std::string> header(std::string_view name) const {
        yz_str s = api_->req_header(req_, to_str(name));
        if (!s.ptr) return std::nullopt;
        return std::string(view(s));
    }
    // The JSON body (an object; the host already rejected anything else). {} when empty.
    json body() const {
        std::string_view b = view(api_->req_body(req_));
        return b.empty() ? json::object() : json::parse(b);
    }
    std::string_view request_id() const { return view(api_->req_id(req_)); }
    // Who is calling (0: anonymous). All most handlers need, without reading the whole auth().
    int64_t user_id() const {
        if (auth_ || api_->abi_minor < 3 || api_->struct_size < sizeof(yz_host_api)) return auth().user_id;
        return api_->req_user_id(req_);
    }
    const Auth& auth() const {
        if (!auth_) {
            auth_.emplace();
            std::string_view a = view(api_->req_auth(req_));
            if (!a.empty() && !detail::HostJsonReader(a).auth(*auth_)) {
                auth_.emplace();
                json j = json::parse(a);
                auth_->user_id = j.value("user_id", int64_t{0});
                auth_->display_name = j.value("display_name", std::string());
                auth_->roles = j.value("roles", std::vector<std::string>{});
                auth_->staff_here = j.value("staff_here", false);
                auth_->admin = j.value("admin", false);
            }
        }
        return *auth_;
    }

private:
    const yz_host_api* api_;
    const yz_request* req_;
    mutable std::optional<Auth> auth_;
};

class Response {
public:
    Response(const yz_host_api* api, yz_response* resp) : api_(api), resp_(resp) {}
    void json(int status, const nlohmann::json& body) {
        std::string s;
        s.reserve(512);  // a typical answer in one allocation, not five doublings from empty
        detail::write_json(s, body);
        api_->resp_json(resp_, status, to_str(s));
        status_ = status;
    }
    // A body already serialised as JSON (from a ReadCache, say).
    void json_text(int status, std::string_view serialized) {
        api_->resp_json(resp_, status, to_str(serialized));
        status_ = status;
    }
    void text(int status, std::string_view content_type, std::string_view body) {
        api_->resp_text(resp_, status, to_str(content_type), to_str(body));
        status_ = status;
    }
    void error(int status, std::string_view code, std::string_view message_zh,
               const nlohmann::json& details = nullptr) {
        std::string d;
        if (!details.is_null()) detail::write_json(d, details);
        api_->resp_error(resp_, status, to_str(code), to_str(message_zh), to_str(d));
        status_ = status;
    }
    // A refusal answered without throwing it, for a hot path (throwing costs an unwind).
    void error(const ApiError& e) { error(e.status(), e.code(), e.message_zh(), e.details()); }
    void header(std::string_view name, std::string_view value) {
        api_->resp_header(resp_, to_str(name), to_str(value));
    }
    bool sent() const { return status_ != 0; }
    // The status sent, 0 before anything is.
    int status() const { return status_; }
    // A refusal (4xx): by the house rule it changed nothing.
    bool refused() const { return status_ >= 400 && status_ < 500; }

private:
    const yz_host_api* api_;
    yz_response* resp_;
    int status_ = 0;
};

// The host's services for one station instance. Methods throw HostError on failure.
class Host {
public:
    Host(const yz_host_api* api, yz_plugin_host* self) : api_(api), self_(self) {}
    const yz_host_api* api() const { return api_; }
    yz_plugin_host* self() const { return self_; }

    void log(yz_log_level level, std::string_view msg) const { api_->log(self_, level, to_str(msg)); }
    void info(std::string_view msg) const { log(YZ_LOG_INFO, msg); }
    void warn(std::string_view msg) const { log(YZ_LOG_WARN, msg); }
    int64_t now_ms() const { return api_->now_ms(self_); }

    // Applies migration `version` once (in its own transaction) if the station is behind it.
    void migrate(uint32_t version, std::string_view sql) const {
        detail::OwnedBuf err(api_);
        check(api_->db_migrate(self_, version, to_str(sql), &err.buf), err);
    }
    json query(std::string_view sql, const json& params = json::array()) const {
        detail::OwnedBuf rows(api_), err(api_);
        std::string p;
        detail::write_json(p, params);
        check(api_->db_query(self_, to_str(sql), to_str(p), &rows.buf, &err.buf), err);
        return rows.parse_rows();
    }
    std::optional<json> query_one(std::string_view sql, const json& params = json::array()) const {
        json rows = query(sql, params);
        if (rows.empty()) return std::nullopt;
        return std::move(rows[0]);  // moved out: a row can be a notice's whole text
    }
    struct ExecResult {
        int64_t changes = 0;
        int64_t last_insert_id = 0;
    };
    ExecResult exec(std::string_view sql, const json& params = json::array()) const {
        detail::OwnedBuf err(api_);
        ExecResult r;
        std::string p;
        detail::write_json(p, params);
        check(api_->db_exec(self_, to_str(sql), to_str(p), &r.changes, &r.last_insert_id, &err.buf),
              err);
        return r;
    }
    // Runs fn in one IMMEDIATE transaction; an exception from fn rolls back and is rethrown here.
    template <class Fn>
    void tx(Fn&& fn) const {
        struct Call {
            Fn* fn;
            std::exception_ptr error;
        } call{&fn, nullptr};
        auto body = [](yz_plugin_ctx*, void* ud) noexcept -> yz_status {
            auto* c = static_cast<Call*>(ud);
            try {
                (*c->fn)();
                return YZ_OK;
            } catch (...) {
                c->error = std::current_exception();
                return YZ_ERROR;
            }
        };
        detail::OwnedBuf err(api_);
        yz_status st = api_->db_tx(self_, nullptr, body, &call, &err.buf);
        if (call.error) std::rethrow_exception(call.error);
        check(st, err);
    }

    // Building blocks. See docs/plugin-guide.md for each op's arguments and result.
    json capacity(std::string_view op, const json& args) const { return block(api_->capacity, op, args); }
    json workflow(std::string_view op, const json& args) const { return block(api_->workflow, op, args); }

    // Validates a submission against a staff-defined field list. Returns the cleaned values, or
    // throws ApiError 422 form_invalid whose details carry each field's error code.
    json validate_form(const json& fields, const json& submission) const {
        // No fields and no answers: nothing to check, and nothing to clean (a service without an
        // intake form is the common case, and a booking request is hot).
        if (fields.is_array() && fields.empty() && submission.is_object() && submission.empty()) return json::object();
        detail::OwnedBuf clean(api_), errors(api_);
        std::string f = fields.dump(), s = submission.dump();
        yz_status st = api_->forms_validate(self_, to_str(f), to_str(s), &clean.buf, &errors.buf);
        if (st == YZ_INVALID)
            throw ApiError(422, "form_invalid", "表单填写有误", json{{"fields", errors.parse()}});
        check(st, errors);
        return clean.parse();
    }
    // Queues a notice for the outbox; returns its id. 0 when the host refused the data (the
    // template registry maps template_key to keywords this data cannot fill): the reason is
    // logged, and whatever the notice was about goes on — a resident keeps their booking because
    // a message template is misconfigured. Other failures throw HostError as usual.
    int64_t notify(int64_t user_id, std::string_view template_key, const json& data) const {
        detail::OwnedBuf err(api_);
        int64_t job = 0;
        std::string d = data.dump();
        yz_status st = api_->notify(self_, user_id, to_str(template_key), to_str(d), &job, &err.buf);
        if (st == YZ_INVALID) {
            warn(err.str().empty() ? "notify refused" : err.str());
            return 0;
        }
        check(st, err);
        return job;
    }
    void audit(const Auth& actor, std::string_view action, std::string_view record_type,
               std::string_view record_id, const json& detail = json::object()) const {
        std::string a = actor.actor().dump(), d = detail.dump();
        api_->audit(self_, to_str(a), to_str(action), to_str(record_type), to_str(record_id), to_str(d));
    }
    int64_t schedule(std::string_view kind, int64_t due_ms, const json& payload,
                     std::string_view dedupe_key = {}) const {
        int64_t id = 0;
        std::string p = payload.dump();
        yz_status st = api_->job_schedule(self_, to_str(kind), due_ms, to_str(p), to_str(dedupe_key), &id);
        if (st != YZ_OK) throw HostError(st, "job_schedule failed");
        return id;
    }
    void cancel_job(int64_t job_id) const { api_->job_cancel(self_, job_id); }

    // -- since ABI 1.1 (HostError YZ_INVALID "host too old" before that) --

    // WeChat's verdict on a resident's free text: pass (publish), review (hold for staff) or risky
    // (refuse). It may call WeChat, so call it before host.tx, not inside.
    TextVerdict screen_text(int64_t user_id, std::string_view text, TextScene scene = TextScene::comment) const {
        need_minor(1, "screen_text");
        detail::OwnedBuf verdict(api_), err(api_);
        check(api_->screen_text(self_, user_id, to_str(text), static_cast<int32_t>(scene), &verdict.buf, &err.buf), err);
        std::string v = verdict.str();
        return v == "pass" ? TextVerdict::pass : v == "risky" ? TextVerdict::risky : TextVerdict::review;
    }
    // A resident's full phone number, for this station's staff (the request's caller); the core
    // audits the read with `reason`. Check first that the resident is the caller's to contact
    // (e.g. has an active booking here). nullopt when none is held; HostError YZ_DENIED otherwise.
    std::optional<std::string> reveal_phone(const Request& req, int64_t user_id, std::string_view reason) const {
        need_minor(1, "reveal_phone");
        detail::OwnedBuf phone(api_), err(api_);
        yz_status st = api_->reveal_phone(self_, req.raw(), user_id, to_str(reason), &phone.buf, &err.buf);
        if (st == YZ_NOT_FOUND) return std::nullopt;
        check(st, err);
        return phone.str();
    }
    // A signature (43 base64url characters) over purpose + payload under this station's key. Check
    // one with verify(): a code handed out can then not be forged or moved to another purpose.
    std::string sign(std::string_view purpose, std::string_view payload) const {
        need_minor(1, "sign");
        detail::OwnedBuf sig(api_);
        yz_status st = api_->sign(self_, to_str(purpose), to_str(payload), &sig.buf);
        if (st != YZ_OK) throw HostError(st, "sign failed");
        return sig.str();
    }
    bool verify(std::string_view purpose, std::string_view payload, std::string_view signature) const {
        std::string expected = sign(purpose, payload);
        if (expected.size() != signature.size()) return false;
        unsigned char diff = 0;  // constant time: how much matched must not show in the timing
        for (size_t i = 0; i < expected.size(); ++i) diff |= static_cast<unsigned char>(expected[i] ^ signature[i]);
        return diff == 0;
    }

private:
    using BlockFn = yz_status (*)(yz_plugin_host*, yz_str, yz_str, yz_host_buf*, yz_host_buf*);
    json block(BlockFn fn, std::string_view op, const json& args) const {
        detail::OwnedBuf result(api_), err(api_);
        std::string a = args.dump();
        check(fn(self_, to_str(op), to_str(a), &result.buf, &err.buf), err);
        return result.parse();
    }
    static void check(yz_status st, const detail::OwnedBuf& err) {
        if (st != YZ_OK) throw HostError(st, err.str());
    }
    void need_minor(uint32_t minor, const char* what) const {
        if (api_->abi_minor < minor || api_->struct_size < sizeof(yz_host_api))
            throw HostError(YZ_INVALID, std::string(what) + ": the host is too old (needs plugin ABI 1." + std::to_string(minor) + ")");
    }
    const yz_host_api* api_;
    yz_plugin_host* self_;
};

namespace detail {
// Turns whatever a handler threw into a response; true if it was an expected ApiError.
inline bool answer_exception(Response& res, std::exception_ptr ep) {
    try {
        std::rethrow_exception(ep);
    } catch (const ApiError& e) {
        res.error(e.status(), e.code(), e.message_zh(), e.details());
        return true;
    } catch (const nlohmann::json::exception&) {
        // The host checked the body is JSON; a type or missing-key error means bad input.
        res.error(400, "invalid_body", "请求内容格式不正确");
        return true;
    } catch (...) {
        res.error(500, "internal_error", "服务暂时不可用，请稍后再试");
        return false;
    }
}
}  // namespace detail

// Base class of every station. Subclasses implement init(); the YZ_STATION macro does the rest.
class Station {
public:
    virtual ~Station() = default;
    virtual void init(Host& host, const json& config) = 0;
    virtual void shutdown() {}

    Host& host() { return *host_; }
    const Host& host() const { return *host_; }

    // How many writes this station has finished: requests other than GET and HEAD that were not
    // refused (4xx), and jobs, counted when they return (after their transaction). A ReadCache entry is fresh while this holds.
    uint64_t writes_finished() const { return writes_finished_.load(std::memory_order_acquire); }

    // Internal: called by the YZ_STATION trampolines.
    void attach(const yz_host_api* api, yz_plugin_host* self) { host_.emplace(api, self); }

protected:
    using Handler = std::function<void(Request&, Response&)>;

    // Registers a route; template is relative to /api/v1/stations/<id>.
    template <class Self>
    void route(std::string_view method, std::string_view path, std::string_view permission,
               std::string_view summary, void (Self::*member)(Request&, Response&)) {
        Self* me = static_cast<Self*>(this);
        route(method, path, permission, summary, Handler([me, member](Request& q, Response& r) {
                  (me->*member)(q, r);
              }));
    }
    void route(std::string_view method, std::string_view path, std::string_view permission,
               std::string_view summary, Handler fn) {
        handlers_.push_back(std::make_unique<Handler>(std::move(fn)));
        yz_status st = host_->api()->route_add(host_->self(), to_str(method), to_str(path),
                                               to_str(permission), to_str(summary), &dispatch,
                                               handlers_.back().get());
        if (st != YZ_OK) throw HostError(st, "route_add failed: " + std::string(path));
    }

    // Registers the handler for durable jobs of `kind` (scheduled with host().schedule).
    template <class Self>
    void on_job(std::string_view kind, void (Self::*member)(const json& payload)) {
        Self* me = static_cast<Self*>(this);
        jobs_.push_back(std::make_unique<JobFn>([me, member](const json& p) { (me->*member)(p); }));
        yz_status st = host_->api()->job_handler_add(host_->self(), to_str(kind), &run_job,
                                                     jobs_.back().get());
        if (st != YZ_OK) throw HostError(st, "job_handler_add failed: " + std::string(kind));
    }

    // Registers the station's part of a resident's data rights (GET /me/export, DELETE /me):
    // `exporter` returns a JSON object of everything held about the user; `eraser` removes or
    // anonymises it through host() (it runs inside the core's erasure transaction). Needs a host
    // with ABI 1.2; an older host has no erasure to take part in.
    template <class Self>
    void on_privacy(json (Self::*exporter)(int64_t user_id), void (Self::*eraser)(int64_t user_id)) {
        if (host_->api()->abi_minor < 2) return;
        Self* me = static_cast<Self*>(this);
        privacy_ = std::make_unique<Privacy>(Privacy{[me, exporter](int64_t u) { return (me->*exporter)(u); },
                                                     [me, eraser](int64_t u) { (me->*eraser)(u); }});
        yz_status st = host_->api()->privacy_handler_add(host_->self(), &run_export, &run_erase, privacy_.get());
        if (st != YZ_OK) throw HostError(st, "privacy_handler_add failed");
    }

private:
    using JobFn = std::function<void(const json&)>;
    struct Privacy {
        std::function<json(int64_t)> exporter;
        std::function<void(int64_t)> eraser;
    };
    static yz_status run_export(yz_plugin_ctx* ctx, int64_t user_id, yz_sink_fn put, void* sink, void* user_data) noexcept {
        try {
            std::string out = static_cast<Privacy*>(user_data)->exporter(user_id).dump();
            put(sink, to_str(out));
            return YZ_OK;
        } catch (const std::exception& e) {
            reinterpret_cast<Station*>(ctx)->host_->log(YZ_LOG_ERROR, std::string("export failed: ") + e.what());
            return YZ_ERROR;
        } catch (...) {
            return YZ_ERROR;
        }
    }
    static yz_status run_erase(yz_plugin_ctx* ctx, int64_t user_id, void* user_data) noexcept {
        WriteCounted counted{reinterpret_cast<Station*>(ctx), true};
        try {
            static_cast<Privacy*>(user_data)->eraser(user_id);
            return YZ_OK;
        } catch (const std::exception& e) {
            reinterpret_cast<Station*>(ctx)->host_->log(YZ_LOG_ERROR, std::string("erase failed: ") + e.what());
            return YZ_ERROR;
        } catch (...) {
            return YZ_ERROR;
        }
    }

    static yz_status dispatch(yz_plugin_ctx* ctx, const yz_request* req, yz_response* resp,
                              void* user_data) noexcept {
        auto* station = reinterpret_cast<Station*>(ctx);
        const yz_host_api* api = station->host_->api();
        Response res(api, resp);
        std::string_view method = view(api->req_method(req));
        // A refused request changed nothing (the house rule), so it leaves the station's read
        // caches fresh: a burst of refusals (a full slot) does not recompute every listing.
        WriteCounted counted{station, method != "GET" && method != "HEAD"};
        try {
            Request q(api, req);
            (*static_cast<Handler*>(user_data))(q, res);
            if (res.refused()) counted.write = false;
            return res.sent() ? YZ_OK : YZ_ERROR;
        } catch (const ApiError& e) {
            // The common refusal, answered where it is caught: rethrowing it to sort it (below)
            // would unwind a second time, which costs more than the rest of a refused request.
            try {
                res.error(e);
                if (res.refused()) counted.write = false;
                return YZ_OK;
            } catch (...) {
                return YZ_ERROR;
            }
        } catch (...) {
            try {
                bool expected = detail::answer_exception(res, std::current_exception());
                if (res.refused()) counted.write = false;
                if (!expected) station->log_unexpected(std::current_exception(), q_id(api, req));
                return expected ? YZ_OK : YZ_ERROR;
            } catch (...) {
                return YZ_ERROR;
            }
        }
    }
    static std::string q_id(const yz_host_api* api, const yz_request* req) { return std::string(view(api->req_id(req))); }
    // The client gets a generic 500; the reason goes to the log with the request id.
    void log_unexpected(std::exception_ptr ep, const std::string& request_id) noexcept {
        try {
            std::rethrow_exception(ep);
        } catch (const std::exception& e) {
            host_->log(YZ_LOG_ERROR, "request " + request_id + " failed: " + e.what());
        } catch (...) {
            host_->log(YZ_LOG_ERROR, "request " + request_id + " failed with a non-standard exception");
        }
    }
    static yz_status run_job(yz_plugin_ctx* ctx, yz_str payload, void* user_data) noexcept {
        WriteCounted counted{reinterpret_cast<Station*>(ctx), true};
        try {
            std::string_view p = view(payload);
            (*static_cast<JobFn*>(user_data))(p.empty() ? json::object() : json::parse(p));
            return YZ_OK;
        } catch (...) {
            return YZ_ERROR;
        }
    }

    // Counts a write when it returns, however it ends (a failed one rolled back: counting it only
    // costs a cache miss).
    struct WriteCounted {
        Station* station;
        bool write;
        ~WriteCounted() {
            if (write) station->writes_finished_.fetch_add(1, std::memory_order_release);
        }
    };

    std::optional<Host> host_;
    std::vector<std::unique_ptr<Handler>> handlers_;
    std::vector<std::unique_ptr<JobFn>> jobs_;
    std::unique_ptr<Privacy> privacy_;
    std::atomic<uint64_t> writes_finished_{0};
};

namespace detail {
template <class S>
yz_status station_init(const yz_host_api* api, yz_plugin_host* self, yz_str config,
                       yz_plugin_ctx** out, yz_host_buf* err) noexcept {
    (void)err;  // the reason is logged through the host; the host fills err itself
    S* station = nullptr;
    try {
        station = new S();
        station->attach(api, self);
        std::string_view c = view(config);
        station->init(station->host(), c.empty() ? json::object() : json::parse(c));
        *out = reinterpret_cast<yz_plugin_ctx*>(static_cast<Station*>(station));
        return YZ_OK;
    } catch (const std::exception& e) {
        if (station) station->host().log(YZ_LOG_ERROR, std::string("init failed: ") + e.what());
    } catch (...) {
        if (station) station->host().log(YZ_LOG_ERROR, "init failed");
    }
    delete station;
    return YZ_ERROR;
}
inline void station_shutdown(yz_plugin_ctx* ctx) noexcept {
    auto* station = reinterpret_cast<Station*>(ctx);
    try {
        station->shutdown();
    } catch (...) {
    }
    delete station;
}
}  // namespace detail

}  // namespace v1
}  // namespace yz

// Defines the station's descriptor and its one exported entry point.
#define YZ_STATION(Class, id_, display_name_, version_, description_)                          \
    extern "C" __attribute__((visibility("default"))) const yz_plugin_desc* yz_plugin_entry(   \
        uint32_t host_abi_major) {                                                             \
        (void)host_abi_major;                                                                  \
        static const yz_plugin_desc desc = {                                                   \
            YZ_PLUGIN_MAGIC, YZ_ABI_MAJOR, YZ_ABI_MINOR, sizeof(yz_plugin_desc), id_,          \
            display_name_,   version_,     "MIT",        YZ_BUILD_SIG,           0,            \
            &::yz::detail::station_init<Class>, &::yz::detail::station_shutdown, nullptr,      \
            description_};                                                                     \
        return &desc;                                                                          \
    }
