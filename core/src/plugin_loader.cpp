// SPDX-License-Identifier: MIT
#include "plugin_loader.hpp"

#include <dlfcn.h>
#include <openssl/evp.h>

#include <atomic>
#include <cstring>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "authorizer.hpp"

namespace yz {
namespace fs = std::filesystem;

const char* host_build_sig() {
    static const char sig[] = YZ_BUILD_SIG;
    return sig;
}

std::string station_id_from_filename(const std::string& path) {
    std::string name = fs::path(path).filename().string();
    const std::string prefix = "libstation_", suffix = ".so";
    if (name.size() <= prefix.size() + suffix.size() || name.rfind(prefix, 0) != 0 ||
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0)
        return "";
    return name.substr(prefix.size(), name.size() - prefix.size() - suffix.size());
}

std::string sha256_file_hex(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return "";
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
    char buf[65536];
    while (in) {
        in.read(buf, sizeof buf);
        EVP_DigestUpdate(ctx, buf, static_cast<size_t>(in.gcount()));
    }
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_DigestFinal_ex(ctx, md, &len);
    EVP_MD_CTX_free(ctx);
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (unsigned i = 0; i < len; ++i) {
        out.push_back(hex[md[i] >> 4]);
        out.push_back(hex[md[i] & 15]);
    }
    return out;
}

std::variant<std::monostate, LoadError> check_descriptor(const yz_plugin_desc* d, const std::string& file,
                                                         const std::string& expected_id) {
    auto fail = [&](const std::string& code, const std::string& what) {
        return LoadError{code, file + ": " + what};
    };
    if (!d) return fail("no_descriptor", "yz_plugin_entry returned no descriptor");
    if (d->magic != YZ_PLUGIN_MAGIC) {
        char got[32], want[32];
        std::snprintf(got, sizeof got, "0x%08X", d->magic);
        std::snprintf(want, sizeof want, "0x%08X", YZ_PLUGIN_MAGIC);
        return fail("bad_magic", std::string("not a yizhan station (magic ") + got + ", expected " + want + ")");
    }
    if (d->abi_major != YZ_ABI_MAJOR)
        return fail("abi_major", "built for ABI major " + std::to_string(d->abi_major) + ", host has " +
                                     std::to_string(YZ_ABI_MAJOR) + "; rebuild the station against this SDK");
    if (d->abi_minor > YZ_ABI_MINOR)
        return fail("abi_minor", "needs ABI minor " + std::to_string(d->abi_minor) + ", host has only " +
                                     std::to_string(YZ_ABI_MINOR) + "; upgrade the server");
    if (d->struct_size < offsetof(yz_plugin_desc, description))
        return fail("struct_size", "descriptor is " + std::to_string(d->struct_size) + " bytes, at least " +
                                       std::to_string(offsetof(yz_plugin_desc, description)) + " expected");
    if (!d->build_sig || std::strcmp(d->build_sig, host_build_sig()) != 0)
        return fail("build_sig", std::string("build signature '") + (d->build_sig ? d->build_sig : "(none)") +
                                     "' differs from the host's '" + host_build_sig() + "'");
    if (!d->id || !d->init || !d->shutdown || !d->version || !d->display_name)
        return fail("incomplete", "descriptor lacks id, display_name, version, init or shutdown");
    if (!station_id_valid(d->id))
        return fail("bad_id", std::string("station id '") + d->id + "' is not valid ([a-z][a-z0-9_]{1,31}, not core/pub/sqlite)");
    if (expected_id != d->id)
        return fail("id_mismatch", std::string("descriptor id '") + d->id + "' differs from the file name's '" + expected_id + "'");
    return std::monostate{};
}

std::variant<LoadedLibrary, LoadError> load_station_library(const std::string& file, const std::string& run_dir) {
    std::error_code ec;
    if (!fs::is_regular_file(file, ec)) return LoadError{"not_found", file + ": no such file"};
    std::string id = station_id_from_filename(file);
    if (id.empty()) return LoadError{"bad_name", file + ": a station file must be named libstation_<id>.so"};

    LoadedLibrary lib;
    lib.source = file;
    fs::create_directories(run_dir, ec);
    // Copy first, then hash the copy: the name then always matches what is loaded, even if the
    // source is rebuilt meanwhile. The temp name is unique per process and call.
    static std::atomic<uint64_t> counter{0};
    std::string tmp = (fs::path(run_dir) / (id + ".tmp" + std::to_string(::getpid()) + "-" + std::to_string(counter++))).string();
    fs::copy_file(file, tmp, fs::copy_options::overwrite_existing, ec);
    if (ec) return LoadError{"copy_failed", file + ": cannot copy to " + run_dir + ": " + ec.message()};
    lib.sha256 = sha256_file_hex(tmp);
    lib.path = (fs::path(run_dir) / (id + "-" + lib.sha256.substr(0, 12) + ".so")).string();
    if (fs::exists(lib.path, ec)) {
        fs::remove(tmp, ec);  // same content already there (and maybe mapped): keep that inode
    } else {
        fs::rename(tmp, lib.path, ec);  // atomic: a concurrent reader never sees half a file
        if (ec) return LoadError{"copy_failed", file + ": cannot rename copy: " + ec.message()};
    }
    lib.handle = dlopen(lib.path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!lib.handle) {
        const char* why = dlerror();
        return LoadError{"dlopen_failed", file + ": dlopen failed: " + (why ? why : "unknown")};
    }
    void* sym = dlsym(lib.handle, YZ_PLUGIN_ENTRY_SYMBOL);
    if (!sym) {
        // Nothing of it has run; a library that never initialised is safe to close.
        dlclose(lib.handle);
        return LoadError{"no_entry", file + ": not a station plugin (no symbol " YZ_PLUGIN_ENTRY_SYMBOL ")"};
    }
    auto entry = reinterpret_cast<yz_plugin_entry_fn>(sym);
    lib.desc = entry(YZ_ABI_MAJOR);
    auto checked = check_descriptor(lib.desc, file, id);
    if (auto* err = std::get_if<LoadError>(&checked)) return *err;  // kept mapped: its code ran
    return lib;
}

}  // namespace yz
