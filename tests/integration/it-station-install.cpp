// SPDX-License-Identifier: MIT
// Installing a station over HTTP, as the console's plugins page does: PUT the .so with its
// Ed25519 signature. Unsigned, wrongly signed, untrusted, unloadable and duplicate uploads are
// refused with the reason and leave nothing behind; a good one is active at once, survives a
// restart, and the version it replaced is one rollback away. A station's "new version" here is the
// fixture file with bytes appended: another SHA-256, the same loadable library.
#include <doctest/doctest.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "../support/test_server.hpp"
#include "crypto_util.hpp"
#include "plugin_signing.hpp"

using namespace yz;
using nlohmann::json;
using test::TestServer;
namespace fs = std::filesystem;

namespace {

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}
std::string fixture_bytes(const std::string& id) { return read_file(test::fixtures_dir() + "/libstation_" + id + ".so"); }
std::string sha_hex(const std::string& bytes) { return crypto::hex(crypto::sha256(bytes)); }

struct Signer {
    plugin_signing::KeyPair key = plugin_signing::generate();
    std::string sign(const std::string& bytes) const { return plugin_signing::sign(bytes, key.private_pem); }
};

// A server with fx_good configured, trusting `trusted`, on `dir` (so a test can start it again).
std::unique_ptr<TestServer> server(const std::string& dir, const std::vector<std::string>& trusted,
                                   const std::function<void(Config&)>& more = nullptr) {
    return std::make_unique<TestServer>([&](Config& c) {
        c.data_dir = dir;
        c.stations_dir = test::fixtures_dir();
        StationConfig sc;
        sc.id = "fx_good";
        sc.file = "libstation_fx_good.so";
        c.stations = {sc};
        c.trusted_keys = trusted;
        if (more) more(c);
    });
}

test::Response upload(TestServer& s, const std::string& token, const std::string& id, const std::string& bytes,
                      const std::string& signature) {
    std::map<std::string, std::string> h{{"Authorization", "Bearer " + token}};
    if (!signature.empty()) h["X-Station-Signature"] = signature;
    return s.raw("PUT", "/api/v1/admin/stations/" + id + "/file", bytes, "application/octet-stream", h);
}

json station(TestServer& s, const std::string& admin, const std::string& id) {
    auto r = s.get("/api/v1/admin/stations", admin);
    REQUIRE(r.status == 200);
    for (const auto& st : r.body["stations"])
        if (st["id"] == id) return st;
    return nullptr;
}

size_t stored_files(const std::string& dir, const std::string& id) {
    std::error_code ec;
    if (!fs::is_directory(dir + "/stations/" + id, ec)) return 0;
    size_t n = 0;
    for (const auto& e : fs::recursive_directory_iterator(dir + "/stations/" + id)) n += e.is_regular_file() ? 1 : 0;
    return n;
}

// Sends only a request's head, declaring a body of `length` bytes it never sends, and returns the
// status line: an answer proves the server refused without waiting for (or reading) the body.
std::string head_only(int port, const std::string& method, const std::string& path, const std::string& token, size_t length) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    std::string head = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token +
                       "\r\nContent-Type: application/octet-stream\r\nContent-Length: " + std::to_string(length) + "\r\n\r\n";
    REQUIRE(::send(fd, head.data(), head.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(head.size()));
    timeval tv{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    char buf[512];
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    ::close(fd);
    std::string got = n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
    return got.substr(0, got.find("\r\n"));
}

}  // namespace

TEST_CASE("a signed station file is installed without a restart, kept across one, and rolled back") {
    test::TempDir dir;
    Signer trusted, stranger;
    auto s = server(dir.path, {trusted.key.public_hex});
    std::string admin = s->login("admin", {"admin"});
    const std::string v1 = fixture_bytes("fx_good"), v2 = v1 + std::string(16, '\0');
    CHECK(station(*s, admin, "fx_good")["sha256"] == sha_hex(v1));

    // Refusals name the reason and write nothing.
    CHECK(test::error_code(upload(*s, admin, "fx_good", v2, "")) == "unsigned");
    CHECK(test::error_code(upload(*s, admin, "fx_good", v2, stranger.sign(v2))) == "bad_signature");
    CHECK(test::error_code(upload(*s, admin, "fx_good", v2, trusted.sign(v1))) == "bad_signature");  // another file's
    CHECK(test::error_code(upload(*s, admin, "fx_good", v2, "zz")) == "bad_signature");
    CHECK(test::error_code(upload(*s, s->login("li"), "fx_good", v2, trusted.sign(v2))) == "forbidden");
    CHECK(stored_files(dir.path, "fx_good") == 0);
    CHECK(station(*s, admin, "fx_good")["generation"] == 1);

    auto r = upload(*s, admin, "fx_good", v2, trusted.sign(v2));
    REQUIRE(r.status == 201);
    CHECK(r.body["sha256"] == sha_hex(v2));
    CHECK(r.body["generation"] == 2);
    CHECK(r.body["can_roll_back"] == true);
    CHECK(s->get("/api/v1/stations/fx_good/ping").status == 200);
    CHECK(fs::is_regular_file(dir.path + "/stations/fx_good/" + sha_hex(v2) + "/libstation_fx_good.so"));
    CHECK(test::error_code(upload(*s, admin, "fx_good", v2, trusted.sign(v2))) == "already_installed");

    // The installed version is the one a restarted server loads.
    s.reset();
    s = server(dir.path, {trusted.key.public_hex});
    CHECK(station(*s, admin, "fx_good")["sha256"] == sha_hex(v2));

    auto back = s->post("/api/v1/admin/stations/fx_good/rollback", json::object(), admin);
    REQUIRE(back.status == 200);
    CHECK(back.body["sha256"] == sha_hex(v1));
    CHECK(s->get("/api/v1/stations/fx_good/ping").status == 200);
    s.reset();
    s = server(dir.path, {trusted.key.public_hex});
    CHECK(station(*s, admin, "fx_good")["sha256"] == sha_hex(v1));

    auto audit = s->get("/api/v1/admin/audit?record_type=station&record_id=fx_good", admin);
    REQUIRE(audit.status == 200);
    std::multiset<std::string> actions;
    for (const auto& it : audit.body["items"]) actions.insert(it["action"].get<std::string>());
    CHECK(actions.count("station.install") == 1);
    CHECK(actions.count("station.rollback") == 1);
}

TEST_CASE("a signed file that will not load is refused with the reason, and the running version stays") {
    test::TempDir dir;
    Signer trusted;
    auto s = server(dir.path, {trusted.key.public_hex});
    std::string admin = s->login("admin", {"admin"});
    const std::string v1 = fixture_bytes("fx_good");
    for (const std::string& other : {std::string("fx_bad_major"), std::string("fx_good2"), std::string("fx_no_entry")}) {
        INFO(other);
        std::string bytes = fixture_bytes(other);
        auto r = upload(*s, admin, "fx_good", bytes, trusted.sign(bytes));
        CHECK(test::error_code(r) == "install_refused");
        CHECK(r.body["error"]["details"]["reason"].get<std::string>().size() > 0);
    }
    CHECK(stored_files(dir.path, "fx_good") == 0);
    CHECK(station(*s, admin, "fx_good")["sha256"] == sha_hex(v1));
    CHECK(s->get("/api/v1/stations/fx_good/ping").status == 200);
    CHECK(test::error_code(s->post("/api/v1/admin/stations/fx_good/rollback", json::object(), admin)) == "rollback_failed");
}

TEST_CASE("a station no config lists is installed as a new station and stays after a restart") {
    test::TempDir dir;
    Signer trusted;
    auto s = server(dir.path, {trusted.key.public_hex});
    std::string admin = s->login("admin", {"admin"});
    CHECK(s->get("/api/v1/stations/fx_good2/ping").status == 404);
    std::string bytes = fixture_bytes("fx_good2");
    REQUIRE(upload(*s, admin, "fx_good2", bytes, trusted.sign(bytes)).status == 201);
    CHECK(s->get("/api/v1/stations/fx_good2/ping").body["version"] == "2.0.0");
    s.reset();
    s = server(dir.path, {trusted.key.public_hex});
    CHECK(s->get("/api/v1/stations/fx_good2/ping").status == 200);

    // A new id whose file fails to load leaves no station behind.
    std::string broken = fixture_bytes("fx_init_fails");
    CHECK(test::error_code(upload(*s, admin, "fx_init_fails", broken, trusted.sign(broken))) == "install_refused");
    CHECK(station(*s, admin, "fx_init_fails").is_null());
}

TEST_CASE("with no trusted key nothing can be installed, and only the upload route takes a large body") {
    test::TempDir dir, dir2;
    Signer signer;
    auto closed = server(dir.path, {});
    std::string admin = closed->login("admin", {"admin"});
    std::string bytes = fixture_bytes("fx_good2");
    CHECK(test::error_code(upload(*closed, admin, "fx_good2", bytes, signer.sign(bytes))) == "install_disabled");

    auto small = server(dir2.path, {signer.key.public_hex}, [&](Config& c) {
        c.payload_max_bytes = 4096;
        c.upload_max_bytes = static_cast<int64_t>(bytes.size()) + 1024;
    });
    std::string admin2 = small->login("admin", {"admin"});
    // Any other route: refused from the declared length, before the body is read.
    auto big = small->raw("POST", "/api/v1/stations/fx_good/notes", "{\"text\":\"" + std::string(8192, 'x') + "\"}",
                          "application/json", {{"Authorization", "Bearer " + admin2}});
    CHECK(test::error_code(big) == "payload_too_large");
    CHECK(big.body["error"]["details"]["max_bytes"] == 4096);
    // The upload route: a station file far above payload_max_bytes, within upload_max_bytes.
    CHECK(upload(*small, admin2, "fx_good2", bytes, signer.sign(bytes)).status == 201);
    // Past upload_max_bytes even the upload route answers 413 from the head alone.
    CHECK(head_only(small->port(), "PUT", "/api/v1/admin/stations/fx_good2/file", admin2, bytes.size() + 4096) ==
          "HTTP/1.1 413 Payload Too Large");
    CHECK(head_only(small->port(), "POST", "/api/v1/stations/fx_good/notes", admin2, 8192) == "HTTP/1.1 413 Payload Too Large");
}

TEST_CASE("an install or rollback through one worker reaches the other workers at their next tick") {
    test::TempDir dir;
    Signer trusted;
    auto as_worker = [](Config& c) { c.worker = true; };
    auto a = server(dir.path, {trusted.key.public_hex}, as_worker);
    auto b = server(dir.path, {trusted.key.public_hex}, as_worker);
    std::string admin = a->login("admin", {"admin"});
    const std::string v1 = fixture_bytes("fx_good"), v2 = v1 + std::string(16, '\0'), other = fixture_bytes("fx_good2");
    REQUIRE(upload(*a, admin, "fx_good", v2, trusted.sign(v2)).status == 201);
    REQUIRE(upload(*a, admin, "fx_good2", other, trusted.sign(other)).status == 201);
    CHECK(station(*b, admin, "fx_good")["sha256"] == sha_hex(v1));  // b has not looked yet
    b->app().scheduler().tick();
    CHECK(station(*b, admin, "fx_good")["sha256"] == sha_hex(v2));
    CHECK(b->get("/api/v1/stations/fx_good2/ping").status == 200);  // a new station too

    REQUIRE(a->post("/api/v1/admin/stations/fx_good/rollback", json::object(), admin).status == 200);
    b->app().scheduler().tick();
    CHECK(station(*b, admin, "fx_good")["sha256"] == sha_hex(v1));
}
