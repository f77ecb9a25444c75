#include "problem.h"

#include <array>

namespace dataset {

namespace {

struct RuleInfo
{
    Rule rule;
    std::string_view id;
    Severity severity;
};

// Errors: the platform refuses the file (or the job fails in VALIDATING). Warnings: the
// platform accepts it, but the data is probably not what the user meant.
constexpr std::array<RuleInfo, kRuleCount> kRules{{
    {Rule::IoError, "io-error", Severity::Error},
    {Rule::Bom, "bom", Severity::Error},
    {Rule::BadUtf8, "bad-utf8", Severity::Error},
    {Rule::Crlf, "crlf", Severity::Warning},
    {Rule::BlankLine, "blank-line", Severity::Warning},
    {Rule::InvalidJson, "invalid-json", Severity::Error},
    {Rule::NotObject, "not-object", Severity::Error},
    {Rule::JsonArray, "json-array", Severity::Error},
    {Rule::CsvColumns, "csv-columns", Severity::Error},
    {Rule::MissingField, "missing-field", Severity::Error},
    {Rule::WrongType, "wrong-type", Severity::Error},
    {Rule::EmptyMessages, "empty-messages", Severity::Error},
    {Rule::InvalidRole, "invalid-role", Severity::Error},
    {Rule::SystemNotFirst, "system-not-first", Severity::Error},
    {Rule::NoAssistant, "no-assistant", Severity::Error},
    {Rule::MissingContent, "missing-content", Severity::Error},
    {Rule::EmptyContent, "empty-content", Severity::Warning},
    {Rule::MessageWeight, "message-weight", Severity::Error},
    {Rule::RowWeight, "row-weight", Severity::Error},
    {Rule::RoleOrder, "role-order", Severity::Warning},
    {Rule::FinalTurn, "final-turn", Severity::Warning},
    {Rule::ContentPart, "content-part", Severity::Error},
    {Rule::BadImageUrl, "bad-image-url", Severity::Error},
    {Rule::ImageInTextFormat, "image-in-text-format", Severity::Error},
    {Rule::ToolCalls, "tool-calls", Severity::Error},
    {Rule::ToolArguments, "tool-arguments", Severity::Warning},
    {Rule::Tools, "tools", Severity::Error},
    {Rule::DpoOutput, "dpo-output", Severity::Error},
    {Rule::DpoIdentical, "dpo-identical", Severity::Warning},
    {Rule::DuplicateCustomId, "duplicate-custom-id", Severity::Error},
    {Rule::BatchModel, "batch-model", Severity::Warning},
    {Rule::Duplicate, "duplicate", Severity::Warning},
    {Rule::EvalOverlap, "eval-overlap", Severity::Warning},
    {Rule::TooFewRows, "too-few-rows", Severity::Error},
    {Rule::TooManyRows, "too-many-rows", Severity::Error},
    {Rule::RowsTimesEpochs, "rows-times-epochs", Severity::Error},
    {Rule::FileTooLarge, "file-too-large", Severity::Error},
    {Rule::LargeUpload, "large-upload", Severity::Info},
}};

constexpr bool tableInOrder()
{
    for (int i = 0; i < kRuleCount; ++i)
        if (int(kRules[std::size_t(i)].rule) != i)
            return false;
    return true;
}
static_assert(tableInOrder(), "kRules must list every Rule in declaration order");

} // namespace

std::string_view ruleId(Rule rule)
{
    return kRules[std::size_t(rule)].id;
}

std::optional<Rule> ruleFromId(std::string_view id)
{
    for (const RuleInfo &info : kRules)
        if (info.id == id)
            return info.rule;
    return std::nullopt;
}

Severity ruleSeverity(Rule rule)
{
    return kRules[std::size_t(rule)].severity;
}

std::string_view severityName(Severity severity)
{
    switch (severity) {
    case Severity::Error:
        return "error";
    case Severity::Warning:
        return "warning";
    case Severity::Info:
        return "info";
    }
    return "error";
}

} // namespace dataset
