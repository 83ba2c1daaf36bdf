// SPDX-License-Identifier: MIT
// Subscribe-message value rules per keyword prefix (PROTOCOL.md §4) and the errcode → Action table
// (§1–§8). Both are pure functions, tested as tables.
#include <doctest/doctest.h>

#include <string>
#include <vector>
#include <yz/wechat/errcode_action.hpp>
#include <yz/wechat/subscribe_rules.hpp>

using namespace yz::wechat;

namespace {

struct Case {
    const char* keyword;
    std::string value;
    bool valid;
};

std::string repeat(const std::string& s, int n) {
    std::string out;
    for (int i = 0; i < n; ++i) out += s;
    return out;
}

}  // namespace

TEST_CASE("subscribe values by keyword prefix") {
    const std::vector<Case> cases = {
        // thing: ≤ 20 code points, any text but control characters and emoji
        {"thing1", "社区活动报名成功", true},
        {"thing1", repeat("中", 20), true},  // 60 bytes, 20 characters
        {"thing1", repeat("中", 21), false},
        {"thing1", repeat("a", 21), false},
        {"thing1", "Room 3, 2F (east)", true},
        {"thing1", "line\nbreak", false},
        {"thing1", "party 🎉", false},
        {"thing1", "", false},
        // number: ≤ 32 digits, decimals allowed
        {"number2", "12345", true},
        {"number2", "3.14", true},
        {"number2", repeat("9", 32), true},
        {"number2", repeat("9", 33), false},
        {"number2", "1.2.3", false},
        {"number2", "-5", false},
        {"number2", "12a", false},
        // letter: ≤ 32 letters
        {"letter3", "ABCdef", true},
        {"letter3", "abc1", false},
        {"letter3", repeat("x", 33), false},
        // symbol: ≤ 5 symbols
        {"symbol4", "+-*/", true},
        {"symbol4", "！？", true},
        {"symbol4", "!!!!!!", false},
        {"symbol4", "a", false},
        // character_string: ≤ 32 ASCII letters, digits, symbols; no Chinese
        {"character_string5", "ORD-2024-0001", true},
        {"character_string5", "test001", true},
        {"character_string5", repeat("x", 33), false},
        {"character_string5", "订单1", false},
        {"character_string5", "a b", false},
        // time: 24 h time, optionally with a date; ranges with "~"
        {"time6", "15:01", true},
        {"time6", "2019年10月1日 15:01", true},
        {"time6", "2019-10-01 15:01", true},
        {"time6", "15:01 ~ 16:30", true},
        {"time6", "2019年10月1日", false},
        {"time6", "25:00", false},
        {"time6", "3pm", false},
        // date: a date, optionally with a time
        {"date7", "2019年10月1日", true},
        {"date7", "2019年10月1日 15:01", true},
        {"date7", "2019-10-01", true},
        {"date7", "2019年10月1日~2019年10月3日", true},
        {"date7", "2019年13月1日", false},
        {"date7", "15:01", false},
        {"date7", "tomorrow", false},
        // amount: one currency symbol + ≤ 10 digits, decimals, optional 元
        {"amount8", "¥100.50", true},
        {"amount8", "100元", true},
        {"amount8", "$12", true},
        {"amount8", "¥12345678901", false},
        {"amount8", "¥¥1", false},
        {"amount8", "一百元", false},
        // phone_number: ≤ 17 digits and symbols
        {"phone_number9", "+86-0766-66888866", true},
        {"phone_number9", "13800138000", true},
        {"phone_number9", "+86-0766-668888661", false},
        {"phone_number9", "call me", false},
        // car_number: ≤ 8, Chinese allowed first and last only
        {"car_number10", "粤A8Z888", true},
        {"car_number10", "粤AD12345", true},
        {"car_number10", "粤B1234学", true},
        {"car_number10", "粤A8Z8889X", false},
        {"car_number10", "粤A中888", false},
        // name: ≤ 10 Chinese, or ≤ 20 letters/symbols; mixed counts as Chinese
        {"name11", "张三", true},
        {"name11", "John Smith", true},
        {"name11", repeat("李", 11), false},
        {"name11", "张" + repeat("a", 10), false},
        {"name11", repeat("a", 20), true},
        {"name11", "R2D2", false},
        // phrase: ≤ 5 Chinese characters
        {"phrase12", "已预约", true},
        {"phrase12", "预约成功了吗", false},
        {"phrase12", "ok", false},
        // unknown prefix
        {"colour1", "red", false},
        // invalid UTF-8
        {"thing1", "\xff\xfe", false},
    };
    for (const auto& c : cases) {
        CAPTURE(c.keyword);
        CAPTURE(c.value);
        const auto error = check_subscribe_value(c.keyword, c.value);
        CHECK(error.has_value() != c.valid);
        if (error) CHECK(error->keyword == c.keyword);
    }
}

TEST_CASE("subscribe errors name the keyword and the rule") {
    const auto e = check_subscribe_value("thing3", repeat("中", 23));
    REQUIRE(e.has_value());
    CHECK(e->message() == "thing3: 23 characters, at most 20 allowed");
    const auto all =
        check_subscribe_data({{"thing1", "ok"}, {"phrase2", "too long phrase"}, {"time3", "x"}});
    REQUIRE(all.size() == 2);
    CHECK(all[0].keyword == "phrase2");
    CHECK(all[1].keyword == "time3");
    CHECK(check_subscribe_data({{"thing1", "ok"}, {"time2", "09:30"}}).empty());
}

TEST_CASE("fit_thing_value makes any text a valid thing") {
    CHECK(fit_thing_value("  预约  成功 🎉\n") == "预约 成功");
    const auto long_text = fit_thing_value(repeat("长", 30));
    CHECK(long_text == repeat("长", 19) + "…");
    CHECK_FALSE(check_subscribe_value("thing1", long_text).has_value());
}

TEST_CASE("errcode → Action follows PROTOCOL.md's tables") {
    struct Row {
        Api api;
        int errcode;
        Action action;
    };
    const std::vector<Row> rows = {
        {Api::jscode2session, 0, Action::ok},
        {Api::jscode2session, 40029, Action::relogin},
        {Api::jscode2session, 40163, Action::duplicate_code},
        {Api::jscode2session, 45011, Action::rate_limited},
        {Api::jscode2session, 40226, Action::blocked},
        {Api::jscode2session, 40125, Action::config_error},
        {Api::jscode2session, 40013, Action::config_error},
        {Api::jscode2session, -1, Action::busy_retry},
        {Api::stable_token, 40001, Action::config_error},  // wrong AppSecret, not a stale token
        {Api::token, 40001, Action::config_error},
        {Api::stable_token, 40013, Action::config_error},
        {Api::stable_token, 40125, Action::config_error},
        {Api::stable_token, 40164, Action::config_error},
        {Api::stable_token, 45009, Action::quota_exhausted},
        {Api::stable_token, -1, Action::busy_retry},
        {Api::phone_number, 40029, Action::relogin},
        {Api::phone_number, 45011, Action::rate_limited},
        {Api::phone_number, 40001, Action::token_invalid},
        {Api::phone_number, 42001, Action::token_invalid},
        {Api::phone_number, 40014, Action::token_invalid},
        {Api::subscribe_send, 40003, Action::invalid_openid},
        {Api::subscribe_send, 40037, Action::config_error},
        {Api::subscribe_send, 43101, Action::consent_refused},
        {Api::subscribe_send, 47003, Action::invalid_param},
        {Api::subscribe_send, 41030, Action::config_error},
        {Api::custom_send, 45015, Action::outside_window},
        {Api::custom_send, 45047, Action::outside_window},
        {Api::custom_send, 48001, Action::config_error},
        {Api::msg_sec_check, 40129, Action::request_bug},
        {Api::msg_sec_check, 43104, Action::request_bug},
        {Api::msg_sec_check, 43302, Action::request_bug},
        {Api::msg_sec_check, 44002, Action::request_bug},
        {Api::msg_sec_check, 47001, Action::request_bug},
        {Api::msg_sec_check, 87014, Action::content_risky},
        {Api::checksession, 87009, Action::session_key_stale},
        {Api::reset_session_key, 87008, Action::request_bug},
        {Api::subscribe_send, 99999, Action::unknown},
    };
    for (const auto& r : rows) {
        CAPTURE(to_string(r.api));
        CAPTURE(r.errcode);
        CHECK(to_string(action_for(r.api, r.errcode)) == to_string(r.action));
    }
}
