#include "linetext.h"

#include "jsonstrings.h"

#include <nlohmann/json.hpp>

#include <fstream>

namespace dataset {

std::string readLineAt(const std::string &path, uint64_t offset, std::size_t maxBytes)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return {};
    in.seekg(std::streamoff(offset));
    std::string line;
    line.reserve(4096);
    char c;
    while (line.size() < maxBytes && in.get(c) && c != '\n')
        line += c;
    if (!line.empty() && line.back() == '\r')
        line.pop_back();
    return line;
}

std::string readRecordAt(const std::string &path, SourceKind kind, uint64_t offset,
                         std::size_t maxBytes)
{
    if (kind == SourceKind::Jsonl || kind == SourceKind::PromptCompletion ||
        kind == SourceKind::Auto)
        return readLineAt(path, offset, maxBytes);
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return {};
    in.seekg(std::streamoff(offset));
    std::string text;
    char c;
    if (kind == SourceKind::Csv) {
        // Up to the line end outside double quotes ("" inside quotes is a quote).
        bool inQuotes = false;
        while (text.size() < maxBytes && in.get(c)) {
            if (c == '"')
                inQuotes = !inQuotes;
            else if (c == '\n' && !inQuotes)
                break;
            text += c;
        }
    } else {
        // One JSON value: up to the ',' or ']' after it at its own depth.
        int depth = 0;
        while (in.get(c) && (c == ' ' || c == '\t' || c == '\r' || c == '\n')) {
        }
        JsonStrings strings;
        for (bool more = bool(in); more && text.size() < maxBytes; more = bool(in.get(c))) {
            if (!strings.outside(c)) {
                // inside a string: taken as it is
            } else if (c == '{' || c == '[') {
                ++depth;
            } else if ((c == '}' || c == ']') && depth > 0) {
                --depth;
                if (depth == 0) {
                    text += c;
                    break;
                }
            } else if ((c == ',' || c == ']') && depth == 0) {
                break;
            }
            text += c;
        }
    }
    // CRLF line ends inside the record shown as plain line breaks.
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i)
        if (!(text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n'))
            out += text[i];
    while (!out.empty() && (out.back() == '\r' || out.back() == ' '))
        out.pop_back();
    return out;
}

std::string indentJson(std::string_view json, bool *ok)
{
    const auto value = nlohmann::ordered_json::parse(json, nullptr, false);
    if (ok)
        *ok = !value.is_discarded();
    if (value.is_discarded())
        return std::string(json);
    return value.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace dataset
