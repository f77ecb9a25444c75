#pragma once

// Which CSV columns become a chat example's messages: the mapping, a file's header row, and
// the mapping a spreadsheet's header most likely means.

#include <string>
#include <vector>

namespace dataset {

//! CSV columns (by header name) that become messages: system (optional), user, assistant.
struct CsvMapping
{
    std::string prompt = "prompt";
    std::string completion = "completion";
    std::string system = "system"; //!< used when the header has it
};

//! The column names of a CSV file's header row (trimmed, a BOM skipped); empty and `error` set
//! when the file cannot be read or has no header row.
std::vector<std::string> readCsvHeader(const std::string &path, std::string *error = nullptr);
//! The mapping a spreadsheet's header most likely means: the user column from names such as
//! prompt, question, input, instruction, query, user; the assistant column from completion,
//! answer, output, response, target, assistant; the system column from system, system_prompt.
//! Case and surrounding blanks do not matter. A role without a matching column keeps its
//! default name ("prompt", "completion", "system").
CsvMapping guessCsvMapping(const std::vector<std::string> &header);

} // namespace dataset
