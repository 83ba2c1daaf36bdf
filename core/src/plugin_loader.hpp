// SPDX-License-Identifier: MIT
// Loading a station library: content-named copy, dlopen(RTLD_NOW | RTLD_LOCAL), the one entry
// symbol, and the descriptor checks (magic, ABI major equal, minor <= host, struct size, build
// signature, id valid and equal to the file name, required fields). Every refusal names the file
// and both values, and leaves the rest of the server running.
//
// Copying first matters: the dynamic linker deduplicates by inode, so reloading a file rebuilt in
// place could silently return the old code. A copy named by content hash is a new inode whenever
// the content changes, and the same inode when it doesn't.
#pragma once

#include <string>
#include <variant>

#include <yz/plugin_abi.h>

namespace yz {

struct LoadedLibrary {
    std::string source;  // the configured file
    std::string path;    // the content-named copy that was dlopen'ed
    std::string sha256;  // hex
    void* handle = nullptr;
    const yz_plugin_desc* desc = nullptr;
};

struct LoadError {
    std::string code;     // not_found, bad_name, dlopen_failed, no_entry, bad_magic, abi_major, ...
    std::string message;  // one line naming the file and both values
};

// The build signature of this host (what a plugin's YZ_BUILD_SIG must equal).
const char* host_build_sig();
// "libstation_<id>.so" → id, or "" if the name does not follow the pattern.
std::string station_id_from_filename(const std::string& path);
std::string sha256_file_hex(const std::string& path);

// Loads and checks; `run_dir` receives the content-named copy (created if missing).
std::variant<LoadedLibrary, LoadError> load_station_library(const std::string& file, const std::string& run_dir);
// The descriptor checks alone (used by load and by tests).
std::variant<std::monostate, LoadError> check_descriptor(const yz_plugin_desc* d, const std::string& file,
                                                         const std::string& expected_id);

}  // namespace yz
