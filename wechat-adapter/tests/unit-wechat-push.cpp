// SPDX-License-Identifier: MIT
// PushVerifier end to end without HTTP: URL verification, plain/compatible/safe modes, JSON and XML
// bodies, event decoding quirks, freshness and replay, the encrypted reply, and every refusal.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <yz/wechat/encoding.hpp>
#include <yz/wechat/push_cipher.hpp>
#include <yz/wechat/push_reply.hpp>
#include <yz/wechat/push_verifier.hpp>
#include <yz/wechat/signature.hpp>
#include <yz/wechat/xml_reader.hpp>

#include "wechat_test_vectors.hpp"

using namespace yz::wechat;
namespace v = yz::wechat::vectors;

namespace {

constexpr std::int64_t kNow = 1714112445;  // the §5.7 push's timestamp

std::unique_ptr<PushVerifier> make_verifier(PushMode mode, std::int64_t now = kNow,
                                            std::string previous_key = {}) {
    PushConfig config;
    config.token = std::string(v::kPushToken);
    config.appid = std::string(v::kPushAppid);
    config.encoding_aes_key = std::string(v::kPushAesKey);
    config.previous_encoding_aes_key = std::move(previous_key);
    config.mode = mode;
    config.now = [now] { return now; };
    auto verifier = PushVerifier::create(std::move(config));
    REQUIRE(verifier.ok());
    return std::move(verifier).value();
}

/// Query parameters WeChat would send for `encrypt` (empty = plain mode), signed with the §5.7
/// token.
QueryParams signed_query(const std::string& timestamp, const std::string& nonce,
                         const std::string& encrypt = {}) {
    QueryParams q = {{"signature", push_signature(v::kPushToken, timestamp, nonce)},
                     {"timestamp", timestamp},
                     {"nonce", nonce},
                     {"openid", "o9AgO5Kd5ggOC-bXrbNODIiE3bGY"}};
    if (!encrypt.empty()) {
        q.emplace("encrypt_type", "aes");
        q.emplace("msg_signature", push_msg_signature(v::kPushToken, timestamp, nonce, encrypt));
    }
    return q;
}

PushCipher cipher() { return *PushCipher::create(std::string(v::kPushAppid), v::kPushAesKey); }

/// Encrypts `inner` and wraps it as a safe-mode body in the given format.
std::string safe_body(const std::string& encrypt, BodyFormat format) {
    if (format == BodyFormat::xml) {
        return "<xml><ToUserName><![CDATA[gh_97417a04a28d]]></ToUserName><Encrypt>" +
               xml_cdata(encrypt) + "</Encrypt></xml>";
    }
    return nlohmann::json{{"ToUserName", "gh_97417a04a28d"}, {"Encrypt", encrypt}}.dump();
}

/// Runs a plain-mode JSON push through a fresh verifier and returns the decoded message.
PushMessage plain_json(const std::string& body, const std::string& nonce = "1") {
    auto verifier = make_verifier(PushMode::plain);
    auto out = verifier->handle("POST", signed_query(std::to_string(kNow), nonce), body);
    REQUIRE_MESSAGE(out.ok(), std::string(to_string(out.ok() ? Errc::bad_request : out.code())));
    REQUIRE(out->message.has_value());
    return *out->message;
}

}  // namespace

TEST_CASE("GET URL verification echoes echostr for the official example (§5.1)") {
    auto verifier = make_verifier(PushMode::safe, 1714036504);
    QueryParams q = {{"signature", std::string(v::kUrlSignature)},
                     {"timestamp", std::string(v::kUrlTimestamp)},
                     {"nonce", std::string(v::kUrlNonce)},
                     {"echostr", std::string(v::kUrlEchostr)}};
    const auto out = verifier->handle("GET", q, "");
    REQUIRE(out.ok());
    CHECK(out->kind == PushOutcome::Kind::url_verification);
    CHECK(out->response_body == v::kUrlEchostr);

    q.find("signature")->second[0] = 'e';
    auto fresh = make_verifier(PushMode::safe, 1714036504);
    const auto bad = fresh->handle("GET", q, "");
    CHECK(bad.code() == Errc::bad_signature);
    CHECK(PushVerifier::http_status_for(bad.code()) == 401);
}

TEST_CASE("safe mode accepts the official push (§5.7) and decodes it") {
    auto verifier = make_verifier(PushMode::safe);
    const std::string body = safe_body(std::string(v::kPushEncrypt), BodyFormat::json);
    QueryParams q = {{"signature", std::string(v::kPushSignature)},
                     {"timestamp", std::string(v::kPushTimestamp)},
                     {"nonce", std::string(v::kPushNonce)},
                     {"openid", "o9AgO5Kd5ggOC-bXrbNODIiE3bGY"},
                     {"encrypt_type", "aes"},
                     {"msg_signature", std::string(v::kPushMsgSignature)}};
    const auto out = verifier->handle("POST", q, body);
    REQUIRE(out.ok());
    CHECK(out->response_body == "success");
    CHECK(out->encrypted);
    CHECK(out->plaintext == v::kPushMessage);
    REQUIRE(out->message.has_value());
    CHECK(out->message->to_user_name == "gh_97417a04a28d");
    CHECK(out->message->from_user_name == "o9AgO5Kd5ggOC-bXrbNODIiE3bGY");
    CHECK(out->message->create_time == kNow);
    CHECK(out->message->event == "debug_demo");
    CHECK(std::holds_alternative<OtherPush>(out->message->payload));
    CHECK(out->message->dedupe_key() == "event:o9AgO5Kd5ggOC-bXrbNODIiE3bGY:1714112445:debug_demo");
}

TEST_CASE("safe mode authenticates with msg_signature only") {
    const std::string body = safe_body(std::string(v::kPushEncrypt), BodyFormat::json);
    auto base = [] {
        return QueryParams{{"timestamp", std::string(v::kPushTimestamp)},
                           {"nonce", std::string(v::kPushNonce)},
                           {"encrypt_type", "aes"}};
    };
    SUBCASE("a wrong plain signature does not matter") {
        auto q = base();
        q.emplace("signature", "0000000000000000000000000000000000000000");
        q.emplace("msg_signature", std::string(v::kPushMsgSignature));
        CHECK(make_verifier(PushMode::safe)->handle("POST", q, body).ok());
    }
    SUBCASE("a right plain signature cannot stand in for msg_signature") {
        auto q = base();
        q.emplace("signature", std::string(v::kPushSignature));
        q.emplace("msg_signature", std::string(v::kPushSignature));
        CHECK(make_verifier(PushMode::safe)->handle("POST", q, body).code() == Errc::bad_signature);
    }
    SUBCASE("missing msg_signature") {
        auto q = base();
        q.emplace("signature", std::string(v::kPushSignature));
        CHECK(make_verifier(PushMode::safe)->handle("POST", q, body).code() == Errc::missing_field);
    }
    SUBCASE("a changed Encrypt no longer matches msg_signature") {
        auto q = base();
        q.emplace("msg_signature", std::string(v::kPushMsgSignature));
        std::string other(v::kPushEncrypt);
        other[0] = 'X';
        CHECK(make_verifier(PushMode::safe)
                  ->handle("POST", q, safe_body(other, BodyFormat::json))
                  .code() == Errc::bad_signature);
    }
    SUBCASE("plain body in safe mode is refused") {
        const auto q = signed_query(std::to_string(kNow), "7");
        CHECK(make_verifier(PushMode::safe)->handle("POST", q, v::kPushMessage).code() ==
              Errc::missing_field);
    }
}

TEST_CASE("timestamp window and replayed nonces") {
    const std::string encrypt = *cipher().encrypt(v::kPushMessage);
    const std::string body = safe_body(encrypt, BodyFormat::json);
    auto at = [&](std::int64_t skew, const std::string& nonce) {
        return make_verifier(PushMode::safe, kNow + skew)
            ->handle("POST", signed_query(std::to_string(kNow), nonce, encrypt), body);
    };
    CHECK(at(300, "1").ok());
    CHECK(at(-300, "1").ok());
    CHECK(at(301, "1").code() == Errc::stale_timestamp);
    CHECK(at(-301, "1").code() == Errc::stale_timestamp);
    CHECK(PushVerifier::http_status_for(Errc::stale_timestamp) == 401);

    auto verifier = make_verifier(PushMode::safe);
    const auto q = signed_query(std::to_string(kNow), "42", encrypt);
    CHECK(verifier->handle("POST", q, body).ok());
    const auto replay = verifier->handle("POST", q, body);
    CHECK(replay.code() == Errc::replayed_nonce);
    CHECK(PushVerifier::http_status_for(replay.code()) == 401);
    // A different nonce is a different push.
    CHECK(verifier->handle("POST", signed_query(std::to_string(kNow), "43", encrypt), body).ok());
}

TEST_CASE("bodies: size limit, XML bomb, garbage, bad parameters") {
    const auto q = signed_query(std::to_string(kNow), "9");
    SUBCASE("huge body") {
        const std::string huge =
            "{\"MsgType\":\"text\",\"Content\":\"" + std::string(70000, 'x') + "\"}";
        const auto out = make_verifier(PushMode::plain)->handle("POST", q, huge);
        CHECK(out.code() == Errc::body_too_large);
        CHECK(PushVerifier::http_status_for(out.code()) == 413);
    }
    SUBCASE("XML bomb with DOCTYPE, plain and inside the ciphertext") {
        const std::string bomb =
            "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b "
            "\"&a;&a;&a;&a;&a;&a;&a;&a;\">]><xml><MsgType>&b;</MsgType></xml>";
        CHECK(make_verifier(PushMode::plain)->handle("POST", q, bomb).code() == Errc::bad_xml);
        const std::string enc = *cipher().encrypt(bomb);
        CHECK(make_verifier(PushMode::safe)
                  ->handle("POST", signed_query(std::to_string(kNow), "9", enc),
                           safe_body(enc, BodyFormat::xml))
                  .code() == Errc::bad_xml);
    }
    SUBCASE("neither JSON nor XML, JSON array, broken JSON") {
        CHECK(make_verifier(PushMode::plain)->handle("POST", q, "MsgType=text").code() ==
              Errc::bad_request);
        CHECK(make_verifier(PushMode::plain)->handle("POST", q, "{\"MsgType\":").code() ==
              Errc::bad_json);
        CHECK(make_verifier(PushMode::plain)->handle("POST", q, "{}").code() ==
              Errc::missing_field);
    }
    SUBCASE("bad signature in plain mode") {
        auto bad = q;
        bad.find("signature")->second = "x";
        CHECK(
            make_verifier(PushMode::plain)->handle("POST", bad, "{\"MsgType\":\"text\"}").code() ==
            Errc::bad_signature);
    }
    SUBCASE("duplicate parameter, non-numeric timestamp, wrong method, wrong encrypt_type") {
        auto dup = q;
        dup.emplace("nonce", "10");
        CHECK(
            make_verifier(PushMode::plain)->handle("POST", dup, "{\"MsgType\":\"text\"}").code() ==
            Errc::bad_request);
        const auto nts = signed_query("17141124x5", "9");
        CHECK(
            make_verifier(PushMode::plain)->handle("POST", nts, "{\"MsgType\":\"text\"}").code() ==
            Errc::bad_request);
        CHECK(make_verifier(PushMode::plain)->handle("PUT", q, "").code() == Errc::bad_request);
        const std::string enc = *cipher().encrypt(v::kPushMessage);
        auto typed = signed_query(std::to_string(kNow), "9", enc);
        typed.find("encrypt_type")->second = "des";
        CHECK(make_verifier(PushMode::safe)
                  ->handle("POST", typed, safe_body(enc, BodyFormat::json))
                  .code() == Errc::bad_request);
    }
    SUBCASE("wrong appid inside a correctly signed push") {
        const auto other = *PushCipher::create("wx0000000000000000", v::kPushAesKey);
        const std::string enc = *other.encrypt(v::kPushMessage);
        CHECK(make_verifier(PushMode::safe)
                  ->handle("POST", signed_query(std::to_string(kNow), "9", enc),
                           safe_body(enc, BodyFormat::json))
                  .code() == Errc::wrong_appid);
    }
}

TEST_CASE("XML safe mode: subscribe_msg_popup_event with a wrapped List") {
    const std::string inner =
        "<xml><ToUserName><![CDATA[gh_97417a04a28d]]></ToUserName>"
        "<FromUserName><![CDATA[oUser]]></FromUserName><CreateTime>1714112445</CreateTime>"
        "<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[subscribe_msg_popup_event]]></Event>"
        "<SubscribeMsgPopupEvent>"
        "<List><TemplateId><![CDATA[T1]]></TemplateId><SubscribeStatusString><![CDATA[accept]]>"
        "</SubscribeStatusString><PopupScene>0</PopupScene></List>"
        "<List><TemplateId><![CDATA[T2]]></TemplateId><SubscribeStatusString><![CDATA[reject]]>"
        "</SubscribeStatusString><PopupScene>2</PopupScene></List>"
        "</SubscribeMsgPopupEvent></xml>";
    const std::string enc = *cipher().encrypt(inner);
    const auto out = make_verifier(PushMode::safe)
                         ->handle("POST", signed_query(std::to_string(kNow), "5", enc),
                                  safe_body(enc, BodyFormat::xml));
    REQUIRE(out.ok());
    CHECK(out->format == BodyFormat::xml);
    const auto* popup = std::get_if<SubscribePopupEvent>(&out->message->payload);
    REQUIRE(popup != nullptr);
    REQUIRE(popup->decisions.size() == 2);
    CHECK(popup->decisions[0].template_id == "T1");
    CHECK(popup->decisions[0].accepted());
    CHECK(popup->decisions[0].popup_scene == 0);
    CHECK_FALSE(popup->decisions[1].accepted());
    CHECK(popup->decisions[1].popup_scene == 2);
}

TEST_CASE("JSON quirks: List as object or array, numbers as strings, MsgID beyond 2^53") {
    SUBCASE("popup with one template: List is an object, PopupScene a string") {
        const auto m =
            plain_json(R"({"FromUserName":"oU","CreateTime":"1714112445","MsgType":"event",
            "Event":"subscribe_msg_popup_event","List":{"TemplateId":"T1",
            "SubscribeStatusString":"accept","PopupScene":"0"}})");
        CHECK(m.create_time == 1714112445);
        const auto& p = std::get<SubscribePopupEvent>(m.payload);
        REQUIRE(p.decisions.size() == 1);
        CHECK(p.decisions[0].template_id == "T1");
        CHECK(p.decisions[0].popup_scene == 0);
    }
    SUBCASE("change event with several templates: List is an array") {
        const auto m = plain_json(R"({"FromUserName":"oU","CreateTime":1,"MsgType":"event",
            "Event":"subscribe_msg_change_event","List":[{"TemplateId":"T1",
            "SubscribeStatusString":"reject"},{"TemplateId":"T2","SubscribeStatusString":"accept"}]})");
        const auto& c = std::get<SubscribeChangeEvent>(m.payload);
        REQUIRE(c.decisions.size() == 2);
        CHECK_FALSE(c.decisions[0].accepted());
        CHECK(c.decisions[1].accepted());
        CHECK_FALSE(c.decisions[0].popup_scene.has_value());
    }
    SUBCASE("sent event: MsgID as a big number, ErrorCode as a string") {
        const auto m = plain_json(R"({"FromUserName":"oU","CreateTime":1,"MsgType":"event",
            "Event":"subscribe_msg_sent_event","List":{"TemplateId":"T1","MsgID":1700827132819554304,
            "ErrorCode":"0","ErrorStatus":"success"}})");
        const auto& s = std::get<SubscribeSentEvent>(m.payload);
        REQUIRE(s.results.size() == 1);
        CHECK(s.results[0].msg_id == "1700827132819554304");
        CHECK(s.results[0].delivered());
    }
    SUBCASE("sent event with a failure code") {
        const auto m = plain_json(R"({"MsgType":"event","Event":"subscribe_msg_sent_event",
            "List":[{"TemplateId":"T1","MsgID":"1","ErrorCode":10004,"ErrorStatus":"fail"}]})");
        CHECK_FALSE(std::get<SubscribeSentEvent>(m.payload).results[0].delivered());
    }
    SUBCASE("user_enter_tempsession") {
        const auto m = plain_json(R"({"FromUserName":"oU","CreateTime":1,"MsgType":"event",
            "Event":"user_enter_tempsession","SessionFrom":"booking-42"})");
        CHECK(std::get<EnterTempSessionEvent>(m.payload).session_from == "booking-42");
    }
    SUBCASE("numbers no int64 holds are no number at all (fuzz_push_body found the float case)") {
        for (const char* t : {"7.12e129", "18446744073709551615", "1.5", "-1e300"}) {
            CAPTURE(t);
            const auto m = plain_json(std::string(R"({"FromUserName":"oU","MsgType":"text","Content":"x","MsgId":"9","CreateTime":)") + t + "}");
            CHECK(m.create_time == 0);
        }
        CHECK(plain_json(R"({"MsgType":"text","Content":"x","MsgId":"9","CreateTime":1714112445.0})").create_time == 1714112445);
    }
    SUBCASE("customer-service text, image and miniprogrampage") {
        const auto t = plain_json(R"({"FromUserName":"oU","CreateTime":1,"MsgType":"text",
            "Content":"你好","MsgId":23637352235060880})");
        CHECK(std::get<TextMessage>(t.payload).content == "你好");
        CHECK(t.dedupe_key() == "msg:23637352235060880");
        const auto i =
            plain_json(R"({"MsgType":"image","PicUrl":"http://p","MediaId":"m1","MsgId":"2"})");
        CHECK(std::get<ImageMessage>(i.payload).media_id == "m1");
        const auto p = plain_json(R"({"MsgType":"miniprogrampage","Title":"t","AppId":"wx1",
            "PagePath":"pages/a","ThumbUrl":"u","ThumbMediaId":"tm","MsgId":"3"})");
        CHECK(std::get<MiniProgramPageMessage>(p.payload).page_path == "pages/a");
    }
}

TEST_CASE("compatible mode uses the decrypted copy, or the plain signature without Encrypt") {
    const std::string inner = R"({"MsgType":"text","Content":"from the ciphertext","MsgId":"1"})";
    const std::string enc = *cipher().encrypt(inner);
    const std::string body = nlohmann::json{
        {"MsgType", "text"},
        {"Content", "from the plaintext"},
        {"MsgId", "1"},
        {"Encrypt", enc}}.dump();
    const auto out = make_verifier(PushMode::compatible)
                         ->handle("POST", signed_query(std::to_string(kNow), "3", enc), body);
    REQUIRE(out.ok());
    CHECK(std::get<TextMessage>(out->message->payload).content == "from the ciphertext");

    const auto plain = make_verifier(PushMode::compatible)
                           ->handle("POST", signed_query(std::to_string(kNow), "4"), inner);
    REQUIRE(plain.ok());
    CHECK_FALSE(plain->encrypted);
}

TEST_CASE("encrypted reply (§5.4) in JSON and XML, with the key that decrypted the push") {
    const std::string old_key(v::kPushAesKey);
    const std::string new_key = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    auto verifier = [&] {
        PushConfig c;
        c.token = "tok";
        c.appid = std::string(v::kPushAppid);
        c.encoding_aes_key = new_key;
        c.previous_encoding_aes_key = old_key;
        c.now = [] { return kNow; };
        return std::move(PushVerifier::create(std::move(c))).value();
    }();
    const auto old_cipher = *PushCipher::create(std::string(v::kPushAppid), old_key);
    const std::string enc = *old_cipher.encrypt(R"({"MsgType":"text","Content":"hi","MsgId":"9"})");
    QueryParams q = {
        {"timestamp", std::to_string(kNow)},
        {"nonce", "777"},
        {"encrypt_type", "aes"},
        {"msg_signature", push_msg_signature("tok", std::to_string(kNow), "777", enc)}};
    const auto pushed = verifier->handle("POST", q, safe_body(enc, BodyFormat::json));
    REQUIRE(pushed.ok());
    CHECK(pushed->key_slot == PushCipher::KeySlot::previous);

    const auto reply = verifier->encrypted_reply(*pushed, "reply text");
    REQUIRE(reply.ok());
    const auto j = nlohmann::json::parse(*reply);
    CHECK(j["Nonce"] == "777");
    CHECK(j["TimeStamp"] == kNow);
    const std::string reply_encrypt = j["Encrypt"];
    CHECK(j["MsgSignature"] ==
          push_msg_signature("tok", std::to_string(kNow), "777", reply_encrypt));
    CHECK(old_cipher.decrypt(reply_encrypt)->message == "reply text");

    const auto xml = build_encrypted_reply(old_cipher, PushCipher::KeySlot::current, "tok", "x",
                                           "1", kNow, BodyFormat::xml);
    REQUIRE(xml.ok());
    const auto doc = parse_xml(*xml);
    REQUIRE(doc.ok());
    CHECK(doc->child("TimeStamp")->text == std::to_string(kNow));
    CHECK(doc->child("MsgSignature")->text ==
          push_msg_signature("tok", std::to_string(kNow), "1", doc->child("Encrypt")->text));
    CHECK(old_cipher.decrypt(doc->child("Encrypt")->text)->message == "x");
}

TEST_CASE("configuration is checked at creation") {
    PushConfig c;
    c.token = "t";
    c.appid = "wx1";
    CHECK(PushVerifier::create(c).code() == Errc::missing_field);  // safe mode needs a key
    c.mode = PushMode::plain;
    CHECK(PushVerifier::create(c).ok());
    c.encoding_aes_key = "too-short";
    CHECK(PushVerifier::create(c).code() == Errc::bad_key);
    c.token.clear();
    CHECK(PushVerifier::create(c).code() == Errc::missing_field);
}

TEST_CASE("nonce cache stays bounded and forgets expired entries") {
    NonceCache cache(3, 10);
    CHECK(cache.remember("a", 100));
    CHECK_FALSE(cache.remember("a", 105));
    CHECK(cache.remember("b", 100));
    CHECK(cache.remember("c", 100));
    CHECK(cache.remember("d", 100));  // evicts the oldest
    CHECK(cache.size() == 3);
    CHECK(cache.remember("a", 109));  // "a" was evicted to make room
    CHECK(cache.remember("e", 111));  // b, c, d, first a expired at 110
    CHECK(cache.size() <= 2);
    CHECK_FALSE(cache.remember("e", 112));
}
