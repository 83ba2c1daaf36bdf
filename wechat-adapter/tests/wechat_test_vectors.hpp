// SPDX-License-Identifier: MIT
// Official vectors shared by the WeChat adapter's tests, each with its source.
#pragma once

#include <string_view>

namespace yz::wechat::vectors {

// PROTOCOL.md §5.7: the official mini-program "message push" page (all-zero throw-away key).
inline constexpr std::string_view kPushToken = "AAAAA";
inline constexpr std::string_view kPushAesKey = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
inline constexpr std::string_view kPushAppid = "wxba5fad812f8e6fb9";
inline constexpr std::string_view kPushTimestamp = "1714112445";
inline constexpr std::string_view kPushNonce = "415670741";
inline constexpr std::string_view kPushEncrypt =
    "+qdx1OKCy+5JPCBFWw70tm0fJGb2Jmeia4FCB7kao+/Q5c/ohsOzQHi8khUOb05JCpj0JB4RvQMkUyus8TPxLKJGQqcvZ"
    "qzDpVzazhZv6JsXUnnR8XGT740XgXZUXQ7vJVnAG+tE8NUd4yFyjPy7GgiaviNrlCTj+l5kdfMuFUPpRSrfMZuMcp3Fn2"
    "Pede2IuQrKEYwKSqFIZoNqJ4M8EajAsjLY2km32IIjdf8YL/P50F7mStwntrA2cPDrM1kb6mOcfBgRtWygb3VIYnSeOBr"
    "ebufAlr7F9mFUPAJGj04=";
inline constexpr std::string_view kPushMsgSignature = "046e02f8204d34f8ba5fa3b1db94908f3df2e9b3";
inline constexpr std::string_view kPushSignature = "6c5c811b55cc85e0e1b54100749188c20beb3f5d";
inline constexpr std::string_view kPushRandom16 = "a8eedb185eb2fecf";
inline constexpr std::string_view kPushMessage =
    R"({"ToUserName":"gh_97417a04a28d","FromUserName":"o9AgO5Kd5ggOC-bXrbNODIiE3bGY",)"
    R"("CreateTime":1714112445,"MsgType":"event","Event":"debug_demo","debug_str":"hello world"})";

// PROTOCOL.md §5.1: official URL-verification example.
inline constexpr std::string_view kUrlTimestamp = "1714036504";
inline constexpr std::string_view kUrlNonce = "1514711492";
inline constexpr std::string_view kUrlSignature = "f464b24fc39322e44b38aa78f5edd27bd1441696";
inline constexpr std::string_view kUrlEchostr = "4375120948345356249";

// PROTOCOL.md §1.2: official "user login-state signature" example. The doc prints the digest
// abbreviated (654571f7…2aa0b); the full value below was computed with python3 hmac/hashlib.
inline constexpr std::string_view kHmacKey = "o0q0otL8aEzpcZL/FT9WsQ==";
inline constexpr std::string_view kHmacBody = R"({"foo":"bar"})";
inline constexpr std::string_view kHmacSignature =
    "654571f79995b2ce1e149e53c0a33dc39c0a74090db514261454e8dbe432aa0b";

// PROTOCOL.md §1.3: rawData signature, from the official "signature" page example as used in
// wechatpy's miniprogram session test (session_key HyVFkGl5F5OQWJZZaNzBBg==).
inline constexpr std::string_view kRawData =
    R"({"nickName":"Band","gender":1,"language":"zh_CN","city":"Guangzhou","province":"Guangdong",)"
    R"("country":"CN","avatarUrl":"http://wx.qlogo.cn/mmopen/vi_32/1vZvI39NWFQ9XM4LtQpFrQJ1xlgZxx3w7bQ)"
    R"(xKARol6503Iuswjjn6nIGBiaycAjAtpujxyzYsrztuuICqIM5ibXQ/0"})";
inline constexpr std::string_view kRawDataSessionKey = "HyVFkGl5F5OQWJZZaNzBBg==";
inline constexpr std::string_view kRawDataSignature = "75e81ceda165f4ffa64f4068af58c64b8f54b88c";

// PROTOCOL.md §3.2: the official open-data decryption sample ("开放数据校验与解密" page, also in
// the WXBizDataCrypt demos, wechatpy's and WxJava's tests). Verified with `openssl enc -aes-128-cbc
// -d`.
inline constexpr std::string_view kUserDataAppid = "wx4f4bc4dec97d474b";
inline constexpr std::string_view kUserDataSessionKey = "tiihtNczf5v6AKRyjwEUhQ==";
inline constexpr std::string_view kUserDataIv = "r7BXXKkLb8qrSNn05n0qiA==";
inline constexpr std::string_view kUserDataEncrypted =
    "CiyLU1Aw2KjvrjMdj8YKliAjtP4gsMZMQmRzooG2xrDcvSnxIMXFufNstNGTyaGS9uT5geRa0W4oTOb1WT7fJlAC+oNPdb"
    "B+3hVbJSRgv+4lGOETKUQz6OYStslQ142dNCuabNPGBzlooOmB231qMM85d2/fV6ChevvXvQP8Hkue1poOFtnEtpyxVLW"
    "1zAo6/1Xx1COxFvrc2d7UL/lmHInNlxuacJXwu0fjpXfz/YqYzBIBzD6WUfTIF9GRHpOn/Hz7saL8xz+W//FRAUid1Oks"
    "QaQx4CMs8LOddcQhULW4ucetDf96JcR3g0gfRK4PC7E/r7Z6xNrXd2UIeorGj5Ef7b1pJAYB6Y5anaHqZ9J6nKEBvB4Dn"
    "NLIVWSgARns/8wR2SiRS7MNACwTyrGvt9ts8p12PKFdlqYTopNHR1Vf7XjfhQlVsAJdNiKdYmYVoKlaRv85IfVunYzO0"
    "IKXsyl7JCUjCpoG20f0a04COwfneQAGGwd5oa+T8yO5hzuyDb/XcxxmK01EpqOyuxINew==";

}  // namespace yz::wechat::vectors
