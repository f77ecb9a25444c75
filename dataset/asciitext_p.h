#pragma once

// The few byte-level text helpers that the readers of source files share: blanks as JSONL
// and CSV count them, ASCII lower case for header names and file extensions.

#include <algorithm>
#include <cctype>
#include <string>

namespace dataset::detail {

inline bool isBlank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

inline std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

inline std::string trimmed(const std::string &s)
{
    std::size_t b = 0, e = s.size();
    while (b < e && isBlank(s[b]))
        ++b;
    while (e > b && isBlank(s[e - 1]))
        --e;
    return s.substr(b, e - b);
}

} // namespace dataset::detail
