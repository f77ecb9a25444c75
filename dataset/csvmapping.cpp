#include "csvmapping.h"

#include "asciitext_p.h"
#include "recordreader.h"

namespace dataset {

using detail::lower;
using detail::trimmed;

std::vector<std::string> readCsvHeader(const std::string &path, std::string *error)
{
    RecordReader reader;
    // A mapping no header matches: open() still reads the header, then stops.
    CsvMapping none;
    none.prompt = none.completion = std::string(1, '\0');
    none.system.clear();
    if (!reader.open(path, SourceKind::Csv, none, error))
        return {};
    if (reader.csvHeader().empty() && error)
        *error = "the CSV file has no header row";
    return reader.csvHeader();
}

CsvMapping guessCsvMapping(const std::vector<std::string> &header)
{
    static const std::vector<std::string> users = {"prompt", "question", "input", "instruction",
                                                   "query",  "user",     "human", "request"};
    static const std::vector<std::string> assistants = {
        "completion", "answer", "output", "response", "target", "assistant", "reply", "gpt"};
    static const std::vector<std::string> systems = {"system", "system_prompt", "system prompt",
                                                     "system message"};
    CsvMapping mapping;
    // The first name of each list that the header has (earlier names win: "prompt" over
    // "input" when both are there).
    auto pick = [&header](const std::vector<std::string> &names, std::string &into) {
        for (const std::string &want : names)
            for (const std::string &column : header)
                if (lower(trimmed(column)) == want) {
                    into = trimmed(column);
                    return;
                }
    };
    pick(users, mapping.prompt);
    pick(assistants, mapping.completion);
    pick(systems, mapping.system);
    return mapping;
}

} // namespace dataset
