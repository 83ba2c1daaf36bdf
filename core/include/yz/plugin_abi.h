/* SPDX-License-Identifier: MIT
 * yizhan station plugin ABI: the only contract between the core and a station's .so.
 *
 * A station exports exactly one symbol, yz_plugin_entry, which returns a static descriptor. The
 * host checks it (magic, ABI major equal, minor <= host, struct size, build signature, id), then
 * calls init with a table of host services. Everything crosses as C types: strings are pointer +
 * length, JSON is UTF-8 text. No exception, C++ type or allocator crosses this boundary.
 *
 * Rules for this header (they keep old plugins loading in new hosts):
 *  - compiles as C99 and C++17; includes only <stdint.h> and <stddef.h>;
 *  - structs only grow at the end; a field added in minor N is usable by a plugin only after it
 *    checks host->abi_minor >= N (or struct_size);
 *  - any change to this file bumps YZ_ABI_MINOR (additions) or YZ_ABI_MAJOR (anything else), adds a
 *    line to the changelog below, and updates the hash in tests/unit/unit-abi-hash.cpp.
 *
 * Ownership (Envoy's naming rule): yz_str is borrowed and valid only for the call (or, for request
 * accessors, until the handler returns); the receiver copies what it keeps. yz_host_buf is filled
 * by the host and must be freed by the plugin with host->buf_free.
 *
 * Threads: handlers run concurrently on the host's worker threads. A plugin starts no threads;
 * timers and scheduled jobs are run by the host.
 *
 * Changelog:
 *   1.0  2026-11-22  first version.
 *   1.1  2026-12-01  screen_text, reveal_phone, sign (residents' text, personal data, signatures).
 *   1.2  2026-12-01  privacy_handler_add (a station's part of a resident's data export and erasure).
 *   1.3  2026-12-02  req_user_id (who is calling, without building the auth object).
 */
#ifndef YZ_PLUGIN_ABI_H
#define YZ_PLUGIN_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define YZ_PLUGIN_MAGIC 0x595A504Cu /* 'YZPL' */
#define YZ_ABI_MAJOR 1u
#define YZ_ABI_MINOR 3u

/* Descriptor flags. */
#define YZ_PLUGIN_UNLOAD_SAFE 0x1u /* may be dlclose'd after shutdown (if config allows) */

typedef enum yz_status {
    YZ_OK = 0,
    YZ_ERROR = 1,        /* unexpected failure; err buffer says why */
    YZ_NOT_FOUND = 2,    /* no such record / route / job */
    YZ_DENIED = 3,       /* permission or isolation refused it */
    YZ_INVALID = 4,      /* the arguments are wrong; err buffer (JSON) says which */
    YZ_FULL = 5,         /* capacity ledger: no place left */
    YZ_CONFLICT = 6,     /* state changed underneath, or idempotency key reused differently */
    YZ_BUSY = 7          /* database busy beyond the timeout; safe to retry */
} yz_status;

typedef enum yz_log_level {
    YZ_LOG_DEBUG = 0,
    YZ_LOG_INFO = 1,
    YZ_LOG_WARN = 2,
    YZ_LOG_ERROR = 3
} yz_log_level;

/* Borrowed UTF-8 text. ptr may be NULL only when len is 0 ("absent"). */
typedef struct yz_str {
    const char* ptr;
    size_t len;
} yz_str;

/* Text the host allocated for the plugin; release it with host->buf_free. */
typedef struct yz_host_buf {
    char* ptr;
    size_t len;
} yz_host_buf;

typedef struct yz_plugin_host yz_plugin_host; /* host's handle for one loaded instance */
typedef struct yz_plugin_ctx yz_plugin_ctx;   /* plugin's own state, opaque to the host */
typedef struct yz_request yz_request;         /* valid until the handler returns */
typedef struct yz_response yz_response;

/* A route handler. It must set a response (host->resp_*) and return YZ_OK; any other return, or
 * no response, becomes a 500 and counts towards the station's fault threshold. */
typedef yz_status (*yz_handler_fn)(yz_plugin_ctx* ctx, const yz_request* req, yz_response* resp,
                                   void* user_data);

/* A timer tick or a due scheduled job. payload is the JSON given when the job was scheduled. */
typedef yz_status (*yz_timer_fn)(yz_plugin_ctx* ctx, void* user_data);
typedef yz_status (*yz_job_fn)(yz_plugin_ctx* ctx, yz_str payload_json, void* user_data);

/* A resident's data rights (1.2). export hands everything the station holds about user_id to
 * put(sink, json_object) once; erase removes or anonymises it, through the host as usual — it runs
 * inside the core's erasure transaction, so the station's part and the core's commit together. */
typedef void (*yz_sink_fn)(void* sink, yz_str json);
typedef yz_status (*yz_privacy_export_fn)(yz_plugin_ctx* ctx, int64_t user_id, yz_sink_fn put, void* sink,
                                          void* user_data);
typedef yz_status (*yz_privacy_erase_fn)(yz_plugin_ctx* ctx, int64_t user_id, void* user_data);

/* Body of a transaction: everything the plugin does through the host inside it commits together,
 * or not at all when it returns anything but YZ_OK. */
typedef yz_status (*yz_tx_fn)(yz_plugin_ctx* ctx, void* user_data);

typedef struct yz_host_api {
    uint32_t struct_size;
    uint32_t abi_minor;

    /* misc */
    void (*buf_free)(yz_host_buf* buf);
    void (*log)(yz_plugin_host* self, yz_log_level level, yz_str message);
    int64_t (*now_ms)(yz_plugin_host* self); /* UTC milliseconds; fakeable in tests */

    /* routes: only during init. method is GET/POST/PUT/PATCH/DELETE; path_template is relative to
     * /api/v1/stations/<id> and may hold {name} segments; permission is a '|'-separated list of
     * public, user, resident, member, unit_contact, grid, staff (this station), admin. */
    yz_status (*route_add)(yz_plugin_host* self, yz_str method, yz_str path_template,
                           yz_str permission, yz_str summary, yz_handler_fn handler,
                           void* user_data);

    /* request accessors; an absent value is {NULL, 0}. */
    yz_str (*req_method)(const yz_request* req);
    yz_str (*req_param)(const yz_request* req, yz_str name);  /* {name} from the template */
    yz_str (*req_query)(const yz_request* req, yz_str name);
    yz_str (*req_header)(const yz_request* req, yz_str name);
    yz_str (*req_body)(const yz_request* req);  /* already checked to be a JSON object if any */
    yz_str (*req_auth)(const yz_request* req);  /* JSON: {"user_id","display_name","roles",...} */
    yz_str (*req_id)(const yz_request* req);

    /* responses; the host copies. resp_error builds the standard error body with request id. */
    void (*resp_json)(yz_response* resp, int status, yz_str json);
    void (*resp_text)(yz_response* resp, int status, yz_str content_type, yz_str body);
    void (*resp_error)(yz_response* resp, int status, yz_str code, yz_str message_zh,
                       yz_str details_json);
    void (*resp_header)(yz_response* resp, yz_str name, yz_str value);

    /* storage, scoped to this station: its own tables (<id>_*) and the views the core publishes.
     * params_json is a JSON array bound to ?1..?n. rows_json receives a JSON array of objects. */
    yz_status (*db_migrate)(yz_plugin_host* self, uint32_t version, yz_str sql, yz_host_buf* err);
    yz_status (*db_query)(yz_plugin_host* self, yz_str sql, yz_str params_json,
                          yz_host_buf* rows_json, yz_host_buf* err);
    yz_status (*db_exec)(yz_plugin_host* self, yz_str sql, yz_str params_json, int64_t* changes,
                         int64_t* last_insert_id, yz_host_buf* err);
    yz_status (*db_tx)(yz_plugin_host* self, yz_plugin_ctx* ctx, yz_tx_fn body, void* user_data,
                       yz_host_buf* err);

    /* building blocks; each takes and returns JSON (see docs/plugin-guide.md for the shapes). They
     * join the caller's transaction when called inside db_tx. */
    yz_status (*capacity)(yz_plugin_host* self, yz_str op, yz_str args_json, yz_host_buf* result,
                          yz_host_buf* err);
    yz_status (*forms_validate)(yz_plugin_host* self, yz_str fields_json, yz_str submission_json,
                                yz_host_buf* clean_json, yz_host_buf* errors_json);
    yz_status (*workflow)(yz_plugin_host* self, yz_str op, yz_str args_json, yz_host_buf* result,
                          yz_host_buf* err);
    yz_status (*notify)(yz_plugin_host* self, int64_t user_id, yz_str template_key,
                        yz_str data_json, int64_t* job_id, yz_host_buf* err);
    yz_status (*audit)(yz_plugin_host* self, yz_str actor_json, yz_str action, yz_str record_type,
                       yz_str record_id, yz_str detail_json);

    /* time: a durable job runs once at due_ms (survives restarts); a timer repeats while the
     * instance is active. Handlers for job kinds are registered during init. */
    yz_status (*job_handler_add)(yz_plugin_host* self, yz_str kind, yz_job_fn fn, void* user_data);
    yz_status (*job_schedule)(yz_plugin_host* self, yz_str kind, int64_t due_ms,
                              yz_str payload_json, yz_str dedupe_key, int64_t* job_id);
    yz_status (*job_cancel)(yz_plugin_host* self, int64_t job_id);
    yz_status (*timer_every)(yz_plugin_host* self, uint32_t interval_ms, yz_timer_fn fn,
                             void* user_data, uint64_t* timer_id);
    yz_status (*timer_cancel)(yz_plugin_host* self, uint64_t timer_id);

    /* 1.1: residents' free text, personal data and signatures. */
    /* WeChat's text check for a resident's free text; verdict receives "pass", "review" (hold it
     * for staff) or "risky" (refuse). scene: 1 profile, 2 comment, 3 forum, 4 social log. It may
     * call WeChat: not inside db_tx. Fails closed: no answer from WeChat is "review". */
    yz_status (*screen_text)(yz_plugin_host* self, int64_t user_id, yz_str text, int32_t scene,
                             yz_host_buf* verdict, yz_host_buf* err);
    /* A resident's full phone number for the calling staff member of this station (or an admin),
     * with the reason audited; the station checks the resident is theirs to contact first.
     * YZ_NOT_FOUND when no number is held, YZ_DENIED for any other caller. */
    yz_status (*reveal_phone)(yz_plugin_host* self, const yz_request* req, int64_t user_id,
                              yz_str reason, yz_host_buf* phone, yz_host_buf* err);
    /* HMAC-SHA256 under a key the core keeps for this station, over purpose and payload; sig
     * receives 43 characters of base64url. For codes the station hands out and checks later. */
    yz_status (*sign)(yz_plugin_host* self, yz_str purpose, yz_str payload, yz_host_buf* sig);

    /* 1.2: a station that keeps personal data registers its part of GET /api/v1/me/export and
     * DELETE /api/v1/me; only during init. */
    yz_status (*privacy_handler_add)(yz_plugin_host* self, yz_privacy_export_fn export_fn,
                                     yz_privacy_erase_fn erase_fn, void* user_data);

    /* 1.3: the caller's user id, 0 when anonymous; most handlers need only this of req_auth. */
    int64_t (*req_user_id)(const yz_request* req);
} yz_host_api;

typedef yz_status (*yz_init_fn)(const yz_host_api* host, yz_plugin_host* self, yz_str config_json,
                                yz_plugin_ctx** out_ctx, yz_host_buf* err);
typedef void (*yz_shutdown_fn)(yz_plugin_ctx* ctx);
typedef yz_status (*yz_on_config_fn)(yz_plugin_ctx* ctx, yz_str config_json);

typedef struct yz_plugin_desc {
    uint32_t magic;
    uint32_t abi_major;
    uint32_t abi_minor;
    uint32_t struct_size;
    const char* id;           /* [a-z][a-z0-9_]{1,31}, equal to the file's libstation_<id>.so */
    const char* display_name; /* UTF-8, e.g. 社区公告 */
    const char* version;      /* semver of the station */
    const char* license;
    const char* build_sig;    /* YZ_BUILD_SIG of the SDK the plugin was compiled with */
    uint32_t flags;
    yz_init_fn init;
    yz_shutdown_fn shutdown;
    yz_on_config_fn on_config; /* may be NULL */
    const char* description;   /* UTF-8, one sentence for the station list */
} yz_plugin_desc;

/* The one exported symbol. No side effects: it only returns a pointer to static data. */
typedef const yz_plugin_desc* (*yz_plugin_entry_fn)(uint32_t host_abi_major);
#define YZ_PLUGIN_ENTRY_SYMBOL "yz_plugin_entry"

/* Build signature: what changes the binary layout between host and plugin (compiler family and
 * major, libstdc++ dual ABI, pointer size, ABI major). Optional features are left out on purpose.
 * In C++, include a standard header (e.g. <cstddef>) before this one: libstdc++'s ABI flag is
 * defined by its headers, and without it the signature says "na" and the host refuses the plugin. */
#define YZ_SIG_STR2(x) #x
#define YZ_SIG_STR(x) YZ_SIG_STR2(x)
#if defined(__clang__)
#define YZ_SIG_COMPILER "clang" YZ_SIG_STR(__clang_major__)
#elif defined(__GNUC__)
#define YZ_SIG_COMPILER "gcc" YZ_SIG_STR(__GNUC__)
#else
#define YZ_SIG_COMPILER "cc"
#endif
#if defined(_GLIBCXX_USE_CXX11_ABI)
#define YZ_SIG_CXXABI YZ_SIG_STR(_GLIBCXX_USE_CXX11_ABI)
#else
#define YZ_SIG_CXXABI "na"
#endif
#define YZ_BUILD_SIG \
    YZ_SIG_COMPILER ";cxx11abi=" YZ_SIG_CXXABI ";ptr=" YZ_SIG_STR(__SIZEOF_POINTER__) ";abi=1"

#ifdef __cplusplus
}
#endif

#endif /* YZ_PLUGIN_ABI_H */
