// SPDX-License-Identifier: MIT
// Recursive-descent reader for WeChat's flat XML with hard limits on size, depth and element count.
#include <cstdint>
#include <optional>
#include <utility>
#include <yz/wechat/utf8.hpp>
#include <yz/wechat/xml_reader.hpp>

namespace yz::wechat {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool is_name_start(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool is_name_char(char c) {
    return is_name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

class Reader {
  public:
    Reader(std::string_view s, const XmlLimits& limits) : s_(s), limits_(limits) {}

    Result<XmlElement> document() {
        if (s_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;  // UTF-8 BOM
        skip_space();
        if (starts_with("<?xml")) {
            const auto end = s_.find("?>", pos_);
            if (end == std::string_view::npos) return bad("unterminated XML declaration");
            pos_ = end + 2;
            skip_space();
        }
        XmlElement root;
        if (auto err = element(root, 1)) return *err;
        skip_space();
        if (pos_ != s_.size()) return bad("content after the root element");
        return root;
    }

  private:
    using MaybeError = std::optional<Error>;

    static Error bad(std::string detail) { return fail(Errc::bad_xml, std::move(detail)); }
    bool starts_with(std::string_view p) const { return s_.substr(pos_, p.size()) == p; }
    void skip_space() {
        while (pos_ < s_.size() && is_space(s_[pos_])) ++pos_;
    }

    // Anything starting with "<!" or "<?" other than CDATA is refused outright. This is the
    // XML-bomb defence: without DOCTYPE there are no entity declarations to expand.
    MaybeError refuse_markup_declaration() const {
        if (starts_with("<!DOCTYPE") || starts_with("<!ENTITY")) {
            return bad("DOCTYPE/ENTITY declarations are not accepted");
        }
        if (starts_with("<!--")) return bad("comments are not accepted");
        if (starts_with("<?")) return bad("processing instructions are not accepted");
        return bad("markup declarations are not accepted");
    }

    Result<std::string> name() {
        const std::size_t start = pos_;
        if (pos_ >= s_.size() || !is_name_start(s_[pos_])) return bad("bad element name");
        while (pos_ < s_.size() && is_name_char(s_[pos_])) ++pos_;
        return std::string(s_.substr(start, pos_ - start));
    }

    MaybeError element(XmlElement& out, std::size_t depth) {
        if (depth > limits_.max_depth)
            return bad("nesting deeper than " + std::to_string(limits_.max_depth));
        if (++elements_ > limits_.max_elements) return bad("too many elements");
        if (starts_with("<!") || starts_with("<?")) return refuse_markup_declaration();
        if (!starts_with("<")) return bad("expected an element");
        ++pos_;
        auto n = name();
        if (!n) return n.error();
        out.name = std::move(n).value();
        skip_space();
        if (starts_with("/>")) {
            pos_ += 2;
            return std::nullopt;
        }
        if (!starts_with(">")) return bad("attributes are not accepted (<" + out.name + ">)");
        ++pos_;
        return content(out, depth);
    }

    MaybeError content(XmlElement& out, std::size_t depth) {
        bool has_text = false;
        while (true) {
            if (pos_ >= s_.size()) return bad("unterminated <" + out.name + ">");
            if (starts_with("</")) {
                pos_ += 2;
                auto closing = name();
                if (!closing || *closing != out.name) return bad("mismatched </" + out.name + ">");
                skip_space();
                if (!starts_with(">")) return bad("bad closing tag");
                ++pos_;
                if (!out.children.empty()) {
                    if (has_text) return bad("mixed content in <" + out.name + ">");
                    out.text.clear();  // only whitespace between children
                }
                return std::nullopt;
            }
            if (starts_with("<![CDATA[")) {
                const auto end = s_.find("]]>", pos_ + 9);
                if (end == std::string_view::npos) return bad("unterminated CDATA");
                out.text.append(s_.substr(pos_ + 9, end - pos_ - 9));
                has_text = true;
                pos_ = end + 3;
                continue;
            }
            if (starts_with("<!") || starts_with("<?")) return refuse_markup_declaration();
            if (starts_with("<")) {
                XmlElement child;
                if (auto err = element(child, depth + 1)) return err;
                out.children.push_back(std::move(child));
                continue;
            }
            const char c = s_[pos_];
            if (c == '&') {
                if (auto err = reference(out.text)) return err;
                has_text = true;
                continue;
            }
            if (!is_space(c)) has_text = true;
            out.text.push_back(c);
            ++pos_;
        }
    }

    MaybeError reference(std::string& text) {
        const auto end = s_.find(';', pos_);
        if (end == std::string_view::npos || end - pos_ > 12) return bad("bad entity reference");
        const std::string_view ref = s_.substr(pos_ + 1, end - pos_ - 1);
        pos_ = end + 1;
        static constexpr std::pair<std::string_view, char> kPredefined[] = {
            {"lt", '<'}, {"gt", '>'}, {"amp", '&'}, {"quot", '"'}, {"apos", '\''}};
        for (const auto& [entity, ch] : kPredefined) {
            if (ref == entity) {
                text.push_back(ch);
                return std::nullopt;
            }
        }
        if (ref.size() >= 2 && ref[0] == '#') {
            const bool hex = ref[1] == 'x';
            const std::string_view digits = ref.substr(hex ? 2 : 1);
            if (digits.empty()) return bad("bad character reference");
            std::uint32_t cp = 0;
            for (char d : digits) {
                int v = -1;
                if (d >= '0' && d <= '9') v = d - '0';
                if (hex && d >= 'a' && d <= 'f') v = d - 'a' + 10;
                if (hex && d >= 'A' && d <= 'F') v = d - 'A' + 10;
                if (v < 0) return bad("bad character reference");
                cp = cp * (hex ? 16 : 10) + static_cast<std::uint32_t>(v);
                if (cp > 0x10ffff) return bad("character reference out of range");
            }
            if (cp == 0 || (cp >= 0xd800 && cp <= 0xdfff))
                return bad("invalid character reference");
            append_utf8(text, static_cast<char32_t>(cp));
            return std::nullopt;
        }
        return bad("undeclared entity &" + std::string(ref) + ";");
    }

    std::string_view s_;
    const XmlLimits& limits_;
    std::size_t pos_ = 0;
    std::size_t elements_ = 0;
};

}  // namespace

const XmlElement* XmlElement::child(std::string_view child_name) const noexcept {
    for (const auto& c : children) {
        if (c.name == child_name) return &c;
    }
    return nullptr;
}

Result<XmlElement> parse_xml(std::string_view text, const XmlLimits& limits) {
    if (text.size() > limits.max_bytes) {
        return fail(Errc::body_too_large, "XML larger than " + std::to_string(limits.max_bytes));
    }
    return Reader(text, limits).document();
}

std::string xml_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            default:
                out.push_back(c);
        }
    }
    return out;
}

std::string xml_cdata(std::string_view text) {
    std::string out = "<![CDATA[";
    std::size_t start = 0;
    for (auto pos = text.find("]]>"); pos != std::string_view::npos;
         pos = text.find("]]>", start)) {
        out.append(text.substr(start, pos + 2 - start));
        out.append("]]><![CDATA[");
        start = pos + 2;
    }
    out.append(text.substr(start));
    out.append("]]>");
    return out;
}

}  // namespace yz::wechat
