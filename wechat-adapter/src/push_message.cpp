// SPDX-License-Identifier: MIT
// Push JSON/XML → PushMessage, tolerant of List-as-object and numbers-as-strings.
#include <yz/wechat/push_message.hpp>

#include "json_fields.hpp"
#include "push_body.hpp"

namespace yz::wechat {
namespace {

using detail::int_field;
using detail::string_field;
using nlohmann::json;

/// `List` items, whether WeChat sent one object or an array. In XML the list sits inside a wrapper
/// element (<SubscribeMsgPopupEvent><List>..</List></SubscribeMsgPopupEvent>); in JSON at the top.
std::vector<json> list_items(const json& obj, const char* xml_wrapper) {
    const json* holder = &obj;
    if (auto w = obj.find(xml_wrapper); w != obj.end() && w->is_object()) holder = &*w;
    const auto list = holder->find("List");
    if (list == holder->end()) return {};
    if (list->is_array()) return list->get<std::vector<json>>();
    if (list->is_object()) return {*list};
    return {};
}

std::vector<SubscribeDecision> decisions(const json& obj, const char* xml_wrapper) {
    std::vector<SubscribeDecision> out;
    for (const auto& item : list_items(obj, xml_wrapper)) {
        out.push_back({string_field(item, "TemplateId"),
                       string_field(item, "SubscribeStatusString"), int_field(item, "PopupScene")});
    }
    return out;
}

PushPayload event_payload(const json& obj, const std::string& event) {
    if (event == "subscribe_msg_popup_event") {
        return SubscribePopupEvent{decisions(obj, "SubscribeMsgPopupEvent")};
    }
    if (event == "subscribe_msg_change_event") {
        return SubscribeChangeEvent{decisions(obj, "SubscribeMsgChangeEvent")};
    }
    if (event == "subscribe_msg_sent_event") {
        SubscribeSentEvent sent;
        for (const auto& item : list_items(obj, "SubscribeMsgSentEvent")) {
            // A missing or unparsable ErrorCode must not read as "delivered".
            sent.results.push_back({string_field(item, "TemplateId"), string_field(item, "MsgID"),
                                    int_field(item, "ErrorCode").value_or(-1),
                                    string_field(item, "ErrorStatus")});
        }
        return sent;
    }
    if (event == "user_enter_tempsession") {
        return EnterTempSessionEvent{string_field(obj, "SessionFrom")};
    }
    return OtherPush{};
}

PushPayload message_payload(const json& obj, const std::string& msg_type) {
    if (msg_type == "text")
        return TextMessage{string_field(obj, "Content"), string_field(obj, "MsgId")};
    if (msg_type == "image") {
        return ImageMessage{string_field(obj, "PicUrl"), string_field(obj, "MediaId"),
                            string_field(obj, "MsgId")};
    }
    if (msg_type == "miniprogrampage") {
        return MiniProgramPageMessage{
            string_field(obj, "Title"),        string_field(obj, "AppId"),
            string_field(obj, "PagePath"),     string_field(obj, "ThumbUrl"),
            string_field(obj, "ThumbMediaId"), string_field(obj, "MsgId")};
    }
    return OtherPush{};
}

std::string msg_id_of(const PushPayload& payload) {
    return std::visit(
        [](const auto& p) -> std::string {
            if constexpr (requires { p.msg_id; }) {
                return p.msg_id;
            } else {
                return {};
            }
        },
        payload);
}

}  // namespace

std::optional<BodyFormat> detect_body_format(std::string_view body) noexcept {
    for (char c : body) {
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
        if (c == '{') return BodyFormat::json;
        if (c == '<') return BodyFormat::xml;
        return std::nullopt;
    }
    return std::nullopt;
}

std::string PushMessage::dedupe_key() const {
    if (msg_type != "event") {
        if (auto id = msg_id_of(payload); !id.empty()) return "msg:" + id;
    }
    return "event:" + from_user_name + ":" + std::to_string(create_time) + ":" +
           (msg_type == "event" ? event : msg_type);
}

Result<PushMessage> decode_push_message(std::string_view text, BodyFormat format,
                                        const XmlLimits& limits) {
    auto obj = detail::parse_push_body(text, format, limits);
    if (!obj) return obj.error();
    return detail::decode_push_object(*obj);
}

namespace detail {

Result<PushMessage> decode_push_object(const json& obj) {
    PushMessage msg;
    msg.to_user_name = string_field(obj, "ToUserName");
    msg.from_user_name = string_field(obj, "FromUserName");
    msg.create_time = int_field(obj, "CreateTime").value_or(0);
    msg.msg_type = string_field(obj, "MsgType");
    msg.event = string_field(obj, "Event");
    if (msg.msg_type.empty()) return fail(Errc::missing_field, "push has no MsgType");
    msg.payload = msg.msg_type == "event" ? event_payload(obj, msg.event)
                                          : message_payload(obj, msg.msg_type);
    return msg;
}

}  // namespace detail
}  // namespace yz::wechat
