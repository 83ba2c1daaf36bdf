// SPDX-License-Identifier: MIT
// Installing a station without a restart: an admin uploads the station's .so with its detached
// Ed25519 signature (`yizhan plugin sign`). The bytes are checked against plugins.trusted_keys
// while still in memory — a file nobody trusted is never written, let alone opened — then stored
// content-named under <data_dir>/stations/<id>/<sha256>/libstation_<id>.so and made active; the
// version it replaced stays on disk for rollback. Every step is audited.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <httplib.h>

#include <filesystem>
#include <regex>

#include "app.hpp"
#include "crypto_util.hpp"
#include "plugin_manager.hpp"
#include "plugin_signing.hpp"

namespace yz {
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const char* kSignatureHeader = "X-Station-Signature";

std::string station_id(RequestCtx& ctx) {
    std::string id = *ctx.param("id");
    static const std::regex valid(R"(^[a-z][a-z0-9_]{1,31}$)");
    if (!std::regex_match(id, valid))
        throw ApiError(400, "invalid_field", "服务站标识须为小写字母开头的字母、数字或下划线", json{{"field", "id"}});
    return id;
}

// Writes `bytes` to `path` whole or not at all (temp file, fsync, rename); false on failure.
bool store_whole(const std::string& path, const std::string& bytes) {
    std::string tmp = path + ".part";
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
    if (fd < 0) return false;
    size_t done = 0;
    while (done < bytes.size()) {
        ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n <= 0) break;
        done += static_cast<size_t>(n);
    }
    bool ok = done == bytes.size() && ::fsync(fd) == 0;
    ::close(fd);
    if (ok && ::rename(tmp.c_str(), path.c_str()) == 0) return true;
    ::unlink(tmp.c_str());
    return false;
}

std::string active_sha256(App& app, const std::string& id) {
    StationSlot* s = app.plugins().slot(id);
    if (!s) return "";
    std::lock_guard lock(s->mu);
    return s->active ? s->active->lib.sha256 : "";
}

void install_file(RequestCtx& ctx) {
    std::string id = station_id(ctx);
    const Config& cfg = ctx.app.config();
    if (cfg.trusted_keys.empty())
        throw ApiError(403, "install_disabled", "未配置可信的签名公钥，不能上传服务站",
                       json{{"reason", "plugins.trusted_keys is empty"}});
    const std::string& bytes = ctx.raw_body();
    if (bytes.empty()) throw ApiError(400, "missing_file", "请上传服务站文件");
    std::string signature = ctx.http.get_header_value(kSignatureHeader);
    if (signature.empty())
        throw ApiError(422, "unsigned", "服务站文件没有签名，未安装", json{{"reason", std::string("no ") + kSignatureHeader + " header"}});
    auto key = plugin_signing::verify(bytes, signature, cfg.trusted_keys);
    if (!key)
        throw ApiError(422, "bad_signature", "签名无效，或不是可信密钥签发的，未安装",
                       json{{"reason", "the signature does not match this file under any trusted key"}});
    std::string sha = crypto::hex(crypto::sha256(bytes));
    if (sha == active_sha256(ctx.app, id))
        throw ApiError(409, "already_installed", "这个版本已在运行", json{{"sha256", sha}});

    // Content-named by its folder: the loader insists on the file name libstation_<id>.so.
    fs::path dir = fs::path(cfg.data_dir) / "stations" / id / sha;
    std::error_code ec;
    fs::create_directories(dir, ec);
    std::string path = (dir / ("libstation_" + id + ".so")).string();
    bool stored_now = !fs::exists(path, ec);  // an earlier version uploaded again is already here
    if (stored_now && !store_whole(path, bytes))
        throw ApiError(503, "store_failed", "服务站文件保存失败，请稍后再试");
    std::string why = ctx.app.plugins().install(id, path);
    if (!why.empty()) {
        if (stored_now) fs::remove_all(dir, ec);
        ctx.audit("station.install_refused", "station", id, {{"sha256", sha}, {"reason", why}});
        throw ApiError(422, "install_refused", "服务站文件无法加载，未安装，原版本继续运行", json{{"reason", why}});
    }
    StationSlot* s = ctx.app.plugins().slot(id);
    json described = ctx.app.plugins().describe(*s);
    ctx.audit("station.install", "station", id,
                  {{"sha256", sha}, {"version", described.value("version", "")}, {"signed_by", *key}, {"generation", described["generation"]}});
    ctx.json(201, described);
}

void rollback(RequestCtx& ctx) {
    std::string id = station_id(ctx);
    if (!ctx.app.plugins().slot(id)) throw ApiError(404, "station_not_found", "没有这个服务站");
    std::string why = ctx.app.plugins().rollback(id);
    if (!why.empty()) throw ApiError(422, "rollback_failed", "无法回到上一版本，当前版本继续运行", json{{"reason", why}});
    json described = ctx.app.plugins().describe(*ctx.app.plugins().slot(id));
    ctx.audit("station.rollback", "station", id, {{"sha256", described.value("sha256", "")}, {"version", described.value("version", "")}});
    ctx.json(200, described);
}

}  // namespace

void add_station_install_routes(App& app, std::vector<Route>& r) {
    Route put = core_route("PUT", "/api/v1/admin/stations/{id}/file", "admin",
                           "Install a signed station file (body: the .so; header X-Station-Signature: its signature)", install_file);
    put.raw_body = true;
    put.body_limit = app.config().upload_max_bytes;
    r.push_back(std::move(put));
    r.push_back(core_route("POST", "/api/v1/admin/stations/{id}/rollback", "admin",
                           "Go back to the station version the last install replaced", rollback));
}

}  // namespace yz
