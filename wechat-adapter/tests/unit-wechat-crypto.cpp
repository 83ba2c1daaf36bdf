// SPDX-License-Identifier: MIT
// Crypto of the WeChat adapter against the official vectors (PROTOCOL.md §1.2, §1.3, §3.2, §5.1,
// §5.7), round trips, and every tampered input that must be refused.
#include <doctest/doctest.h>
#include <openssl/evp.h>

#include <memory>
#include <string>
#include <yz/wechat/encoding.hpp>
#include <yz/wechat/push_cipher.hpp>
#include <yz/wechat/sealed_box.hpp>
#include <yz/wechat/signature.hpp>
#include <yz/wechat/user_data.hpp>
#include <yz/wechat/utf8.hpp>

#include "wechat_test_vectors.hpp"

using namespace yz::wechat;
namespace v = yz::wechat::vectors;

namespace {

/// AES-CBC with OpenSSL padding off, to craft ciphertexts with deliberately wrong padding/layout.
std::string raw_cbc_encrypt(const std::string& key, const std::string& iv,
                            const std::string& plain) {
    const EVP_CIPHER* cipher = key.size() == 16 ? EVP_aes_128_cbc() : EVP_aes_256_cbc();
    std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(),
                                                                        &EVP_CIPHER_CTX_free);
    std::string out(plain.size() + 32, '\0');
    int n1 = 0;
    int n2 = 0;
    auto* o = reinterpret_cast<unsigned char*>(out.data());
    REQUIRE(EVP_EncryptInit_ex(ctx.get(), cipher, nullptr,
                               reinterpret_cast<const unsigned char*>(key.data()),
                               reinterpret_cast<const unsigned char*>(iv.data())) == 1);
    EVP_CIPHER_CTX_set_padding(ctx.get(), 0);
    REQUIRE(EVP_EncryptUpdate(ctx.get(), o, &n1,
                              reinterpret_cast<const unsigned char*>(plain.data()),
                              static_cast<int>(plain.size())) == 1);
    REQUIRE(EVP_EncryptFinal_ex(ctx.get(), o + n1, &n2) == 1);
    out.resize(static_cast<std::size_t>(n1 + n2));
    return out;
}

std::string be32(std::uint32_t n) {
    return {static_cast<char>(n >> 24), static_cast<char>((n >> 16) & 0xff),
            static_cast<char>((n >> 8) & 0xff), static_cast<char>(n & 0xff)};
}

/// The §5.7 push plaintext layout with arbitrary msg_len, trailer and final padding bytes.
std::string crafted_push(std::uint32_t msg_len, const std::string& msg, const std::string& trailer,
                         const std::string& padding) {
    const std::string key(32, '\0');  // the §5.7 all-zero key
    const std::string plain = "0123456789abcdef" + be32(msg_len) + msg + trailer + padding;
    REQUIRE(plain.size() % 32 == 0);
    return base64_encode(raw_cbc_encrypt(key, key.substr(0, 16), plain));
}

PushCipher official_cipher(std::string_view appid = v::kPushAppid) {
    auto c = PushCipher::create(std::string(appid), v::kPushAesKey);
    REQUIRE(c.ok());
    return std::move(c).value();
}

}  // namespace

TEST_CASE("hex and base64 encode and decode strictly") {
    CHECK(to_hex(std::string("\x00\x7f\xff", 3)) == "007fff");
    CHECK(*from_hex("007FfF") == std::string("\x00\x7f\xff", 3));
    CHECK(from_hex("abc").code() == Errc::bad_encoding);
    CHECK(from_hex("zz").code() == Errc::bad_encoding);

    CHECK(base64_encode("") == "");
    CHECK(base64_encode("f") == "Zg==");
    CHECK(base64_encode("foob") == "Zm9vYg==");
    CHECK(*base64_decode("Zm9vYg==") == "foob");
    CHECK(*base64_decode("Zm9v\r\n Ym Fy\t") == "foobar");          // line-wrapped SDK samples
    CHECK(base64_decode("Zm9vYg=").code() == Errc::bad_encoding);   // length
    CHECK(base64_decode("Zm9v*mFy").code() == Errc::bad_encoding);  // alphabet
    CHECK(base64_decode("Zm=vYmFy").code() == Errc::bad_encoding);  // '=' in the middle
    CHECK(base64_decode("Zh==").code() == Errc::bad_encoding);      // non-zero unused bits
}

TEST_CASE("random helpers draw from the CSPRNG") {
    const auto a = random_alnum(64);
    const auto b = random_alnum(64);
    CHECK(a.size() == 64);
    CHECK(a != b);
    CHECK(a.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") ==
          std::string::npos);
    CHECK(random_bytes(32) != random_bytes(32));
}

TEST_CASE("push signatures match the official vectors") {
    SUBCASE("URL verification example (§5.1)") {
        CHECK(push_signature(v::kPushToken, v::kUrlTimestamp, v::kUrlNonce) == v::kUrlSignature);
    }
    SUBCASE("safe-mode msg_signature and plain signature of the same push (§5.7)") {
        CHECK(push_msg_signature(v::kPushToken, v::kPushTimestamp, v::kPushNonce,
                                 v::kPushEncrypt) == v::kPushMsgSignature);
        CHECK(push_signature(v::kPushToken, v::kPushTimestamp, v::kPushNonce) == v::kPushSignature);
    }
    SUBCASE("a changed input changes the signature") {
        CHECK(push_signature("AAAAB", v::kUrlTimestamp, v::kUrlNonce) != v::kUrlSignature);
    }
}

TEST_CASE("constant_time_equal compares content and length") {
    CHECK(constant_time_equal("abc", "abc"));
    CHECK_FALSE(constant_time_equal("abc", "abd"));
    CHECK_FALSE(constant_time_equal("abc", "abcd"));
    CHECK(constant_time_equal("", ""));
}

TEST_CASE("login-state HMAC is keyed with the session_key text (§1.2)") {
    CHECK(login_state_signature(v::kHmacKey, v::kHmacBody) == v::kHmacSignature);
    // The doc's abbreviated form, so a typo in the full constant cannot hide a wrong rule.
    CHECK(std::string(v::kHmacSignature).starts_with("654571f7"));
    CHECK(std::string(v::kHmacSignature).ends_with("2aa0b"));
    // PROTOCOL.md: the base64-decoded key gives "bfa68836…" instead, which is wrong.
    const auto decoded_key = base64_decode(v::kHmacKey);
    REQUIRE(decoded_key.ok());
    CHECK(login_state_signature(*decoded_key, v::kHmacBody).starts_with("bfa68836"));
}

TEST_CASE("rawData signature is sha1(rawData + session_key) (§1.3)") {
    CHECK(raw_data_signature(v::kRawData, v::kRawDataSessionKey) == v::kRawDataSignature);
    CHECK(verify_raw_data_signature(v::kRawData, v::kRawDataSessionKey, v::kRawDataSignature));
    CHECK(verify_raw_data_signature(v::kRawData, v::kRawDataSessionKey,
                                    "75E81CEDA165F4FFA64F4068AF58C64B8F54B88C"));
    CHECK_FALSE(verify_raw_data_signature(v::kRawData, v::kRawDataSessionKey,
                                          "75e81ceda165f4ffa64f4068af58c64b8f54b88d"));
    CHECK_FALSE(verify_raw_data_signature(std::string(v::kRawData) + " ", v::kRawDataSessionKey,
                                          v::kRawDataSignature));
}

TEST_CASE("push cipher decrypts the official vector (§5.7)") {
    const auto cipher = official_cipher();
    const auto ciphertext = base64_decode(v::kPushEncrypt);
    REQUIRE(ciphertext.ok());
    CHECK(ciphertext->size() == 224);
    const auto d = cipher.decrypt(v::kPushEncrypt);
    REQUIRE(d.ok());
    CHECK(d->message == v::kPushMessage);
    CHECK(d->message.size() == 167);
    CHECK(d->key_slot == PushCipher::KeySlot::current);
}

TEST_CASE("push cipher re-encrypts the official vector byte for byte") {
    // Same key, IV and random16 → CBC is deterministic, so this pins the layout and the 32-byte
    // padding exactly (205 plaintext bytes → 19 pad bytes → 224).
    const auto e = official_cipher().encrypt_with_random(v::kPushMessage, v::kPushRandom16);
    REQUIRE(e.ok());
    CHECK(*e == v::kPushEncrypt);
}

TEST_CASE("push cipher round trips with random16 and lengths around the 32-byte block") {
    const auto cipher = official_cipher();
    for (std::size_t len : {0u, 1u, 12u, 13u, 31u, 32u, 33u, 1000u}) {
        CAPTURE(len);
        const std::string msg(len, 'x');
        const auto e = cipher.encrypt(msg);
        REQUIRE(e.ok());
        CHECK(base64_decode(*e)->size() % 32 == 0);
        const auto d = cipher.decrypt(*e);
        REQUIRE(d.ok());
        CHECK(d->message == msg);
    }
    CHECK(*cipher.encrypt("same") != *cipher.encrypt("same"));  // random16 differs each time
}

TEST_CASE("push cipher refuses tampered input") {
    const auto cipher = official_cipher();
    const std::string appid(v::kPushAppid);
    const std::string msg = "{}";
    const std::size_t used = 20 + msg.size() + appid.size();  // 40 → 24 pad bytes
    const std::string good_pad(64 - used, static_cast<char>(64 - used));

    SUBCASE("crafted well-formed input is accepted (control)") {
        const auto d = cipher.decrypt(crafted_push(2, msg, appid, good_pad));
        REQUIRE(d.ok());
        CHECK(d->message == msg);
    }
    SUBCASE("wrong appid") {
        CHECK(official_cipher("wx0000000000000000").decrypt(v::kPushEncrypt).code() ==
              Errc::wrong_appid);
    }
    SUBCASE("pad value zero") {
        std::string pad = good_pad;
        pad.back() = '\0';
        CHECK(cipher.decrypt(crafted_push(2, msg, appid, pad)).code() == Errc::bad_padding);
    }
    SUBCASE("pad value above 32") {
        const std::string pad(good_pad.size() - 1, 'x');
        CHECK(cipher.decrypt(crafted_push(2, msg, appid, pad + "\x21")).code() ==
              Errc::bad_padding);
    }
    SUBCASE("pad bytes not all equal") {
        std::string pad = good_pad;
        pad[0] = 0x01;
        CHECK(cipher.decrypt(crafted_push(2, msg, appid, pad)).code() == Errc::bad_padding);
    }
    SUBCASE("msg_len beyond the plaintext") {
        CHECK(cipher.decrypt(crafted_push(1000, msg, appid, good_pad)).code() == Errc::bad_layout);
    }
    SUBCASE("msg_len too short leaves extra bytes before the appid") {
        CHECK(cipher.decrypt(crafted_push(1, msg, appid, good_pad)).code() == Errc::wrong_appid);
    }
    SUBCASE("truncated by one block") {
        auto bytes = *base64_decode(v::kPushEncrypt);
        bytes.resize(bytes.size() - 16);
        CHECK_FALSE(cipher.decrypt(base64_encode(bytes)).ok());
    }
    SUBCASE("length not a multiple of 16") {
        auto bytes = *base64_decode(v::kPushEncrypt);
        bytes.resize(bytes.size() - 3);
        CHECK(cipher.decrypt(base64_encode(bytes)).code() == Errc::bad_ciphertext);
    }
    SUBCASE("a flipped bit in the last block breaks the padding") {
        auto bytes = *base64_decode(v::kPushEncrypt);
        bytes[bytes.size() - 20] ^= 0x01;  // second-to-last block → flips a pad byte (CBC)
        CHECK(cipher.decrypt(base64_encode(bytes)).code() == Errc::bad_padding);
    }
    SUBCASE("not base64") {
        CHECK(cipher.decrypt("!!!!").code() == Errc::bad_encoding);
        CHECK(cipher.decrypt("").code() == Errc::bad_ciphertext);
    }
}

TEST_CASE("push cipher keys: validation and rotation") {
    CHECK(PushCipher::create("wx1", "short").code() == Errc::bad_key);
    CHECK(PushCipher::create("wx1", std::string(42, 'A') + "-").code() == Errc::bad_key);
    CHECK(PushCipher::create("", v::kPushAesKey).code() == Errc::missing_field);
    CHECK(PushCipher::create("wx1", v::kPushAesKey, "bad").code() == Errc::bad_key);
    // The console's keys need not be canonical base64 in their last character.
    CHECK(PushCipher::create("wx1", std::string(42, 'A') + "B").ok());

    const std::string old_key = v::kPushAesKey.data();
    const std::string new_key = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    const auto before = *PushCipher::create("wxrot", old_key);
    const auto during = *PushCipher::create("wxrot", new_key, old_key);
    const auto d_old = during.decrypt(*before.encrypt("sent with the old key"));
    REQUIRE(d_old.ok());
    CHECK(d_old->key_slot == PushCipher::KeySlot::previous);
    CHECK(d_old->message == "sent with the old key");
    const auto d_new = during.decrypt(*during.encrypt("new"));
    REQUIRE(d_new.ok());
    CHECK(d_new->key_slot == PushCipher::KeySlot::current);
    // Replying with the slot that worked lets a sender still on the old key read it.
    CHECK(before.decrypt(*during.encrypt("reply", PushCipher::KeySlot::previous))->message ==
          "reply");
    CHECK_FALSE(before.decrypt(*during.encrypt("reply", PushCipher::KeySlot::current)).ok());
    CHECK(before.encrypt("x", PushCipher::KeySlot::previous).code() == Errc::bad_key);
}

TEST_CASE("user data: the official decryption sample (§3.2)") {
    const auto d = decrypt_user_data(v::kUserDataAppid, v::kUserDataSessionKey,
                                     v::kUserDataEncrypted, v::kUserDataIv);
    REQUIRE(d.ok());
    CHECK(d->watermark_timestamp == 1477314187);
    CHECK(d->json.find(R"("openId":"oGZUI0egBJY1zhBYw2KhdUfwVJJE")") != std::string::npos);
    CHECK(d->json.find(R"("unionId":"ocMvos6NjeKLIBqg5Mr9QjxrP1FA")") != std::string::npos);
}

TEST_CASE("user data: refusals") {
    const std::string key = *base64_decode(v::kUserDataSessionKey);
    const std::string iv = *base64_decode(v::kUserDataIv);
    auto encrypt = [&](const std::string& plain) {
        return base64_encode(raw_cbc_encrypt(key, iv, plain));
    };
    auto decrypt = [&](const std::string& data) {
        return decrypt_user_data(v::kUserDataAppid, v::kUserDataSessionKey, data, v::kUserDataIv);
    };
    const std::string json_ok =
        R"({"a":1,"watermark":{"appid":"wx4f4bc4dec97d474b","timestamp":5}})";

    SUBCASE("crafted control decrypts") {
        const std::string padded =
            json_ok +
            std::string(16 - json_ok.size() % 16, static_cast<char>(16 - json_ok.size() % 16));
        CHECK(decrypt(encrypt(padded))->watermark_timestamp == 5);
    }
    SUBCASE("wrong appid") {
        CHECK(decrypt_user_data("wx0000000000000000", v::kUserDataSessionKey, v::kUserDataEncrypted,
                                v::kUserDataIv)
                  .code() == Errc::wrong_appid);
    }
    SUBCASE("bad padding: value 0, value 17, unequal bytes") {
        const std::string body(32, ' ');
        CHECK(decrypt(encrypt(body.substr(0, 31) + '\0')).code() == Errc::bad_padding);
        CHECK(decrypt(encrypt(body.substr(0, 31) + '\x11')).code() == Errc::bad_padding);
        CHECK(decrypt(encrypt(body.substr(0, 29) + "\x01\x03\x03")).code() == Errc::bad_padding);
    }
    SUBCASE("not a multiple of 16, truncated") {
        auto bytes = *base64_decode(v::kUserDataEncrypted);
        CHECK(decrypt(base64_encode(bytes.substr(0, bytes.size() - 1))).code() ==
              Errc::bad_ciphertext);
        CHECK_FALSE(decrypt(base64_encode(bytes.substr(0, bytes.size() - 16))).ok());
    }
    SUBCASE("no watermark, not JSON") {
        const std::string no_wm = R"({"a":1})" + std::string(9, '\x09');
        CHECK(decrypt(encrypt(no_wm)).code() == Errc::missing_field);
        CHECK(decrypt(encrypt("not json" + std::string(8, '\x08'))).code() == Errc::bad_json);
    }
    SUBCASE("key and iv sizes") {
        CHECK(decrypt_user_data(v::kUserDataAppid, "AAAA", v::kUserDataEncrypted, v::kUserDataIv)
                  .code() == Errc::bad_key);
        CHECK(decrypt_user_data(v::kUserDataAppid, v::kUserDataSessionKey, v::kUserDataEncrypted,
                                "AAAA")
                  .code() == Errc::bad_key);
    }
}

TEST_CASE("sealed box: AES-256-GCM round trip and refusals") {
    const std::string key = random_bytes(kSealedBoxKeySize);
    const auto sealed = seal(key, "13800138000", "openid-1");
    REQUIRE(sealed.ok());
    CHECK(sealed->size() == 11 + kSealedBoxOverhead);
    CHECK(*unseal(key, *sealed, "openid-1") == "13800138000");
    CHECK(*seal(key, "13800138000", "openid-1") != *sealed);  // fresh nonce each time
    CHECK(*unseal(key, *seal(key, ""), "") == "");

    CHECK(unseal(key, *sealed, "openid-2").code() == Errc::auth_failed);
    CHECK(unseal(random_bytes(32), *sealed, "openid-1").code() == Errc::auth_failed);
    for (std::size_t i = 1; i < sealed->size(); i += 7) {
        std::string flipped = *sealed;
        flipped[i] ^= 0x40;
        CAPTURE(i);
        CHECK(unseal(key, flipped, "openid-1").code() == Errc::auth_failed);
    }
    CHECK(unseal(key, sealed->substr(0, kSealedBoxOverhead - 1), "openid-1").code() ==
          Errc::bad_ciphertext);
    std::string other_version = *sealed;
    other_version[0] = 0x02;
    CHECK(unseal(key, other_version, "openid-1").code() == Errc::bad_ciphertext);
    CHECK(seal("short", "x").code() == Errc::bad_key);
}

TEST_CASE("UTF-8 decoding is strict and truncation counts code points") {
    CHECK(decode_utf8("a中😀")->size() == 3);
    CHECK_FALSE(decode_utf8("\xC0\xAF").has_value());          // overlong '/'
    CHECK_FALSE(decode_utf8("\xED\xA0\x80").has_value());      // surrogate
    CHECK_FALSE(decode_utf8("\xE4\xB8").has_value());          // truncated
    CHECK_FALSE(decode_utf8("\xF4\x90\x80\x80").has_value());  // > U+10FFFF
    CHECK(truncate_code_points("一二三四五", 5) == "一二三四五");
    CHECK(truncate_code_points("一二三四五六", 5) == "一二三四…");
}
