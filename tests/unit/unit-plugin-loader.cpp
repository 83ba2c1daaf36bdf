// SPDX-License-Identifier: MIT
// The station loader (what `yizhan plugin inspect` runs): file-name rules, content hashing, the
// content-named copy, and every descriptor refusal, both on hand-built descriptors and on the
// fixture libraries in YZ_FIXTURES_DIR (tests/fixtures/).
#include <doctest/doctest.h>

#include <cstddef>
#include <filesystem>
#include <fstream>
#include <string>
#include <variant>

#include "../support/test_server.hpp"
#include "plugin_loader.hpp"

using namespace yz;
namespace fs = std::filesystem;

namespace {

yz_status init_ok(const yz_host_api*, yz_plugin_host*, yz_str, yz_plugin_ctx** out, yz_host_buf*) {
    *out = nullptr;
    return YZ_OK;
}
void shutdown_noop(yz_plugin_ctx*) {}

yz_plugin_desc valid_desc() {
    return yz_plugin_desc{YZ_PLUGIN_MAGIC, YZ_ABI_MAJOR, YZ_ABI_MINOR, sizeof(yz_plugin_desc), "fx_unit",
                          "单元测试站", "1.0.0", "MIT", host_build_sig(), 0, &init_ok, &shutdown_noop, nullptr,
                          "A descriptor built in the test"};
}

// The refusal code, or "" when the descriptor passes.
std::string code_of(const std::variant<std::monostate, LoadError>& r) {
    if (auto* e = std::get_if<LoadError>(&r)) return e->code;
    return "";
}
std::string message_of(const std::variant<std::monostate, LoadError>& r) {
    if (auto* e = std::get_if<LoadError>(&r)) return e->message;
    return "";
}

std::string fixture(const std::string& id) {
    std::string path = test::fixtures_dir() + "/libstation_" + id + ".so";
    INFO("fixture ", path, " (build target yz_fixture_stations; YZ_FIXTURES_DIR=", test::fixtures_dir(), ")");
    REQUIRE(fs::is_regular_file(path));
    return path;
}

std::string load_code(const std::variant<LoadedLibrary, LoadError>& r) {
    if (auto* e = std::get_if<LoadError>(&r)) return e->code;
    return "";
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("station ids come from libstation_<id>.so file names only") {
    CHECK(station_id_from_filename("libstation_notices.so") == "notices");
    CHECK(station_id_from_filename("/opt/yizhan/stations/libstation_fx_good.so") == "fx_good");
    CHECK(station_id_from_filename("libstation_.so") == "");
    CHECK(station_id_from_filename("station_notices.so") == "");
    CHECK(station_id_from_filename("libstation_notices.so.1") == "");
    CHECK(station_id_from_filename("libstation_notices.dll") == "");
    CHECK(station_id_from_filename("/dir/libstation_notices.so/") == "");
}

TEST_CASE("sha256 of a file is its hex digest, empty when unreadable") {
    test::TempDir dir;
    std::string f = dir.path + "/abc.txt";
    std::ofstream(f, std::ios::binary) << "abc";
    CHECK(sha256_file_hex(f) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    std::string empty = dir.path + "/empty.txt";
    std::ofstream(empty, std::ios::binary).flush();
    CHECK(sha256_file_hex(empty) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(sha256_file_hex(dir.path + "/missing") == "");
}

TEST_CASE("the host build signature knows libstdc++'s dual ABI") {
    std::string sig = host_build_sig();
    CHECK(sig == YZ_BUILD_SIG);
    CHECK_FALSE(contains(sig, "cxx11abi=na"));
    CHECK(contains(sig, ";abi=" + std::to_string(YZ_ABI_MAJOR)));
}

TEST_CASE("check_descriptor accepts a valid descriptor and refuses each wrong field by name") {
    const std::string file = "/x/libstation_fx_unit.so";
    yz_plugin_desc d = valid_desc();
    CHECK(code_of(check_descriptor(&d, file, "fx_unit")) == "");

    SUBCASE("no descriptor") { CHECK(code_of(check_descriptor(nullptr, file, "fx_unit")) == "no_descriptor"); }
    SUBCASE("magic, with both values in the message") {
        d.magic = 0x4C505A59u;
        auto r = check_descriptor(&d, file, "fx_unit");
        CHECK(code_of(r) == "bad_magic");
        CHECK(contains(message_of(r), file));
        CHECK(contains(message_of(r), "0x4C505A59"));
        CHECK(contains(message_of(r), "0x595A504C"));
    }
    SUBCASE("ABI major, older or newer") {
        d.abi_major = YZ_ABI_MAJOR + 1;
        auto r = check_descriptor(&d, file, "fx_unit");
        CHECK(code_of(r) == "abi_major");
        CHECK(contains(message_of(r), std::to_string(YZ_ABI_MAJOR + 1)));
        d.abi_major = YZ_ABI_MAJOR - 1;
        CHECK(code_of(check_descriptor(&d, file, "fx_unit")) == "abi_major");
    }
    SUBCASE("ABI minor newer than the host") {
        d.abi_minor = YZ_ABI_MINOR + 1;
        auto r = check_descriptor(&d, file, "fx_unit");
        CHECK(code_of(r) == "abi_minor");
        CHECK(contains(message_of(r), std::to_string(YZ_ABI_MINOR + 1)));
    }
    SUBCASE("struct size too small") {
        d.struct_size = 8;
        CHECK(code_of(check_descriptor(&d, file, "fx_unit")) == "struct_size");
    }
    SUBCASE("build signature missing or different") {
        d.build_sig = nullptr;
        CHECK(code_of(check_descriptor(&d, file, "fx_unit")) == "build_sig");
        d.build_sig = "gcc12;cxx11abi=na;ptr=8;abi=1";
        auto r = check_descriptor(&d, file, "fx_unit");
        CHECK(code_of(r) == "build_sig");
        CHECK(contains(message_of(r), "cxx11abi=na"));
        CHECK(contains(message_of(r), host_build_sig()));
    }
    SUBCASE("required fields") {
        SUBCASE("id") { d.id = nullptr; }
        SUBCASE("display_name") { d.display_name = nullptr; }
        SUBCASE("version") { d.version = nullptr; }
        SUBCASE("init") { d.init = nullptr; }
        SUBCASE("shutdown") { d.shutdown = nullptr; }
        CHECK(code_of(check_descriptor(&d, file, "fx_unit")) == "incomplete");
    }
    SUBCASE("description and on_config are optional") {
        d.description = nullptr;
        d.on_config = nullptr;
        CHECK(code_of(check_descriptor(&d, file, "fx_unit")) == "");
    }
    SUBCASE("invalid ids, even when the file name agrees") {
        for (const char* bad : {"x", "Fx_unit", "fx-unit", "1fx", "core_fx", "pub_fx", "sqlite_fx",
                                "a23456789012345678901234567890123"}) {
            CAPTURE(bad);
            d.id = bad;
            CHECK(code_of(check_descriptor(&d, file, bad)) == "bad_id");
        }
    }
    SUBCASE("id different from the file name") {
        auto r = check_descriptor(&d, "/x/libstation_fx_other.so", "fx_other");
        CHECK(code_of(r) == "id_mismatch");
        CHECK(contains(message_of(r), "fx_unit"));
        CHECK(contains(message_of(r), "fx_other"));
    }
}

TEST_CASE("inspect: a good station loads from a content-named copy") {
    test::TempDir run;
    std::string file = fixture("fx_good");
    auto r = load_station_library(file, run.path + "/run");
    REQUIRE(load_code(r) == "");
    const LoadedLibrary& lib = std::get<LoadedLibrary>(r);
    REQUIRE(lib.desc != nullptr);
    CHECK(lib.handle != nullptr);
    CHECK(lib.source == file);
    CHECK(std::string(lib.desc->id) == "fx_good");
    CHECK(std::string(lib.desc->version) == "1.2.3");
    CHECK(std::string(lib.desc->display_name) == "测试站");
    CHECK(std::string(lib.desc->build_sig) == host_build_sig());
    CHECK(lib.desc->abi_major == YZ_ABI_MAJOR);
    CHECK(lib.desc->struct_size == sizeof(yz_plugin_desc));
    CHECK(lib.sha256.size() == 64);
    CHECK(lib.sha256 == sha256_file_hex(file));
    CHECK(fs::path(lib.path).parent_path() == fs::path(run.path + "/run"));
    CHECK(fs::path(lib.path).filename() == "fx_good-" + lib.sha256.substr(0, 12) + ".so");
    CHECK(fs::is_regular_file(lib.path));
    CHECK(sha256_file_hex(lib.path) == lib.sha256);

    // Same content, same copy (and the dynamic linker hands back the same mapping); no temp left.
    auto again = load_station_library(file, run.path + "/run");
    REQUIRE(load_code(again) == "");
    CHECK(std::get<LoadedLibrary>(again).path == lib.path);
    CHECK(std::get<LoadedLibrary>(again).handle == lib.handle);
    int entries = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(run.path + "/run")) ++entries;
    CHECK(entries == 1);

    // Other content under the same name: another copy, so a rebuilt file is really reloaded.
    test::TempDir src;
    std::string other = src.path + "/libstation_fx_good.so";
    fs::copy_file(fixture("fx_good2"), other);
    auto swapped = load_station_library(other, run.path + "/run");
    CHECK(load_code(swapped) == "id_mismatch");  // fx_good2's descriptor, fx_good's file name
    CHECK(fs::exists(run.path + "/run/fx_good-" + sha256_file_hex(other).substr(0, 12) + ".so"));
}

TEST_CASE("inspect: each broken fixture is refused with its own code") {
    test::TempDir run;
    struct Case {
        const char* id;
        const char* code;
        std::string says;
    };
    for (const Case& c : {Case{"fx_bad_magic", "bad_magic", "magic 0x4C505A59"},
                          Case{"fx_bad_major", "abi_major", "ABI major 2"},
                          Case{"fx_newer_minor", "abi_minor", "ABI minor " + std::to_string(YZ_ABI_MINOR + 1)},
                          Case{"fx_bad_sig", "build_sig", "cxx11abi=na"},
                          Case{"fx_no_entry", "no_entry", "yz_plugin_entry"},
                          Case{"fx_wrong_id", "id_mismatch", "fx_claims_other"}}) {
        CAPTURE(c.id);
        std::string file = fixture(c.id);
        auto r = load_station_library(file, run.path);
        REQUIRE(std::holds_alternative<LoadError>(r));
        const LoadError& e = std::get<LoadError>(r);
        CHECK(e.code == c.code);
        CHECK(contains(e.message, file));
        CHECK(contains(e.message, c.says));
    }
    // fx_init_fails passes every load-time check: its failure only shows when init runs.
    CHECK(load_code(load_station_library(fixture("fx_init_fails"), run.path)) == "");
}

TEST_CASE("inspect: files that are missing, misnamed or not shared objects") {
    test::TempDir dir;
    const std::string run = dir.path + "/run";
    CHECK(load_code(load_station_library(dir.path + "/libstation_fx_missing.so", run)) == "not_found");
    CHECK(load_code(load_station_library(dir.path, run)) == "not_found");  // a directory

    std::string misnamed = dir.path + "/fx_good.so";
    fs::copy_file(fixture("fx_good"), misnamed);
    CHECK(load_code(load_station_library(misnamed, run)) == "bad_name");

    std::string junk = dir.path + "/libstation_fx_junk.so";
    std::ofstream(junk) << "not an ELF file";
    auto r = load_station_library(junk, run);
    CHECK(load_code(r) == "dlopen_failed");
    if (auto* e = std::get_if<LoadError>(&r)) CHECK(contains(e->message, junk));
}
