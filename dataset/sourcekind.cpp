#include "sourcekind.h"

#include "asciitext_p.h"

#include <simdjson.h>

#include <cstring>

#include <fcntl.h>
#include <unistd.h>

namespace dataset {

using detail::isBlank;
using detail::lower;

std::string_view sourceKindName(SourceKind kind)
{
    switch (kind) {
    case SourceKind::Jsonl:
        return "JSONL";
    case SourceKind::JsonArray:
        return "JSON array";
    case SourceKind::Csv:
        return "CSV";
    case SourceKind::PromptCompletion:
        return "JSONL prompt/completion";
    case SourceKind::Auto:
        break;
    }
    return "auto";
}

std::string_view recordNoun(SourceKind kind)
{
    switch (kind) {
    case SourceKind::JsonArray:
        return "element";
    case SourceKind::Csv:
        return "row";
    case SourceKind::Jsonl:
    case SourceKind::PromptCompletion:
    case SourceKind::Auto:
        break;
    }
    return "line";
}

SourceKind guessSourceKind(const std::string &path)
{
    const std::string l = lower(path);
    if (l.size() >= 4 && l.compare(l.size() - 4, 4, ".csv") == 0)
        return SourceKind::Csv;
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return SourceKind::Jsonl;
    char head[4096];
    const ssize_t n = ::read(fd, head, sizeof head);
    ::close(fd);
    ssize_t i = 0;
    if (n >= 3 && std::memcmp(head, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < n && isBlank(head[i]))
        ++i;
    if (i < n && head[i] == '[')
        return SourceKind::JsonArray;
    // The completions format, judged by the first line (when it fits the head read here).
    const char *end = static_cast<const char *>(std::memchr(head + i, '\n', std::size_t(n - i)));
    if (!end)
        return SourceKind::Jsonl;
    simdjson::dom::parser parser;
    simdjson::dom::object first;
    if (parser.parse(std::string(head + i, std::size_t(end - (head + i)))).get(first) !=
        simdjson::SUCCESS)
        return SourceKind::Jsonl;
    simdjson::dom::element unused;
    const bool completions = first.at_key("prompt").get(unused) == simdjson::SUCCESS &&
                             first.at_key("completion").get(unused) == simdjson::SUCCESS &&
                             first.at_key("messages").get(unused) != simdjson::SUCCESS;
    return completions ? SourceKind::PromptCompletion : SourceKind::Jsonl;
}

} // namespace dataset
