// SPDX-License-Identifier: MIT
// The strict reader for WeChat's flat XML: what it accepts, and the hostile inputs it refuses.
#include <doctest/doctest.h>

#include <string>
#include <yz/wechat/xml_reader.hpp>

using namespace yz::wechat;

TEST_CASE("reads WeChat's flat XML with CDATA, entities and nested lists") {
    const auto doc = parse_xml(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<xml>\n"
        "  <ToUserName><![CDATA[gh_123]]></ToUserName>\n"
        "  <CreateTime>1714112445</CreateTime>\n"
        "  <Content><![CDATA[a <b> & ]]]]><![CDATA[>c]]></Content>\n"
        "  <Escaped>x &lt; y &amp;&amp; &#20013;&#x6587; &quot;q&quot; &apos;</Escaped>\n"
        "  <Empty/>\n"
        "  <SubscribeMsgPopupEvent>\n"
        "    <List><TemplateId><![CDATA[T1]]></TemplateId></List>\n"
        "    <List><TemplateId><![CDATA[T2]]></TemplateId></List>\n"
        "  </SubscribeMsgPopupEvent>\n"
        "</xml>\n");
    REQUIRE(doc.ok());
    CHECK(doc->name == "xml");
    CHECK(doc->child("ToUserName")->text == "gh_123");
    CHECK(doc->child("CreateTime")->text == "1714112445");
    CHECK(doc->child("Content")->text == "a <b> & ]]>c");
    CHECK(doc->child("Escaped")->text == "x < y && 中文 \"q\" '");
    CHECK(doc->child("Empty")->text.empty());
    const auto* popup = doc->child("SubscribeMsgPopupEvent");
    REQUIRE(popup != nullptr);
    CHECK(popup->text.empty());
    REQUIRE(popup->children.size() == 2);
    CHECK(popup->children[1].child("TemplateId")->text == "T2");
    CHECK(doc->child("Missing") == nullptr);
}

TEST_CASE("xml_cdata survives a CDATA terminator inside the text") {
    const std::string text = "a]]>b]]>";
    const auto doc = parse_xml("<xml><A>" + xml_cdata(text) + "</A></xml>");
    REQUIRE(doc.ok());
    CHECK(doc->child("A")->text == text);
    CHECK(xml_escape("<&>") == "&lt;&amp;&gt;");
}

TEST_CASE("refuses DOCTYPE, ENTITY and other markup declarations") {
    const char* bomb =
        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;\">]>\n"
        "<xml><A>&lol2;</A></xml>";
    CHECK(parse_xml(bomb).code() == Errc::bad_xml);
    CHECK(parse_xml("<!ENTITY x \"y\"><xml/>").code() == Errc::bad_xml);
    CHECK(parse_xml("<xml><!DOCTYPE x></xml>").code() == Errc::bad_xml);
    CHECK(parse_xml("<xml><!-- hi --></xml>").code() == Errc::bad_xml);
    CHECK(parse_xml("<xml><?pi x?></xml>").code() == Errc::bad_xml);
    CHECK(parse_xml("<xml><A>&lol;</A></xml>").code() == Errc::bad_xml);  // undeclared entity
    CHECK(parse_xml("<xml><A>&#0;</A></xml>").code() == Errc::bad_xml);
    CHECK(parse_xml("<xml><A>&#xD800;</A></xml>").code() == Errc::bad_xml);
}

TEST_CASE("refuses nesting deeper than the limit and too many elements") {
    std::string deep = "<xml>";
    for (int i = 0; i < 7; ++i) deep += "<a>";
    for (int i = 0; i < 7; ++i) deep += "</a>";
    deep += "</xml>";
    CHECK(parse_xml(deep).code() == Errc::bad_xml);
    XmlLimits roomy;
    roomy.max_depth = 10;
    CHECK(parse_xml(deep, roomy).ok());

    std::string wide = "<xml>";
    for (int i = 0; i < 2000; ++i) wide += "<a/>";
    wide += "</xml>";
    CHECK(parse_xml(wide).code() == Errc::bad_xml);
}

TEST_CASE("refuses bodies over the size limit") {
    XmlLimits small;
    small.max_bytes = 100;
    const std::string big = "<xml><A>" + std::string(200, 'x') + "</A></xml>";
    CHECK(parse_xml(big, small).code() == Errc::body_too_large);
    CHECK(parse_xml(big).ok());
}

TEST_CASE("refuses malformed documents") {
    CHECK(parse_xml("<xml><A>1</B></xml>").code() == Errc::bad_xml);      // mismatched
    CHECK(parse_xml("<xml><A>1</A>").code() == Errc::bad_xml);            // unterminated
    CHECK(parse_xml("<xml></xml><xml></xml>").code() == Errc::bad_xml);   // two roots
    CHECK(parse_xml("<xml a=\"1\"></xml>").code() == Errc::bad_xml);      // attributes
    CHECK(parse_xml("<xml>text<A>1</A></xml>").code() == Errc::bad_xml);  // mixed content
    CHECK(parse_xml("<xml><A><![CDATA[x</A></xml>").code() == Errc::bad_xml);
    CHECK(parse_xml("").code() == Errc::bad_xml);
    CHECK(parse_xml("{\"a\":1}").code() == Errc::bad_xml);
}
