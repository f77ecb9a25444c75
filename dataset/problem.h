#pragma once

// One finding of the dataset validator: which rule, where (1-based line, field path) and a
// plain sentence. Rules carry their severity: an error is something the platform refuses
// (platform-api.md §5.7, §5.8); a warning is accepted by the platform but wastes or skews
// training (duplicates, an eval set that overlaps the train set, a last turn nobody trains on).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dataset {

enum class Severity { Error, Warning, Info };

enum class Rule {
    // file and line level
    IoError,
    Bom,
    BadUtf8,
    Crlf,
    BlankLine,
    InvalidJson,
    NotObject,
    JsonArray,
    CsvColumns,
    // fields and messages
    MissingField,
    WrongType,
    EmptyMessages,
    InvalidRole,
    SystemNotFirst,
    NoAssistant,
    MissingContent,
    EmptyContent,
    MessageWeight,
    RowWeight,
    RoleOrder,
    FinalTurn,
    ContentPart,
    BadImageUrl,
    ImageInTextFormat,
    ToolCalls,
    ToolArguments,
    Tools,
    DpoOutput,
    DpoIdentical,
    DuplicateCustomId,
    BatchModel,
    // whole file
    Duplicate,
    EvalOverlap,
    TooFewRows,
    TooManyRows,
    RowsTimesEpochs,
    FileTooLarge,
    LargeUpload,
};
constexpr int kRuleCount = int(Rule::LargeUpload) + 1;

//! Stable kebab-case id ("missing-field"), used by --json, the tests and the corpus files.
std::string_view ruleId(Rule rule);
std::optional<Rule> ruleFromId(std::string_view id);
Severity ruleSeverity(Rule rule);
std::string_view severityName(Severity severity); // "error", "warning", "info"

struct Problem
{
    Rule rule = Rule::IoError;
    uint64_t line = 0;   //!< 1-based; 0 for the whole file
    uint64_t offset = 0; //!< byte offset of the line's start in the file (to open the line)
    std::string field;   //!< e.g. "messages[2].content"; empty for the whole line
    std::string message; //!< a plain sentence
    //! A CSV row's number as a spreadsheet shows it (the header is row 1); 0 for other
    //! sources. It differs from `line` after a quoted value with line breaks in it.
    uint64_t row = 0;
    Severity severity() const { return ruleSeverity(rule); }
};

} // namespace dataset
