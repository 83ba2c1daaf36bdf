// SPDX-License-Identifier: MIT
// The `yizhan` executable as an operator runs it: help, config errors, migrate, seed, roles,
// plugin inspection and an online backup.
#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include <SQLiteCpp/Database.h>

#include "../support/server_process.hpp"
#include "../support/test_server.hpp"

namespace {

using Run = yz::test::CommandResult;

Run yizhan(const std::string& args) { return yz::test::run_command(yz::test::binary_dir() + "/yizhan " + args); }

}  // namespace

TEST_CASE("help lists every command, an unknown command or option is refused") {
    auto help = yizhan("--help");
    CHECK(help.code == 0);
    for (const char* cmd : {"serve", "migrate", "plugin inspect", "user grant", "backup"})
        CHECK(help.out.find(cmd) != std::string::npos);
    CHECK(yizhan("frobnicate").code == 2);
    auto bad = yizhan("migrate --colour red");
    CHECK(bad.code == 2);
    CHECK(bad.out.find("--colour") != std::string::npos);
}

TEST_CASE("a config file with an unknown key is refused, naming the key") {
    yz::test::TempDir dir;
    std::ofstream(dir.path + "/c.json") << R"({"server": {"prot": 1}})";
    auto r = yizhan("migrate --config " + dir.path + "/c.json --data-dir " + dir.path);
    CHECK(r.code == 2);
    CHECK(r.out.find("server.prot") != std::string::npos);
}

TEST_CASE("migrate, seed and grant the first admin from the command line") {
    yz::test::TempDir dir;
    std::string dd = " --data-dir " + dir.path;
    CHECK(yizhan("migrate" + dd).code == 0);
    auto again = yizhan("migrate" + dd);
    CHECK(again.out.find("0 migration(s)") != std::string::npos);
    auto seed = yizhan("seed" + dd);
    REQUIRE(seed.code == 0);
    CHECK(seed.out.find("社区管理员") != std::string::npos);
    auto grant = yizhan("user grant dev-zhang staff:notices" + dd);
    CHECK(grant.code == 0);
    CHECK(grant.out.find("granted staff:notices") != std::string::npos);
    CHECK(yizhan("user grant dev-zhang wizard" + dd).code == 2);
    CHECK(yizhan("user grant nobody admin" + dd).code == 1);
    SQLite::Database db(dir.path + "/yizhan.sqlite");
    SQLite::Statement q(db, "SELECT count(*) FROM core_roles r JOIN core_users u ON u.id = r.user_id "
                            "WHERE u.openid = 'dev-zhang' AND r.role = 'staff' AND r.scope = 'notices'");
    REQUIRE(q.executeStep());
    CHECK(q.getColumn(0).getInt() == 1);
    SQLite::Statement a(db, "SELECT count(*) FROM core_audit WHERE action = 'role.grant'");
    REQUIRE(a.executeStep());
    CHECK(a.getColumn(0).getInt() >= 1);
}

TEST_CASE("plugin inspect shows the descriptor and says why a file would not load") {
    auto good = yizhan("plugin inspect " + yz::test::stations_dir() + "/libstation_notices.so");
    CHECK(good.code == 0);
    CHECK(good.out.find("社区公告") != std::string::npos);
    CHECK(good.out.find("would load:   yes") != std::string::npos);
    auto bad = yizhan("plugin inspect " + yz::test::fixtures_dir() + "/libstation_fx_bad_major.so");
    CHECK(bad.code == 1);
    CHECK(bad.out.find("would load:   no (abi_major)") != std::string::npos);
}

TEST_CASE("backup copies the live database and refuses to overwrite") {
    yz::test::TempDir dir;
    std::string dd = " --data-dir " + dir.path;
    REQUIRE(yizhan("seed" + dd).code == 0);
    std::string to = dir.path + "/backup.sqlite";
    CHECK(yizhan("backup --to " + to + dd).code == 0);
    SQLite::Database copy(to);
    SQLite::Statement q(copy, "SELECT count(*) FROM core_users");
    REQUIRE(q.executeStep());
    CHECK(q.getColumn(0).getInt() == 7);
    CHECK(yizhan("backup --to " + to + dd).code == 1);
}

TEST_CASE("plugin keygen, sign and verify: only an untouched file signed by a trusted key passes") {
    yz::test::TempDir dir;
    namespace fs = std::filesystem;
    std::string key = dir.path + "/signer.pem", other = dir.path + "/other.pem", file = dir.path + "/libstation_notices.so";
    fs::copy_file(yz::test::stations_dir() + "/libstation_notices.so", file);

    auto made = yizhan("plugin keygen --out " + key);
    REQUIRE_MESSAGE(made.code == 0, made.out);
    CHECK((fs::status(key).permissions() & (fs::perms::group_all | fs::perms::others_all)) == fs::perms::none);
    auto at = made.out.find("public key:");
    REQUIRE(at != std::string::npos);
    std::string pub = made.out.substr(at + 13, 64);
    CHECK(yizhan("plugin keygen --out " + key).code == 1);  // never overwrites a key
    REQUIRE(yizhan("plugin keygen --out " + other).code == 0);

    std::string trusting = dir.path + "/trusting.json", empty = dir.path + "/empty.json";
    std::ofstream(trusting) << R"({"plugins": {"trusted_keys": [")" << pub << R"("]}})";
    std::ofstream(empty) << R"({"plugins": {"trusted_keys": []}})";

    REQUIRE(yizhan("plugin sign " + file + " --key " + key).code == 0);
    auto good = yizhan("plugin verify " + file + " --config " + trusting);
    CHECK_MESSAGE(good.code == 0, good.out);
    CHECK(good.out.find("good signature by " + pub) != std::string::npos);
    CHECK(yizhan("plugin verify " + file + " --config " + empty).code == 1);  // nothing trusted

    // Signed by a key the config does not trust.
    REQUIRE(yizhan("plugin sign " + file + " --key " + other).code == 0);
    CHECK(yizhan("plugin verify " + file + " --config " + trusting).code == 1);
    // Signed by the trusted key, then altered by one byte.
    REQUIRE(yizhan("plugin sign " + file + " --key " + key).code == 0);
    REQUIRE(yizhan("plugin verify " + file + " --config " + trusting).code == 0);
    { std::ofstream(file, std::ios::app) << '\0'; }
    auto altered = yizhan("plugin verify " + file + " --config " + trusting);
    CHECK(altered.code == 1);
    CHECK(altered.out.find("NOT signed") != std::string::npos);

    // A malformed trusted key is a config error that names the setting.
    std::ofstream(trusting) << R"({"plugins": {"trusted_keys": ["not-a-key"]}})";
    auto bad = yizhan("plugin verify " + file + " --config " + trusting);
    CHECK(bad.code != 0);
    CHECK(bad.out.find("plugins.trusted_keys") != std::string::npos);
}
