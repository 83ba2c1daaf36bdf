// SPDX-License-Identifier: MIT
// Decoded WeChat pushes (PROTOCOL.md §5.6) as plain C++ structs: the subscribe-message events the
// grant counters depend on, the customer-service chat entry event and customer-service messages.
// Decoding tolerates WeChat's JSON quirks: `List` as an object or an array, numbers sent as
// strings, 64-bit MsgID kept as text. Anything we do not model decodes as OtherPush so it can still
// be acknowledged. Thread-safe: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>
#include <yz/wechat/result.hpp>
#include <yz/wechat/xml_reader.hpp>

namespace yz::wechat {

enum class BodyFormat { json, xml };

/// JSON if the first non-space byte is '{', XML if it is '<', nullopt otherwise.
std::optional<BodyFormat> detect_body_format(std::string_view body) noexcept;

/// One template's answer in subscribe_msg_popup_event / subscribe_msg_change_event.
struct SubscribeDecision {
    std::string template_id;
    std::string status;  // SubscribeStatusString: "accept" | "reject" (kept verbatim)
    std::optional<std::int64_t> popup_scene;  // popup event only
    bool accepted() const noexcept { return status == "accept"; }
};

/// The user answered wx.requestSubscribeMessage: +1 grant per accepted template.
struct SubscribePopupEvent {
    std::vector<SubscribeDecision> decisions;
};

/// The user changed a subscription in settings: a "reject" zeroes that template's grants.
struct SubscribeChangeEvent {
    std::vector<SubscribeDecision> decisions;
};

/// Delivery report for one subscribe message.
struct SubscribeSendResult {
    std::string template_id;
    std::string msg_id;  // exceeds 2^53: never parse as double
    std::int64_t error_code{0};
    std::string error_status;
    bool delivered() const noexcept { return error_code == 0 && error_status == "success"; }
};

struct SubscribeSentEvent {
    std::vector<SubscribeSendResult> results;
};

/// The user opened the customer-service chat from a contact button.
struct EnterTempSessionEvent {
    std::string session_from;
};

/// Customer-service text. Free text from residents: screen it (msg_sec_check) before use.
struct TextMessage {
    std::string content;
    std::string msg_id;
};

struct ImageMessage {
    std::string pic_url;
    std::string media_id;
    std::string msg_id;
};

struct MiniProgramPageMessage {
    std::string title;
    std::string app_id;
    std::string page_path;
    std::string thumb_url;
    std::string thumb_media_id;
    std::string msg_id;
};

/// A push we do not model (other events, voice messages...). Acknowledge and ignore.
struct OtherPush {};

using PushPayload = std::variant<SubscribePopupEvent, SubscribeChangeEvent, SubscribeSentEvent,
                                 EnterTempSessionEvent, TextMessage, ImageMessage,
                                 MiniProgramPageMessage, OtherPush>;

struct PushMessage {
    std::string to_user_name;    // our gh_ id
    std::string from_user_name;  // the user's openid
    std::int64_t create_time{0};
    std::string msg_type;  // "event", "text", "image", "miniprogrampage", ...
    std::string event;     // for msg_type "event"
    PushPayload payload;

    /// Idempotency key (§5.2): "msg:<MsgId>" for messages, "event:<from>:<CreateTime>:<Event>" for
    /// events. WeChat re-sends pushes it thinks failed, so process each key once.
    std::string dedupe_key() const;
};

/// Decodes the (decrypted) push text. Errc::bad_json / bad_xml / body_too_large for bodies that do
/// not parse; Errc::missing_field when MsgType is absent.
Result<PushMessage> decode_push_message(std::string_view text, BodyFormat format,
                                        const XmlLimits& limits = {});

}  // namespace yz::wechat
