// SPDX-License-Identifier: MIT
// CSV for exports people open in a spreadsheet, header-only so the core and every station write
// alike: UTF-8 with a byte-order mark (without it Excel on a Chinese Windows reads the file as GBK
// and shows mojibake), CRLF line ends and RFC 4180 quoting. A text cell that a spreadsheet would
// run as a formula (=, +, -, @, tab or CR first, and not a plain number) gets a leading
// apostrophe, so an export cannot carry a formula someone typed into a name field.
//
//     yz::csv::Writer w;
//     w.row({"志愿者", "项目", "时长"});
//     w.row({"张三", "路口文明劝导", "2.5"});
//     res.text(200, yz::csv::kContentType, w.text());
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace yz {
inline namespace v1 {
namespace csv {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
constexpr const char* kContentType = "text/csv; charset=utf-8";

// Whether `v` reads as a plain decimal number ("-2.5", "12"), which is safe to leave as it is.
inline bool is_number(std::string_view v) {
    size_t i = (!v.empty() && (v[0] == '-' || v[0] == '+')) ? 1 : 0;
    bool digits = false, dot = false;
    for (; i < v.size(); ++i) {
        if (v[i] >= '0' && v[i] <= '9') digits = true;
        else if (v[i] == '.' && !dot) dot = true;
        else return false;
    }
    return digits;
}

// One cell, quoted when it holds a comma, quote or line break, defused when it looks like a formula.
inline std::string cell(std::string_view v) {
    std::string s;
    if (!v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' || v[0] == '\t' || v[0] == '\r') && !is_number(v))
        s.push_back('\'');
    s.append(v);
    if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
    std::string quoted = "\"";
    for (char c : s) {
        if (c == '"') quoted.push_back('"');
        quoted.push_back(c);
    }
    quoted.push_back('"');
    return quoted;
}

// Builds a whole file in memory (exports here are a community's year, not millions of rows).
class Writer {
public:
    Writer() : out_(kUtf8Bom) {}
    void row(const std::vector<std::string>& cells) {
        for (size_t i = 0; i < cells.size(); ++i) {
            if (i) out_.push_back(',');
            out_ += cell(cells[i]);
        }
        out_ += "\r\n";
    }
    const std::string& text() const { return out_; }

private:
    std::string out_;
};

}  // namespace csv
}  // namespace v1
}  // namespace yz
