// SPDX-License-Identifier: MIT
#include "cli.hpp"

#include <csignal>
#include <cctype>
#include <fcntl.h>
#include <fstream>
#include <optional>
#include <sstream>
#include <unistd.h>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <pthread.h>
#include <string>
#include <thread>
#include <vector>

#include "app.hpp"
#include "audit.hpp"
#include "console_login.hpp"
#include "core_schema.hpp"
#include "dev_seed.hpp"
#include "log.hpp"
#include "plugin_loader.hpp"
#include "plugin_manager.hpp"
#include "plugin_scaffold.hpp"
#include "plugin_signing.hpp"
#include "supervisor.hpp"
#include "wechat_dev.hpp"

namespace yz {
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const char* kUsage = R"(yizhan — backend of the community party-and-people service centre (党群服务中心)

Usage:
  yizhan serve   [--config FILE] [--port N] [--data-dir DIR] [--dev] [--seed-demo] [--workers N]
                                                         N > 1: a supervisor keeps N worker processes on
                                                         the port and restarts one that crashes
  yizhan migrate [--config FILE] [--data-dir DIR]
  yizhan seed    [--config FILE] [--data-dir DIR]        demo users and roles (idempotent)
  yizhan plugin list    [--config FILE]                  configured stations and whether they load
  yizhan plugin inspect FILE.so                          descriptor, and whether it would load and why not
  yizhan plugin keygen --out KEY                         an Ed25519 signing key (KEY, mode 0600); prints the
                                                         public key for plugins.trusted_keys
  yizhan plugin sign FILE.so --key KEY                   writes FILE.so.sig (Ed25519 over the file's SHA-256)
  yizhan plugin verify FILE.so [--sig SIG] [--config FILE]   checks the signature against plugins.trusted_keys
  yizhan plugin new <id> [--dir DIR]                     a station to build outside this tree, with a unit test
  yizhan user grant  <user> <role>[:<scope>] [--config FILE] [--data-dir DIR]
  yizhan user revoke <user> <role>[:<scope>] [--config FILE] [--data-dir DIR]
  yizhan user login-link <user> [--url BASE]             a one-time console sign-in link (10 minutes)
  yizhan backup --to FILE [--config FILE] [--data-dir DIR]   online backup, safe while serving

<user> is a numeric user id or a WeChat openid. Roles: resident, member, unit_contact,
staff:<station>, grid:<grid>, admin.
Every config setting can be overridden by an environment variable: server.port → YZ_SERVER_PORT.
Run `yizhan <command> --help` for one command.
)";

struct Args {
    std::vector<std::string> positional;
    std::map<std::string, std::string> options;  // --name value, or --flag → "1"
    bool help = false;
};

Args parse(int argc, char** argv, int from, const std::vector<std::string>& flags) {
    Args a;
    for (int i = from; i < argc; ++i) {
        std::string s = argv[i];
        if (s == "--help" || s == "-h") {
            a.help = true;
        } else if (s.rfind("--", 0) == 0) {
            std::string name = s.substr(2);
            if (std::find(flags.begin(), flags.end(), name) != flags.end()) {
                a.options[name] = "1";
            } else {
                if (i + 1 >= argc) throw ConfigError("option --" + name + " needs a value");
                a.options[name] = argv[++i];
            }
        } else {
            a.positional.push_back(s);
        }
    }
    return a;
}

void allow_only(const Args& a, const std::vector<std::string>& names) {
    for (const auto& [k, v] : a.options)
        if (std::find(names.begin(), names.end(), k) == names.end()) throw ConfigError("unknown option --" + k);
}

// The first of `candidates`, relative to the executable's folder, that is a directory; "" if none.
// How a server finds its stations and console in the build tree and in an installed layout.
std::string beside_executable(std::initializer_list<const char*> candidates) {
    std::error_code ec;
    fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (ec) return "";
    for (const char* rel : candidates)
        if (fs::path p = exe.parent_path() / rel; fs::is_directory(p, ec)) return fs::weakly_canonical(p).string();
    return "";
}

// --name N, a whole number in [lo, hi], into `out` if given.
void int_option(const Args& a, const std::string& name, int lo, int hi, int& out) {
    if (!a.options.count(name)) return;
    const std::string& v = a.options.at(name);
    size_t used = 0;
    int n = 0;
    try {
        n = std::stoi(v, &used);
    } catch (...) {
        used = 0;
    }
    if (used == 0 || used != v.size()) throw ConfigError("--" + name + " must be a number");
    if (n < lo || n > hi) throw ConfigError("--" + name + " must be " + std::to_string(lo) + ".." + std::to_string(hi));
    out = n;
}

Config config_from(const Args& a) {
    Config c = load_config(a.options.count("config") ? a.options.at("config") : "", process_env());
    int_option(a, "port", 0, 65535, c.port);
    if (a.options.count("data-dir")) c.data_dir = a.options.at("data-dir");
    if (a.options.count("dev")) c.dev = true;
    if (c.stations_dir.empty()) c.stations_dir = beside_executable({"stations", "../lib/yizhan/stations"});
    if (c.stations_dir.empty()) c.stations_dir = "stations";
    if (c.console_dir.empty()) c.console_dir = beside_executable({"../web/console", "../share/yizhan/console"});
    return c;
}

App* g_app = nullptr;

// Serves until SIGTERM or SIGINT. `on_listening` runs once the port is bound (a worker tells its
// supervisor); `banner` prints the URL and, in dev mode, how to log in.
int run_server(Config cfg, bool seed, bool banner, const std::function<void(int)>& on_listening) {
    // Signals go to one thread that stops the server cleanly; workers never see them.
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    // Dev mode without a WeChat account: an embedded simulator stands in (outlives the app).
    std::unique_ptr<wechat::Simulator> sim;
    if (cfg.dev && cfg.wechat.base_url.empty()) sim = start_dev_simulator(cfg);
    App app(std::move(cfg));
    app.open();
    // A connection ready for each worker thread's first request (see Database::open_spares).
    app.db().open_spares(static_cast<size_t>(app.config().threads));
    g_app = &app;
    std::thread signals([set] {
        int sig = 0;
        sigwait(&set, &sig);
        log::info("stopping", {{"signal", sig}});
        if (g_app) g_app->stop();
    });
    signals.detach();
    if (seed) seed_demo(app);
    const Config& c = app.config();
    std::string url = "http://" + c.host + ":" + std::to_string(c.port);
    if (banner) {
        std::printf("yizhan serving on %s  (stations: %zu, data: %s)\n", url.c_str(), c.stations.size(), c.database_path().c_str());
        if (!c.console_dir.empty()) std::printf("staff console: %s/console/\n", url.c_str());
        if (c.dev) {
            std::printf("dev mode. Log in as the demo admin:\n"
                        "  curl -s -X POST %s/api/v1/auth/dev-login -H 'Content-Type: application/json' -d '{\"user\":\"admin\"}'\n"
                        "then call e.g.  curl -s %s/api/v1/me -H 'Authorization: Bearer <token>'\n"
                        "Other demo users: staff-notices, staff-convenience, staff-volunteer, zhang, li, wang.\n",
                        url.c_str(), url.c_str());
            if (sim) std::printf("%s", dev_login_instructions(*sim, url).c_str());
        }
        std::fflush(stdout);
    }
    bool ok = app.serve_forever(on_listening);
    g_app = nullptr;
    return ok ? 0 : 1;
}

// `--workers N`: the database is migrated once here, then a supervisor forks the workers (it must
// not have started a thread or opened a connection it keeps: both would be copied into them).
int serve_with_workers(Config cfg) {
    if (cfg.dev && cfg.wechat.base_url.empty())
        throw ConfigError("--workers: the embedded WeChat simulator lives in one process; set wechat.base_url "
                          "to a simulator or WeChat, or serve without --workers");
    std::filesystem::create_directories(cfg.data_dir);
    {
        Database db(cfg.database_path(), cfg.busy_timeout_ms);
        migrate_core(db.conn());
    }
    SupervisorPlan plan{cfg.workers, cfg.host, cfg.port};
    std::function<int(int, int)> worker = [&cfg](int port, int report_fd) {
        Config mine = cfg;
        mine.port = port;
        mine.worker = true;
        return run_server(std::move(mine), false, false, [report_fd](int) { (void)!::write(report_fd, "ready\n", 6); });
    };
    std::function<void(int)> ready = [&cfg](int port) {
        std::printf("yizhan serving on http://%s:%d  (%d workers, stations: %zu, data: %s)\n", cfg.host.c_str(), port,
                    cfg.workers, cfg.stations.size(), cfg.database_path().c_str());
        std::fflush(stdout);
    };
    return supervise(plan, worker, ready);
}

int cmd_serve(const Args& a) {
    allow_only(a, {"config", "port", "data-dir", "dev", "seed-demo", "workers"});
    Config cfg = config_from(a);
    int_option(a, "workers", 1, 64, cfg.workers);
    if (cfg.workers > 1) {
        if (a.options.count("seed-demo")) throw ConfigError("--seed-demo runs in one process: run `yizhan seed` first");
        return serve_with_workers(std::move(cfg));
    }
    return run_server(std::move(cfg), a.options.count("seed-demo") > 0, true, {});
}

int cmd_migrate(const Args& a) {
    allow_only(a, {"config", "data-dir"});
    Config cfg = config_from(a);
    fs::create_directories(cfg.data_dir);
    Database db(cfg.database_path(), cfg.busy_timeout_ms);
    int ran = migrate_core(db.conn());
    std::printf("core: %d migration(s) applied to %s\n", ran, cfg.database_path().c_str());
    return 0;
}

// Opens the app without serving (stations load, so their migrations run too).
int with_app(const Args& a, const std::function<int(App&)>& fn) {
    Config cfg = config_from(a);
    cfg.log_level = "warn";
    App app(std::move(cfg));
    app.open();
    return fn(app);
}

int cmd_seed(const Args& a) {
    allow_only(a, {"config", "data-dir"});
    return with_app(a, [](App& app) {
        std::printf("%s\n", seed_demo(app).dump(2).c_str());
        return 0;
    });
}

// A one-time link that signs `user` in to the console: for the first admin, whom nobody can
// confirm a QR sign-in for yet. Printed, never logged; it works once, within ten minutes.
int cmd_login_link(const Args& a) {
    return with_app(a, [&](App& app) {
        auto uid = app.identity().find_user(a.positional[1]);
        if (!uid) {
            std::fprintf(stderr, "yizhan: no user '%s' (give a user id or an openid)\n", a.positional[1].c_str());
            return 1;
        }
        auto ch = console_login::create(app.db().conn(), app.clock().now_ms(), console_login::kLinkMs, *uid);
        audit::Entry e;
        e.actor = {{"cli", true}};
        e.action = "console.login_link";
        e.record_type = "user";
        e.record_id = std::to_string(*uid);
        audit::record(app.db().conn(), e, app.clock().now_ms());
        const Config& c = app.config();
        std::string base = a.options.count("url") ? a.options.at("url") : "http://" + c.host + ":" + std::to_string(c.port);
        std::printf("%s/console/#link=%s.%s\n(one use, within %lld minutes)\n", base.c_str(), ch.id.c_str(), ch.secret.c_str(),
                    static_cast<long long>(console_login::kLinkMs / 60000));
        return 0;
    });
}

int cmd_user(const Args& a) {
    allow_only(a, {"config", "data-dir", "url"});
    if (a.positional.size() == 2 && a.positional[0] == "login-link") return cmd_login_link(a);
    if (a.positional.size() != 3 || (a.positional[0] != "grant" && a.positional[0] != "revoke")) {
        std::fprintf(stderr, "usage: yizhan user grant|revoke <user> <role>[:<scope>] | login-link <user> [--url BASE]\n");
        return 2;
    }
    std::string why;
    auto role = parse_role(a.positional[2], &why);
    if (!role) {
        std::fprintf(stderr, "yizhan: %s\n", why.c_str());
        return 2;
    }
    return with_app(a, [&](App& app) {
        auto uid = app.identity().find_user(a.positional[1]);
        if (!uid) {
            std::fprintf(stderr, "yizhan: no user '%s' (give a user id or an openid)\n", a.positional[1].c_str());
            return 1;
        }
        bool grant = a.positional[0] == "grant";
        bool changed = grant ? app.identity().grant(*uid, *role, 0) : app.identity().revoke(*uid, *role) == Identity::Revoked::done;
        audit::Entry e;
        e.actor = {{"cli", true}};
        e.action = grant ? "role.grant" : "role.revoke";
        e.record_type = "user";
        e.record_id = std::to_string(*uid);
        e.detail = {{"role", role->text()}, {"changed", changed}};
        audit::record(app.db().conn(), e, app.clock().now_ms());
        std::printf("%s %s %s user %lld\n", changed ? (grant ? "granted" : "revoked") : "unchanged:",
                    role->text().c_str(), grant ? "to" : "from", static_cast<long long>(*uid));
        return 0;
    });
}

int cmd_backup(const Args& a) {
    allow_only(a, {"config", "data-dir", "to"});
    if (!a.options.count("to")) {
        std::fprintf(stderr, "usage: yizhan backup --to FILE\n");
        return 2;
    }
    Config cfg = config_from(a);
    const std::string& to = a.options.at("to");
    if (fs::exists(to)) {
        std::fprintf(stderr, "yizhan: %s exists; refusing to overwrite a backup\n", to.c_str());
        return 1;
    }
    Database db(cfg.database_path(), cfg.busy_timeout_ms);
    db.backup_to(to);
    std::printf("backed up %s to %s\n", cfg.database_path().c_str(), to.c_str());
    return 0;
}

void print_desc(const yz_plugin_desc* d) {
    std::printf("  id:           %s\n  name:         %s\n  version:      %s\n  abi:          %u.%u\n"
                "  build_sig:    %s\n  license:      %s\n  description:  %s\n",
                d->id ? d->id : "(none)", d->display_name ? d->display_name : "(none)", d->version ? d->version : "(none)",
                d->abi_major, d->abi_minor, d->build_sig ? d->build_sig : "(none)", d->license ? d->license : "(none)",
                d->description ? d->description : "");
}

std::optional<std::string> read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// keygen / sign / verify: the signer's side of installing a station (plugin_signing.hpp).
int cmd_plugin_signing(const Args& a) {
    const std::string& what = a.positional[0];
    auto option = [&](const char* name) { return a.options.count(name) ? a.options.at(name) : std::string(); };
    if (what == "keygen" && a.positional.size() == 1 && !option("out").empty()) {
        std::string out = option("out");
        if (fs::exists(out)) {
            std::fprintf(stderr, "yizhan: %s exists; refusing to overwrite a key\n", out.c_str());
            return 1;
        }
        auto pair = plugin_signing::generate();
        {
            // Created private: the key never exists with wider permissions, not even for a moment.
            int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
            if (fd < 0 || ::write(fd, pair.private_pem.data(), pair.private_pem.size()) != static_cast<ssize_t>(pair.private_pem.size())) {
                std::fprintf(stderr, "yizhan: cannot write %s\n", out.c_str());
                if (fd >= 0) ::close(fd);
                return 1;
            }
            ::close(fd);
        }
        std::printf("private key: %s (keep it with whoever signs stations)\npublic key:  %s\n"
                    "trust it in the server's config:  \"plugins\": {\"trusted_keys\": [\"%s\"]}\n",
                    out.c_str(), pair.public_hex.c_str(), pair.public_hex.c_str());
        return 0;
    }
    if (what == "sign" && a.positional.size() == 2 && !option("key").empty()) {
        const std::string& file = a.positional[1];
        auto bytes = read_file(file);
        auto key = read_file(option("key"));
        if (!bytes || !key) {
            std::fprintf(stderr, "yizhan: cannot read %s\n", !bytes ? file.c_str() : option("key").c_str());
            return 1;
        }
        std::string sig = plugin_signing::sign(*bytes, *key);
        std::ofstream(file + ".sig") << sig << "\n";
        std::printf("%s.sig  (key %s)\n", file.c_str(), plugin_signing::public_hex_of(*key).c_str());
        return 0;
    }
    if (what == "verify" && a.positional.size() == 2) {
        const std::string& file = a.positional[1];
        std::string sig_path = option("sig").empty() ? file + ".sig" : option("sig");
        auto bytes = read_file(file);
        auto sig = read_file(sig_path);
        if (!bytes || !sig) {
            std::fprintf(stderr, "yizhan: cannot read %s\n", !bytes ? file.c_str() : sig_path.c_str());
            return 1;
        }
        while (!sig->empty() && std::isspace(static_cast<unsigned char>(sig->back()))) sig->pop_back();
        Config cfg = config_from(a);
        if (cfg.trusted_keys.empty()) {
            std::fprintf(stderr, "yizhan: no plugins.trusted_keys in the config: nothing to verify against\n");
            return 1;
        }
        if (auto by = plugin_signing::verify(*bytes, *sig, cfg.trusted_keys)) {
            std::printf("%s: good signature by %s\n", file.c_str(), by->c_str());
            return 0;
        }
        std::printf("%s: NOT signed by a trusted key (altered, forged, or signed by another key)\n", file.c_str());
        return 1;
    }
    std::fprintf(stderr, "usage: yizhan plugin keygen --out KEY | sign FILE.so --key KEY | verify FILE.so [--sig SIG]\n");
    return 2;
}

int cmd_plugin(const Args& a) {
    allow_only(a, {"config", "out", "key", "sig", "dir"});
    if (!a.positional.empty() && (a.positional[0] == "keygen" || a.positional[0] == "sign" || a.positional[0] == "verify"))
        return cmd_plugin_signing(a);
    if (!a.positional.empty() && a.positional[0] == "new" && a.positional.size() == 2) {
        const std::string& id = a.positional[1];
        std::string dir = a.options.count("dir") ? a.options.at("dir") : id;
        std::string why = scaffold_station(id, dir);
        if (!why.empty()) {
            std::fprintf(stderr, "yizhan: %s\n", why.c_str());
            return 1;
        }
        std::printf("%s/: CMakeLists.txt, %s.cpp, test_%s.cpp\n"
                    "build and test it against the installed SDK (cmake --install <yizhan build> --component sdk --prefix P):\n"
                    "  cmake -S %s -B %s/build -DCMAKE_PREFIX_PATH=P && cmake --build %s/build && ctest --test-dir %s/build\n",
                    dir.c_str(), id.c_str(), id.c_str(), dir.c_str(), dir.c_str(), dir.c_str(), dir.c_str());
        return 0;
    }
    if (a.positional.empty()) {
        std::fprintf(stderr, "usage: yizhan plugin list | inspect FILE.so\n");
        return 2;
    }
    if (a.positional[0] == "inspect" && a.positional.size() == 2) {
        const std::string& file = a.positional[1];
        std::string run_dir = (fs::temp_directory_path() / "yizhan-inspect").string();
        auto loaded = load_station_library(file, run_dir);
        std::printf("%s\n  host abi:     %u.%u\n  host sig:     %s\n", file.c_str(), YZ_ABI_MAJOR, YZ_ABI_MINOR, host_build_sig());
        if (auto* err = std::get_if<LoadError>(&loaded)) {
            std::printf("  would load:   no (%s)\n  why:          %s\n", err->code.c_str(), err->message.c_str());
            return 1;
        }
        const LoadedLibrary& lib = std::get<LoadedLibrary>(loaded);
        print_desc(lib.desc);
        std::printf("  sha256:       %s\n  would load:   yes\n", lib.sha256.c_str());
        return 0;
    }
    if (a.positional[0] == "list") {
        Config cfg = config_from(a);
        std::printf("stations_dir: %s\n", cfg.stations_dir.c_str());
        for (const auto& s : cfg.stations) {
            std::string file = fs::path(s.file).is_absolute() ? s.file : (fs::path(cfg.stations_dir) / s.file).string();
            auto loaded = load_station_library(file, (fs::temp_directory_path() / "yizhan-inspect").string());
            if (auto* err = std::get_if<LoadError>(&loaded))
                std::printf("%-16s %-8s %s\n", s.id.c_str(), "refused", err->message.c_str());
            else
                std::printf("%-16s %-8s %s %s\n", s.id.c_str(), s.enabled ? "enabled" : "disabled",
                            std::get<LoadedLibrary>(loaded).desc->version, file.c_str());
        }
        return 0;
    }
    std::fprintf(stderr, "usage: yizhan plugin list | inspect FILE.so\n");
    return 2;
}

}  // namespace

int run_cli(int argc, char** argv) {
    if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h" || std::string(argv[1]) == "help") {
        std::fputs(kUsage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    std::string cmd = argv[1];
    try {
        static const std::map<std::string, std::pair<std::vector<std::string>, int (*)(const Args&)>> kCommands = {
            {"serve", {{"dev", "seed-demo"}, cmd_serve}},
            {"migrate", {{}, cmd_migrate}},
            {"seed", {{}, cmd_seed}},
            {"plugin", {{}, cmd_plugin}},
            {"user", {{}, cmd_user}},
            {"backup", {{}, cmd_backup}},
        };
        auto it = kCommands.find(cmd);
        if (it == kCommands.end()) {
            std::fprintf(stderr, "yizhan: unknown command '%s'\n\n%s", cmd.c_str(), kUsage);
            return 2;
        }
        Args a = parse(argc, argv, 2, it->second.first);
        if (a.help) {
            std::fputs(kUsage, stdout);
            return 0;
        }
        return it->second.second(a);
    } catch (const ConfigError& e) {
        std::fprintf(stderr, "yizhan: %s\n", e.what());
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "yizhan: %s\n", e.what());
        return 1;
    }
}

}  // namespace yz
