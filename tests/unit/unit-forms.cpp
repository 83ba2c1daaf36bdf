// SPDX-License-Identifier: MIT
// Unit tests for yz::forms: staff-side definition checks, then resident submissions per field type,
// with a fixed clock so ID-card birth dates are judged against a known "today".

#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "forms.hpp"

namespace {

using nlohmann::json;
using yz::forms::FieldError;
using yz::forms::Result;

constexpr std::chrono::year_month_day kToday{std::chrono::year{2024}, std::chrono::June,
                                             std::chrono::day{15}};

// GB 11643 check character computed here rather than taken from forms.cpp, so the expected
// values do not come from the code under test.
std::string with_check_digit(const std::string& first17) {
    const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    int sum = 0;
    for (int i = 0; i < 17; ++i) sum += (first17[static_cast<std::size_t>(i)] - '0') * weights[i];
    const char* map = "10X98765432";
    return first17 + map[sum % 11];
}

// Validates one field definition against a submission holding just `value` under its name.
Result one(const json& def, const json& value) {
    return yz::forms::validate(json::array({def}), json{{def["name"].get<std::string>(), value}},
                               kToday);
}

// Validates with the field left out of the submission entirely.
Result missing(const json& def) {
    return yz::forms::validate(json::array({def}), json::object(), kToday);
}

// The one error of a result; fails the test (and returns an empty error) otherwise.
FieldError only_error(const Result& r) {
    REQUIRE(r.errors.size() == 1);
    return r.errors.front();
}

std::string code_of(const Result& r) { return only_error(r).code; }

std::vector<std::string> codes(const std::vector<FieldError>& errors) {
    std::vector<std::string> out;
    for (const auto& e : errors) out.push_back(e.field + ":" + e.code);
    return out;
}

// A realistic intake form for booking a legal consultation at a station.
json legal_consultation_form() {
    return json::parse(R"([
        {"name": "name", "label": "姓名", "type": "text", "required": true, "max_length": 20},
        {"name": "phone", "label": "联系电话", "type": "phone", "required": true},
        {"name": "id_number", "label": "身份证号码", "type": "id_card"},
        {"name": "topic", "label": "咨询事项", "type": "choice", "required": true,
         "options": ["婚姻家庭", "劳动纠纷", "房屋租赁", "其他"]},
        {"name": "details", "label": "问题描述", "type": "text", "max_length": 500,
         "multiline": true, "placeholder": "请简要说明"},
        {"name": "visit_date", "label": "预约日期", "type": "date", "min": "2024-01-01"},
        {"name": "people", "label": "来访人数", "type": "number", "min": 1, "max": 5,
         "integer": true},
        {"name": "consent", "label": "我已阅读并同意个人信息使用说明", "type": "boolean",
         "required": true}
    ])");
}

json text_field(int max_length = 20) {
    return {{"name", "name"}, {"label", "姓名"}, {"type", "text"}, {"max_length", max_length}};
}

}  // namespace

TEST_CASE("check_definition accepts a well-formed form") {
    CHECK(yz::forms::check_definition(legal_consultation_form()).empty());
    CHECK(yz::forms::check_definition(json::array()).empty());
}

TEST_CASE("check_definition refuses broken definitions with a code per problem") {
    const auto check = [](const json& fields) {
        return codes(yz::forms::check_definition(fields));
    };
    using V = std::vector<std::string>;

    SUBCASE("the definition must be an array") {
        CHECK(check(json::object()) == V{":not_an_array"});
        CHECK(check("text") == V{":not_an_array"});
    }
    SUBCASE("at most 100 fields") {
        json fields = json::array();
        for (int i = 0; i < 100; ++i)
            fields.push_back(
                {{"name", "f" + std::to_string(i)}, {"label", "项"}, {"type", "phone"}});
        CHECK(check(fields).empty());
        fields.push_back({{"name", "f100"}, {"label", "项"}, {"type", "phone"}});
        CHECK(check(fields) == V{":too_many_fields"});
    }
    SUBCASE("each entry must be an object") {
        CHECK(check(json::array({"phone"})) == V{"fields[0]:not_an_object"});
    }
    SUBCASE("names follow [a-z][a-z0-9_]{0,31}") {
        const auto with_name = [&](const json& name) {
            return check(json::array({{{"name", name}, {"label", "电话"}, {"type", "phone"}}}));
        };
        CHECK(with_name("a").empty());
        CHECK(with_name("contact_phone_2").empty());
        CHECK(with_name(std::string(32, 'a')).empty());
        CHECK(with_name(std::string(33, 'a')) == V{std::string(33, 'a') + ":invalid_name"});
        CHECK(with_name("Phone") == V{"Phone:invalid_name"});
        CHECK(with_name("2phone") == V{"2phone:invalid_name"});
        CHECK(with_name("_phone") == V{"_phone:invalid_name"});
        CHECK(with_name("contact-phone") == V{"contact-phone:invalid_name"});
        CHECK(with_name("电话") == V{"电话:invalid_name"});
        CHECK(with_name("") == V{"fields[0]:invalid_name"});
        CHECK(with_name(7) == V{"fields[0]:invalid_name"});
    }
    SUBCASE("names are unique") {
        const json f = {{"name", "phone"}, {"label", "电话"}, {"type", "phone"}};
        CHECK(check(json::array({f, f})) == V{"phone:duplicate_name"});
    }
    SUBCASE("name, label and type are required") {
        CHECK(check(json::array({{{"label", "电话"}, {"type", "phone"}}})) ==
              V{"fields[0]:missing_parameter"});
        CHECK(check(json::array({{{"name", "phone"}, {"type", "phone"}}})) ==
              V{"phone:missing_parameter"});
        CHECK(check(json::array({{{"name", "phone"}, {"label", "电话"}}})) ==
              V{"phone:missing_parameter"});
    }
    SUBCASE("label must be non-blank text") {
        CHECK(check(json::array({{{"name", "a"}, {"label", "  "}, {"type", "phone"}}})) ==
              V{"a:invalid_parameter"});
        CHECK(check(json::array({{{"name", "a"}, {"label", 1}, {"type", "phone"}}})) ==
              V{"a:invalid_parameter"});
    }
    SUBCASE("unknown types are refused") {
        CHECK(check(json::array({{{"name", "a"}, {"label", "x"}, {"type", "email"}}})) ==
              V{"a:unknown_type"});
        CHECK(check(json::array({{{"name", "a"}, {"label", "x"}, {"type", 3}}})) ==
              V{"a:unknown_type"});
    }
    SUBCASE("common flags have the right types") {
        CHECK(check(json::array(
                  {{{"name", "a"}, {"label", "x"}, {"type", "phone"}, {"required", "yes"}}})) ==
              V{"a:invalid_parameter"});
        CHECK(
            check(json::array({{{"name", "a"}, {"label", "x"}, {"type", "phone"}, {"help", 5}}})) ==
            V{"a:invalid_parameter"});
    }
    SUBCASE("parameters that the type does not have are refused, catching typos") {
        CHECK(check(json::array({{{"name", "a"},
                                  {"label", "x"},
                                  {"type", "text"},
                                  {"max_length", 10},
                                  {"maxlength", 5}}})) == V{"a:unknown_parameter"});
        CHECK(check(json::array(
                  {{{"name", "a"}, {"label", "x"}, {"type", "phone"}, {"options", {"a"}}}})) ==
              V{"a:unknown_parameter"});
    }
    SUBCASE("text needs max_length within 1..2000 and min_length not above it") {
        const auto text = [&](json extra) {
            json f = {{"name", "a"}, {"label", "x"}, {"type", "text"}};
            f.update(extra);
            return check(json::array({f}));
        };
        CHECK(text(json::object()) == V{"a:missing_parameter"});
        CHECK(text({{"max_length", 2000}}).empty());
        CHECK(text({{"max_length", 2001}}) == V{"a:invalid_parameter"});
        CHECK(text({{"max_length", 0}}) == V{"a:invalid_parameter"});
        CHECK(text({{"max_length", 10.5}}) == V{"a:invalid_parameter"});
        CHECK(text({{"max_length", "10"}}) == V{"a:invalid_parameter"});
        CHECK(text({{"max_length", 10}, {"min_length", 10}}).empty());
        CHECK(text({{"max_length", 10}, {"min_length", 11}}) == V{"a:invalid_parameter"});
        CHECK(text({{"max_length", 10}, {"min_length", -1}}) == V{"a:invalid_parameter"});
        CHECK(text({{"max_length", 10}, {"multiline", 1}}) == V{"a:invalid_parameter"});
    }
    SUBCASE("number bounds are finite and ordered") {
        const auto number = [&](json extra) {
            json f = {{"name", "a"}, {"label", "x"}, {"type", "number"}};
            f.update(extra);
            return check(json::array({f}));
        };
        CHECK(number(json::object()).empty());
        CHECK(number({{"min", 1.5}, {"max", 1.5}, {"integer", false}}).empty());
        CHECK(number({{"min", 2}, {"max", 1}}) == V{"a:invalid_parameter"});
        CHECK(number({{"min", "0"}}) == V{"a:invalid_parameter"});
        CHECK(number({{"max", std::numeric_limits<double>::infinity()}}) ==
              V{"a:invalid_parameter"});
        CHECK(number({{"integer", "true"}}) == V{"a:invalid_parameter"});
    }
    SUBCASE("choice needs a non-empty list of unique strings and sane counts") {
        const auto choice = [&](json extra) {
            json f = {{"name", "a"}, {"label", "x"}, {"type", "choice"}};
            f.update(extra);
            return check(json::array({f}));
        };
        CHECK(choice(json::object()) == V{"a:missing_parameter"});
        CHECK(choice({{"options", json::array()}}) == V{"a:invalid_parameter"});
        CHECK(choice({{"options", "甲"}}) == V{"a:invalid_parameter"});
        CHECK(choice({{"options", {"甲", "甲"}}}) == V{"a:invalid_parameter"});
        CHECK(choice({{"options", {"甲", 2}}}) == V{"a:invalid_parameter"});
        CHECK(choice({{"options", {"甲", ""}}}) == V{"a:invalid_parameter"});
        CHECK(
            choice(
                {{"options", {"甲", "乙"}}, {"multiple", true}, {"min_count", 1}, {"max_count", 2}})
                .empty());
        CHECK(choice({{"options", {"甲", "乙"}}, {"min_count", 1}}) == V{"a:invalid_parameter"});
        CHECK(choice({{"options", {"甲", "乙"}}, {"multiple", true}, {"max_count", 3}}) ==
              V{"a:invalid_parameter"});
        CHECK(choice({{"options", {"甲", "乙"}},
                      {"multiple", true},
                      {"min_count", 2},
                      {"max_count", 1}}) == V{"a:invalid_parameter"});
    }
    SUBCASE("date bounds are real dates in order") {
        const auto date = [&](json extra) {
            json f = {{"name", "a"}, {"label", "x"}, {"type", "date"}};
            f.update(extra);
            return check(json::array({f}));
        };
        CHECK(date({{"min", "2024-02-29"}, {"max", "2024-02-29"}}).empty());
        CHECK(date({{"min", "2023-02-29"}}) == V{"a:invalid_parameter"});
        CHECK(date({{"max", "2024/01/01"}}) == V{"a:invalid_parameter"});
        CHECK(date({{"min", "2024-02-01"}, {"max", "2024-01-31"}}) == V{"a:invalid_parameter"});
    }
    SUBCASE("messages are Chinese and locate the entry by position") {
        const auto errors = yz::forms::check_definition(
            json::array({{{"name", "ok"}, {"label", "x"}, {"type", "phone"}},
                         {{"name", "Bad"}, {"type", "phone"}}}));
        REQUIRE(errors.size() == 2);
        CHECK(errors[0].message.rfind("第2个字段：", 0) == 0);
        CHECK(errors[1].message.rfind("第2个字段：", 0) == 0);
    }
    SUBCASE("every problem is reported, not just the first") {
        const json f = {{"name", "A"}, {"label", ""}, {"type", "text"}, {"max_length", 0}};
        CHECK(check(json::array({f})) ==
              V{"A:invalid_name", "A:invalid_parameter", "A:invalid_parameter"});
    }
}

TEST_CASE("validate refuses to run on a broken definition") {
    CHECK_THROWS_AS(yz::forms::validate(json::object(), json::object(), kToday),
                    std::invalid_argument);
    CHECK_THROWS_AS(yz::forms::validate(json::array({{{"name", "a"}, {"type", "text"}}}),
                                        json::object(), kToday),
                    std::invalid_argument);
}

TEST_CASE("a submission must be a JSON object") {
    for (const json& s : {json::array(), json("name=张三"), json(nullptr)}) {
        const auto r = yz::forms::validate(legal_consultation_form(), s, kToday);
        const auto e = only_error(r);
        CHECK(e.field == "");
        CHECK(e.code == "wrong_type");
        CHECK(r.clean == json::object());
    }
}

TEST_CASE("a complete valid submission yields clean, normalised values") {
    const json submission = {{"name", "  张三 "},
                             {"phone", "138 1234-5678"},
                             {"id_number", "11010519491231002x"},
                             {"topic", "劳动纠纷"},
                             {"details", "单位拖欠工资\r\n三个月"},
                             {"visit_date", "2024-06-20"},
                             {"people", 2.0},
                             {"consent", true}};
    const auto r = yz::forms::validate(legal_consultation_form(), submission, kToday);
    CHECK(r.ok());
    CHECK(r.errors.empty());
    CHECK(r.clean == json{{"name", "张三"},
                          {"phone", "13812345678"},
                          {"id_number", "11010519491231002X"},
                          {"topic", "劳动纠纷"},
                          {"details", "单位拖欠工资\n三个月"},
                          {"visit_date", "2024-06-20"},
                          {"people", 2},
                          {"consent", true}});
    CHECK(r.clean["people"].is_number_integer());
}

TEST_CASE("required fields must be answered") {
    json phone = {{"name", "phone"}, {"label", "联系电话"}, {"type", "phone"}, {"required", true}};

    SUBCASE("missing, null, empty and blank all count as unanswered") {
        for (const auto& r :
             {missing(phone), one(phone, nullptr), one(phone, ""), one(phone, " \t\u3000")}) {
            const auto e = only_error(r);
            CHECK(e.field == "phone");
            CHECK(e.code == "required");
            CHECK(e.message == "请填写联系电话");
            CHECK_FALSE(r.clean.contains("phone"));
        }
    }
    SUBCASE("an empty multiple choice is unanswered") {
        const json services = {{"name", "services"}, {"label", "需要的服务"},
                               {"type", "choice"},   {"options", {"代缴", "代办"}},
                               {"multiple", true},   {"required", true}};
        const auto e = only_error(one(services, json::array()));
        CHECK(e.code == "required");
        CHECK(e.message == "请选择需要的服务");
    }
    SUBCASE("optional fields may be left out and are then absent from clean") {
        phone["required"] = false;
        for (const auto& r : {missing(phone), one(phone, nullptr), one(phone, "  ")}) {
            CHECK(r.ok());
            CHECK(r.clean == json::object());
        }
    }
}

TEST_CASE("keys outside the definition are reported as unknown_field") {
    const auto r = yz::forms::validate(json::array({text_field()}),
                                       json{{"name", "李四"}, {"age", 70}, {"Zip", "1"}}, kToday);
    CHECK(codes(r.errors) == std::vector<std::string>{"Zip:unknown_field", "age:unknown_field"});
    CHECK(r.clean == json{{"name", "李四"}});
    CHECK_FALSE(r.ok());
}

TEST_CASE("text fields trim, count code points and refuse control characters") {
    SUBCASE("surrounding whitespace, including the ideographic space, is trimmed") {
        CHECK(one(text_field(), "\u3000 王五\t\n").clean["name"] == "王五");
        CHECK(one(text_field(), "王 五").clean["name"] == "王 五");
    }
    SUBCASE("a 20-character Chinese string fits max_length 20 though it is 60 bytes") {
        const std::string twenty = "中华人民共和国社区党群服务中心法律咨询处";
        REQUIRE(twenty.size() == 60);
        CHECK(one(text_field(20), twenty).ok());
        const auto e = only_error(one(text_field(20), twenty + "甲"));
        CHECK(e.code == "too_long");
        CHECK(e.message == "姓名最多20个字，现在有21个字");
    }
    SUBCASE("an emoji outside the BMP counts as one character") {
        CHECK(one(text_field(2), "好😀").ok());
        CHECK(code_of(one(text_field(2), "好😀!")) == "too_long");
    }
    SUBCASE("min_length counts after trimming") {
        json f = text_field(20);
        f["min_length"] = 2;
        CHECK(one(f, "张三").ok());
        const auto e = only_error(one(f, " 张 "));
        CHECK(e.code == "too_short");
        CHECK(e.message == "姓名至少要2个字");
    }
    SUBCASE("control characters inside the text are refused") {
        CHECK(code_of(one(text_field(), "张\x07三")) == "invalid_characters");
        CHECK(code_of(one(text_field(), "张\t三")) == "invalid_characters");
        CHECK(code_of(one(text_field(), "张\n三")) == "invalid_characters");
        CHECK(code_of(one(text_field(), "张\xC2\x85三")) == "invalid_characters");
        CHECK(code_of(one(text_field(), "张\x7F三")) == "invalid_characters");
    }
    SUBCASE("multiline text keeps line breaks, normalised to LF, but not other controls") {
        json f = text_field(50);
        f["multiline"] = true;
        CHECK(one(f, "第一行\r\n第二行\r第三行\n").clean["name"] == "第一行\n第二行\n第三行");
        CHECK(code_of(one(f, "第一行\t第二行")) == "invalid_characters");
    }
    SUBCASE("bytes that are not UTF-8 are refused") {
        CHECK(code_of(one(text_field(), std::string("\xE4\xB8", 2))) == "invalid_characters");
        CHECK(code_of(one(text_field(), std::string("\xC0\xAF"))) == "invalid_characters");
    }
    SUBCASE("non-strings are the wrong type") {
        CHECK(code_of(one(text_field(), 12)) == "wrong_type");
        CHECK(code_of(one(text_field(), json::array({"张三"}))) == "wrong_type");
    }
}

TEST_CASE("number fields accept JSON numbers within bounds") {
    const json age = {{"name", "age"}, {"label", "年龄"}, {"type", "number"},
                      {"min", 0},      {"max", 120},      {"integer", true}};
    const json weight = {{"name", "weight"}, {"label", "体重"}, {"type", "number"}, {"min", 2.5}};

    SUBCASE("bounds are inclusive") {
        CHECK(one(age, 0).clean["age"] == 0);
        CHECK(one(age, 120).clean["age"] == 120);
        CHECK(one(weight, 2.5).clean["weight"] == 2.5);
    }
    SUBCASE("values outside the bounds are out_of_range with the bounds in the message") {
        const auto e = only_error(one(age, 121));
        CHECK(e.code == "out_of_range");
        CHECK(e.message == "年龄应在0到120之间");
        CHECK(code_of(one(age, -1)) == "out_of_range");
        CHECK(only_error(one(weight, 2.4)).message == "体重不能小于2.5");
    }
    SUBCASE("only JSON numbers are numbers") {
        for (const json& v : {json("12"), json(true), json::array({12}), json(std::nan("")),
                              json(std::numeric_limits<double>::infinity())}) {
            const auto e = only_error(one(age, v));
            CHECK(e.code == "not_a_number");
            CHECK(e.message == "年龄请填写数字");
        }
    }
    SUBCASE("integer fields refuse fractions but accept whole floats as integers") {
        CHECK(code_of(one(age, 2.5)) == "not_integer");
        const auto r = one(age, 70.0);
        CHECK(r.ok());
        CHECK(r.clean["age"].is_number_integer());
        CHECK(one(weight, 70.25).clean["weight"] == 70.25);
    }
}

TEST_CASE("choice fields accept only the listed options") {
    const json topic = {{"name", "topic"},
                        {"label", "咨询事项"},
                        {"type", "choice"},
                        {"options", {"婚姻家庭", "劳动纠纷", "其他"}}};
    json services = {{"name", "services"},
                     {"label", "需要的服务"},
                     {"type", "choice"},
                     {"options", {"代缴", "代办", "上门", "陪诊"}},
                     {"multiple", true}};

    SUBCASE("single choice") {
        CHECK(one(topic, "其他").clean["topic"] == "其他");
        const auto e = only_error(one(topic, "房屋"));
        CHECK(e.code == "invalid_choice");
        CHECK(e.message == "咨询事项的选项无效，请重新选择");
        CHECK(code_of(one(topic, " 其他")) == "invalid_choice");
        CHECK(code_of(one(topic, json::array({"其他"}))) == "wrong_type");
        CHECK(code_of(one(topic, 1)) == "wrong_type");
    }
    SUBCASE("multiple choice is normalised to option order without repeats") {
        CHECK(one(services, {"陪诊", "代缴", "陪诊"}).clean["services"] ==
              json::array({"代缴", "陪诊"}));
        CHECK(code_of(one(services, {"代缴", "跑腿"})) == "invalid_choice");
        CHECK(code_of(one(services, "代缴")) == "wrong_type");
        CHECK(code_of(one(services, {"代缴", 2})) == "wrong_type");
    }
    SUBCASE("multiple choice counts distinct selections against min_count and max_count") {
        services["min_count"] = 2;
        services["max_count"] = 3;
        CHECK(one(services, {"代缴", "代办"}).ok());
        CHECK(one(services, {"代缴", "代办", "上门"}).ok());
        const auto few = only_error(one(services, {"代缴", "代缴"}));
        CHECK(few.code == "too_short");
        CHECK(few.message == "需要的服务至少要选择2项");
        const auto many = only_error(one(services, {"代缴", "代办", "上门", "陪诊"}));
        CHECK(many.code == "too_long");
        CHECK(many.message == "需要的服务最多只能选择3项");
    }
}

TEST_CASE("date fields take real YYYY-MM-DD calendar dates") {
    json date = {{"name", "visit_date"}, {"label", "预约日期"}, {"type", "date"}};

    SUBCASE("Feb 29 exists only in leap years") {
        CHECK(one(date, "2024-02-29").ok());
        CHECK(one(date, "2000-02-29").ok());
        CHECK(code_of(one(date, "2023-02-29")) == "invalid_date");
        CHECK(code_of(one(date, "1900-02-29")) == "invalid_date");
        CHECK(code_of(one(date, "2100-02-29")) == "invalid_date");
    }
    SUBCASE("other impossible or badly formatted dates") {
        for (const char* bad :
             {"2024-04-31", "2024-13-01", "2024-00-10", "2024-01-00", "0000-01-01", "2024-2-1",
              "2024/02/01", "20240201", "2024-02-01T00:00", "二〇二四年二月一日"}) {
            CAPTURE(bad);
            CHECK(code_of(one(date, bad)) == "invalid_date");
        }
        CHECK(code_of(one(date, 20240201)) == "wrong_type");
    }
    SUBCASE("whitespace and full-width digits from an IME are normalised") {
        CHECK(one(date, " 2024-06-01 ").clean["visit_date"] == "2024-06-01");
        CHECK(one(date, "２０２４－０６－０１").clean["visit_date"] == "2024-06-01");
    }
    SUBCASE("min and max are inclusive") {
        date["min"] = "2024-06-01";
        date["max"] = "2024-06-30";
        CHECK(one(date, "2024-06-01").ok());
        CHECK(one(date, "2024-06-30").ok());
        const auto e = only_error(one(date, "2024-07-01"));
        CHECK(e.code == "out_of_range");
        CHECK(e.message == "预约日期应在2024-06-01到2024-06-30之间");
        CHECK(code_of(one(date, "2024-05-31")) == "out_of_range");
        date.erase("max");
        CHECK(only_error(one(date, "2024-05-31")).message == "预约日期不能早于2024-06-01");
    }
}

TEST_CASE("phone fields take mainland mobiles and landlines") {
    const json phone = {{"name", "phone"}, {"label", "联系电话"}, {"type", "phone"}};
    const auto clean = [&](const char* v) { return one(phone, v).clean.value("phone", "?"); };

    SUBCASE("mobiles are normalised to 11 bare digits") {
        CHECK(clean("13812345678") == "13812345678");
        CHECK(clean("138 1234 5678") == "13812345678");
        CHECK(clean("138-1234-5678") == "13812345678");
        CHECK(clean("+86 199 1234 5678") == "19912345678");
        CHECK(clean("１３８１２３４５６７８") == "13812345678");
    }
    SUBCASE("landlines are normalised to area-local") {
        CHECK(clean("010-12345678") == "010-12345678");
        CHECK(clean("0755-1234567") == "0755-1234567");
        CHECK(clean("075512345678") == "0755-12345678");
        CHECK(clean("021 6234 5678") == "021-62345678");
    }
    SUBCASE("anything else is invalid_phone") {
        for (const char* bad : {"12812345678", "23812345678", "1381234567", "138123456789",
                                "1381234567a", "011-12345678", "0755-123456", "0755-012345678",
                                "00755-1234567", "+86 010-12345678", "110", "+86"}) {
            CAPTURE(bad);
            const auto e = only_error(one(phone, bad));
            CHECK(e.code == "invalid_phone");
            CHECK(e.message.rfind("请填写正确的联系电话", 0) == 0);
        }
        CHECK(code_of(one(phone, 13812345678LL)) == "wrong_type");
    }
}

TEST_CASE("id_card fields check length, checksum and birth date") {
    const json id = {{"name", "id_number"}, {"label", "身份证号码"}, {"type", "id_card"}};
    const std::string sample = "11010519491231002X";
    REQUIRE(with_check_digit("11010519491231002") == sample);

    SUBCASE("the well-known sample is valid, and a lower-case x is normalised") {
        CHECK(one(id, sample).clean["id_number"] == sample);
        CHECK(one(id, "11010519491231002x").clean["id_number"] == sample);
        CHECK(one(id, " 110105 19491231 002X ").clean["id_number"] == sample);
    }
    SUBCASE("numbers built with a correct check digit are valid") {
        const std::string digit_checked = with_check_digit("44030119850312123");
        CHECK(one(id, digit_checked).ok());
    }
    SUBCASE("any single altered digit breaks the checksum") {
        for (std::size_t i = 0; i < 17; ++i) {
            std::string altered = sample;
            altered[i] = altered[i] == '9' ? '0' : static_cast<char>(altered[i] + 1);
            CAPTURE(altered);
            CHECK(code_of(one(id, altered)) == "invalid_id_card");
        }
        for (const char check : std::string("0123456789")) {
            CHECK(code_of(one(id, sample.substr(0, 17) + check)) == "invalid_id_card");
        }
    }
    SUBCASE("the embedded birth date must be a real day") {
        CHECK(one(id, with_check_digit("11010520000229001")).ok());
        CHECK(code_of(one(id, with_check_digit("11010520230229001"))) == "invalid_id_card");
        CHECK(code_of(one(id, with_check_digit("11010519491331001"))) == "invalid_id_card");
        CHECK(code_of(one(id, with_check_digit("11010518991231001"))) == "invalid_id_card");
    }
    SUBCASE("the birth date may not be after the clock's today") {
        const std::string born_today = with_check_digit("11010520240615001");
        const std::string born_tomorrow = with_check_digit("11010520240616001");
        CHECK(one(id, born_today).ok());
        const auto e = only_error(one(id, born_tomorrow));
        CHECK(e.code == "invalid_id_card");
        CHECK(e.message == "身份证号码有误，请仔细核对");
        const auto later = std::chrono::year_month_day{std::chrono::year{2024}, std::chrono::June,
                                                       std::chrono::day{16}};
        CHECK(
            yz::forms::validate(json::array({id}), json{{"id_number", born_tomorrow}}, later).ok());
    }
    SUBCASE("the default clock is today's date") {
        CHECK(yz::forms::validate(json::array({id}), json{{"id_number", sample}}).ok());
        const std::string far_future = with_check_digit("11010529990101001");
        CHECK(code_of(yz::forms::validate(json::array({id}), json{{"id_number", far_future}})) ==
              "invalid_id_card");
    }
    SUBCASE("wrong length or characters") {
        for (const std::string& bad :
             {sample.substr(0, 17), sample + "1", std::string("110105194912310"),
              std::string("11010519491231002Y"), std::string("1101051949123100XX")}) {
            CAPTURE(bad);
            const auto e = only_error(one(id, bad));
            CHECK(e.code == "invalid_id_card");
            CHECK(e.message == "身份证号码应为18位，最后一位可以是X");
        }
        CHECK(code_of(one(id, 110105194912310021LL)) == "wrong_type");
    }
}

TEST_CASE("boolean fields take true or false, and a required one must be true") {
    json consent = {{"name", "consent"},
                    {"label", "我已阅读并同意个人信息使用说明"},
                    {"type", "boolean"},
                    {"required", true}};
    CHECK(one(consent, true).clean["consent"] == true);
    const auto e = only_error(one(consent, false));
    CHECK(e.code == "required");
    CHECK(e.message == "请勾选“我已阅读并同意个人信息使用说明”");
    CHECK(code_of(one(consent, "true")) == "wrong_type");
    CHECK(code_of(one(consent, 1)) == "wrong_type");

    consent["required"] = false;
    const auto r = one(consent, false);
    CHECK(r.ok());
    CHECK(r.clean["consent"] == false);
}

TEST_CASE("errors come in definition order, then unknown keys, one per field") {
    const json submission = {{"name", ""},  {"phone", "123"},   {"topic", "其他"},
                             {"people", 9}, {"consent", false}, {"extra", 1}};
    const auto r = yz::forms::validate(legal_consultation_form(), submission, kToday);
    CHECK(codes(r.errors) == std::vector<std::string>{"name:required", "phone:invalid_phone",
                                                      "people:out_of_range", "consent:required",
                                                      "extra:unknown_field"});
    CHECK(r.clean == json{{"topic", "其他"}});
}

TEST_CASE("errors_to_json lists field, code and message") {
    const std::vector<FieldError> errors = {{"phone", "required", "请填写联系电话"},
                                            {"", "wrong_type", "提交的内容格式不正确"}};
    CHECK(yz::forms::errors_to_json(errors) ==
          json::parse(R"([{"field":"phone","code":"required","message":"请填写联系电话"},
                          {"field":"","code":"wrong_type","message":"提交的内容格式不正确"}])"));
    CHECK(yz::forms::errors_to_json({}) == json::array());
    CHECK(yz::forms::errors_to_json({}).is_array());
}
