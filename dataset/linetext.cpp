#include "linetext.h"

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
