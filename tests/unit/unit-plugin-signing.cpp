// SPDX-License-Identifier: MIT
// Station file signatures: Ed25519 over the file's SHA-256, verified only against trusted keys.
#include <doctest/doctest.h>

#include <stdexcept>

#include "plugin_signing.hpp"

using namespace yz;

TEST_CASE("a signature verifies for the signed bytes and the trusted key, and for nothing else") {
    auto signer = plugin_signing::generate(), stranger = plugin_signing::generate();
    CHECK(plugin_signing::valid_public_hex(signer.public_hex));
    CHECK(plugin_signing::public_hex_of(signer.private_pem) == signer.public_hex);
    CHECK(signer.public_hex != stranger.public_hex);

    std::string file = std::string("\x7f" "ELF", 4) + std::string(4096, 'x');
    std::string sig = plugin_signing::sign(file, signer.private_pem);
    CHECK(sig.size() == 128);
    CHECK(plugin_signing::verify(file, sig, {stranger.public_hex, signer.public_hex}) == signer.public_hex);

    CHECK_FALSE(plugin_signing::verify(file, sig, {stranger.public_hex}));  // not trusted
    CHECK_FALSE(plugin_signing::verify(file, sig, {}));
    std::string altered = file;
    altered[100] ^= 1;
    CHECK_FALSE(plugin_signing::verify(altered, sig, {signer.public_hex}));
    std::string forged = sig;
    forged[0] = forged[0] == 'a' ? 'b' : 'a';
    CHECK_FALSE(plugin_signing::verify(file, forged, {signer.public_hex}));
    CHECK_FALSE(plugin_signing::verify(file, sig.substr(0, 126), {signer.public_hex}));
    CHECK_FALSE(plugin_signing::verify(file, "zz" + sig.substr(2), {signer.public_hex}));
    CHECK_FALSE(plugin_signing::verify(file, sig, {"not hex"}));
}

TEST_CASE("anything but an Ed25519 private key is refused for signing") {
    CHECK_THROWS_AS(plugin_signing::sign("x", "not a key"), std::invalid_argument);
    CHECK_THROWS_AS(plugin_signing::public_hex_of(""), std::invalid_argument);
    CHECK_FALSE(plugin_signing::valid_public_hex(std::string(63, 'a')));
    CHECK_FALSE(plugin_signing::valid_public_hex(std::string(64, 'g')));
}
