// The dataset validator against the corpus in tests/data/dataset: every good file passes with
// the right format and no problem; every bad file breaks exactly the rule it is named after,
// at the line and field given here.

#include <dataset/validator.h>

#include "reporttext.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace {

std::string corpus(const std::string &name)
{
    return std::string(FIREDECK_TEST_DATA_DIR) + "/dataset/" + name;
}

using datasettest::readAll;

using datasettest::describe;

struct GoodCase
{
    const char *file;
    dataset::Format format;
    dataset::SourceKind source;
    uint64_t examples;
};

class GoodFiles : public ::testing::TestWithParam<GoodCase>
{
};

TEST_P(GoodFiles, AcceptedWithTheirFormatAndNoProblem)
{
    const GoodCase c = GetParam();
    const auto report = dataset::validate(corpus(c.file));
    EXPECT_TRUE(report.accepted()) << describe(report.train);
    EXPECT_TRUE(report.train.problems.empty()) << describe(report.train);
    EXPECT_EQ(report.train.detected, c.format);
    EXPECT_EQ(report.train.checkedAs, c.format);
    EXPECT_EQ(report.train.source, c.source);
    EXPECT_EQ(report.train.examples, c.examples);
}

using dataset::Format;
using dataset::SourceKind;
INSTANTIATE_TEST_SUITE_P(
    Corpus, GoodFiles,
    ::testing::Values(GoodCase{"good/sft-chat.jsonl", Format::SftChat, SourceKind::Jsonl, 4},
                      GoodCase{"good/sft-vision.jsonl", Format::SftVision, SourceKind::Jsonl, 3},
                      GoodCase{"good/dpo.jsonl", Format::Dpo, SourceKind::Jsonl, 3},
                      GoodCase{"good/rft.jsonl", Format::Rft, SourceKind::Jsonl, 3},
                      GoodCase{"good/batch.jsonl", Format::Batch, SourceKind::Jsonl, 2},
                      GoodCase{"good/sft-array.json", Format::SftChat, SourceKind::JsonArray, 3},
                      GoodCase{"good/sft.csv", Format::SftChat, SourceKind::Csv, 4}));

struct BadCase
{
    const char *file;
    const char *rule;
    uint64_t line;
    const char *field;
    const char *messagePart; // a piece of the plain message
    std::optional<Format> format = std::nullopt;
};

class BadFiles : public ::testing::TestWithParam<BadCase>
{
};

TEST_P(BadFiles, ReportTheirOneProblemAtTheLineAndField)
{
    const BadCase c = GetParam();
    dataset::ValidationOptions options;
    options.format = c.format;
    const auto report = dataset::validate(corpus(c.file), options);
    ASSERT_EQ(report.train.problems.size(), 1u) << describe(report.train);
    const dataset::Problem &p = report.train.problems.front();
    EXPECT_EQ(dataset::ruleId(p.rule), c.rule);
    EXPECT_EQ(p.line, c.line);
    EXPECT_EQ(p.field, c.field);
    EXPECT_NE(p.message.find(c.messagePart), std::string::npos) << p.message;
    EXPECT_EQ(report.accepted(), p.severity() != dataset::Severity::Error);
    EXPECT_EQ(report.train.count(p.rule), 1u);
}

INSTANTIATE_TEST_SUITE_P(
    Corpus, BadFiles,
    ::testing::Values(
        BadCase{"bad/bom.jsonl", "bom", 1, "", "byte order mark"},
        BadCase{"bad/bad-utf8.jsonl", "bad-utf8", 2, "", "byte 43"},
        BadCase{"bad/crlf.jsonl", "crlf", 3, "", "CRLF"},
        BadCase{"bad/blank-line.jsonl", "blank-line", 2, "", "empty line"},
        BadCase{"bad/invalid-json.jsonl", "invalid-json", 3, "", "invalid JSON"},
        BadCase{"bad/not-object.jsonl", "not-object", 2, "", "a list, not a JSON object"},
        BadCase{"bad/missing-messages.jsonl", "missing-field", 4, "messages", "'messages'"},
        BadCase{"bad/wrong-type.jsonl", "wrong-type", 2, "messages", "not a string"},
        BadCase{"bad/empty-messages.jsonl", "empty-messages", 3, "messages", "is empty"},
        BadCase{"bad/invalid-role.jsonl", "invalid-role", 2, "messages[1].role", "'bot'"},
        BadCase{"bad/system-not-first.jsonl", "system-not-first", 3, "messages[2].role",
                "first message"},
        BadCase{"bad/no-assistant.jsonl", "no-assistant", 2, "messages", "no assistant"},
        BadCase{"bad/missing-content.jsonl", "missing-content", 3, "messages[1].content",
                "'content'"},
        BadCase{"bad/empty-content.jsonl", "empty-content", 2, "messages[1].content", "whitespace"},
        BadCase{"bad/message-weight.jsonl", "message-weight", 3, "messages[1].weight", "0 or 1"},
        BadCase{"bad/row-weight-mixed.jsonl", "row-weight", 3, "weight", "3 of 4 rows"},
        BadCase{"bad/row-weight-type.jsonl", "row-weight", 2, "weight", "a number"},
        BadCase{"bad/role-order.jsonl", "role-order", 3, "messages[2].role",
                "two assistant messages in a row"},
        BadCase{"bad/final-turn.jsonl", "final-turn", 2, "messages[2].role",
                "last message is a user message"},
        BadCase{"bad/content-part.jsonl", "content-part", 2, "messages[0].content[1].type",
                "'audio'"},
        BadCase{"bad/bad-image-url.jsonl", "bad-image-url", 3,
                "messages[0].content[1].image_url.url", "http(s)"},
        BadCase{"bad/image-in-chat.jsonl", "image-in-text-format", 3, "messages[0].content[1]",
                "SFT vision", Format::SftChat},
        BadCase{"bad/tool-calls.jsonl", "tool-calls", 2,
                "messages[1].tool_calls[0].function.arguments", "JSON string"},
        BadCase{"bad/tool-arguments.jsonl", "tool-arguments", 3,
                "messages[1].tool_calls[0].function.arguments", "not valid JSON"},
        BadCase{"bad/tools.jsonl", "tools", 1, "tools[0]", "a tool must be"},
        BadCase{"bad/dpo-missing.jsonl", "missing-field", 2, "non_preferred_output",
                "'non_preferred_output'"},
        BadCase{"bad/dpo-output.jsonl", "dpo-output", 3, "preferred_output[0].role",
                "user message"},
        BadCase{"bad/dpo-identical.jsonl", "dpo-identical", 2, "non_preferred_output", "identical"},
        BadCase{"bad/rft-missing-content.jsonl", "missing-content", 2, "messages[0].content",
                "'content'"},
        BadCase{"bad/rft-final-turn.jsonl", "final-turn", 2, "messages[1].role", "assistant's"},
        BadCase{"bad/batch-duplicate-id.jsonl", "duplicate-custom-id", 3, "custom_id", "line 1"},
        BadCase{"bad/batch-model.jsonl", "batch-model", 2, "body.model", "ignored"},
        BadCase{"bad/batch-missing-body.jsonl", "missing-field", 2, "body", "'body'"},
        BadCase{"bad/duplicate.jsonl", "duplicate", 4, "", "line 2"},
        BadCase{"bad/too-few-rows.jsonl", "too-few-rows", 0, "", "has 2"},
        BadCase{"bad/array-unclosed.json", "json-array", 5, "", "not closed"},
        BadCase{"bad/array-element.json", "missing-field", 5, "messages", "'messages'"},
        BadCase{"bad/csv-columns.csv", "csv-columns", 1, "", "no column 'completion'"},
        BadCase{"bad/csv-empty-completion.csv", "empty-content", 5,
                "messages[1].content (CSV column 'completion')", "empty"}));

TEST(DatasetValidator, FinalTurnAsRftIsReportedOnEveryRowThatEndsWithTheAnswer)
{
    // good/sft-chat.jsonl checked as RFT: the test above saw the first of four.
    dataset::ValidationOptions options;
    options.format = Format::Rft;
    options.maxProblemsPerRule = 1;
    const auto report = dataset::validate(corpus("good/sft-chat.jsonl"), options);
    EXPECT_EQ(report.train.count(dataset::Rule::FinalTurn), 4u);
    // Stored: capped at one per rule; counted: all.
    EXPECT_EQ(std::count_if(report.train.problems.begin(), report.train.problems.end(),
                            [](const auto &p) { return p.rule == dataset::Rule::FinalTurn; }),
              1);
}

TEST(DatasetValidator, EvalRowsThatAreAlsoTrainRowsAreReportedInTheEvalFile)
{
    dataset::ValidationOptions options;
    options.evalPath = corpus("bad/eval-eval.jsonl");
    const auto report = dataset::validate(corpus("bad/eval-train.jsonl"), options);
    EXPECT_TRUE(report.train.problems.empty()) << describe(report.train);
    ASSERT_TRUE(report.eval.has_value());
    ASSERT_EQ(report.eval->problems.size(), 1u) << describe(*report.eval);
    const auto &p = report.eval->problems.front();
    EXPECT_EQ(p.rule, dataset::Rule::EvalOverlap);
    EXPECT_EQ(p.line, 2u);
    EXPECT_EQ(p.field, "");
    EXPECT_NE(p.message.find("line 3 of the training file"), std::string::npos) << p.message;
    EXPECT_TRUE(report.accepted()); // a warning: the platform takes it
}

// The size limits, lowered through the options so that a small corpus file crosses them: the
// one problem, its line (0: the whole file), field and the whole message.
struct LimitCase
{
    const char *name;
    const char *file;
    std::function<void(dataset::ValidationOptions &)> lower;
    const char *rule;
    const char *message;
    bool accepted;
};

class Limits : public ::testing::TestWithParam<LimitCase>
{
};

TEST_P(Limits, ReportTheirOneProblemWithTheWholeMessage)
{
    const LimitCase &c = GetParam();
    dataset::ValidationOptions options;
    c.lower(options);
    const auto report = dataset::validate(corpus(c.file), options);
    ASSERT_EQ(report.train.problems.size(), 1u) << describe(report.train);
    const dataset::Problem &p = report.train.problems.front();
    EXPECT_EQ(dataset::ruleId(p.rule), std::string(c.rule));
    EXPECT_EQ(p.line, 0u);
    EXPECT_EQ(p.field, "");
    EXPECT_EQ(p.message, c.message);
    EXPECT_EQ(report.accepted(), c.accepted);
}

INSTANTIATE_TEST_SUITE_P(
    Corpus, Limits,
    ::testing::Values(
        // good/sft-chat.jsonl: 4 examples, 836 bytes; good/batch.jsonl: 203 bytes.
        LimitCase{"tooManyRows", "good/sft-chat.jsonl", [](auto &o) { o.maxTrainingRows = 3; },
                  "too-many-rows", "a dataset may hold at most 3 examples; this one has 4", false},
        LimitCase{"rowsTimesEpochs", "good/sft-chat.jsonl", [](auto &o) { o.epochs = 1'000'000; },
                  "rows-times-epochs",
                  "4 examples × 1,000,000 epochs is over the platform's 3,000,000 limit", false},
        LimitCase{"rowsTimesEpochsLowered", "good/sft-chat.jsonl",
                  [](auto &o) {
                      o.maxTrainingRows = 7;
                      o.epochs = 2;
                  },
                  "rows-times-epochs", "4 examples × 2 epochs is over the platform's 7 limit",
                  false},
        LimitCase{"tooFewRows", "good/sft-chat.jsonl", [](auto &o) { o.minTrainingRows = 5; },
                  "too-few-rows", "a training dataset needs at least 5 examples; this one has 4",
                  false},
        LimitCase{"fileTooLarge", "good/batch.jsonl", [](auto &o) { o.maxBatchInputBytes = 203; },
                  "file-too-large",
                  "a batch inference input must be under 203 bytes; this file has 203 bytes",
                  false},
        LimitCase{"largeUpload", "good/sft-chat.jsonl", [](auto &o) { o.maxMultipartBytes = 835; },
                  "large-upload",
                  "the file is over 835 bytes: it is uploaded through signed URLs, not one request",
                  true}),
    [](const auto &info) { return std::string(info.param.name); });

TEST(DatasetValidator, LimitsJustInsideAreNotReported)
{
    dataset::ValidationOptions options;
    options.maxTrainingRows = 4; // 4 examples: allowed
    options.minTrainingRows = 4;
    options.maxMultipartBytes = 836; // exactly the file: one request still
    auto report = dataset::validate(corpus("good/sft-chat.jsonl"), options);
    EXPECT_TRUE(report.train.problems.empty()) << describe(report.train);
    dataset::ValidationOptions batch;
    batch.maxBatchInputBytes = 204; // "under 204 bytes": 203 is
    report = dataset::validate(corpus("good/batch.jsonl"), batch);
    EXPECT_TRUE(report.train.problems.empty()) << describe(report.train);
}

TEST(DatasetValidator, DefaultLimitsAreTheDocumentedOnes)
{
    // platform-api.md §5.7 and the seeds' fine-tuning and batch pages: SFT/DPO/VLM rows
    // 3 … 3,000,000; rows × epochs ≤ 3,000,000 ("3 million dataset examples × epochs");
    // `:upload` "up to 150Mb" per request; batch input "Under 500MB". The platform's pages
    // count MB in decimal.
    const dataset::ValidationOptions defaults;
    EXPECT_EQ(defaults.minTrainingRows, 3u);
    EXPECT_EQ(defaults.maxTrainingRows, 3'000'000u);
    EXPECT_EQ(defaults.maxMultipartBytes, 150'000'000u);
    EXPECT_EQ(defaults.maxBatchInputBytes, 500'000'000u);
    EXPECT_EQ(defaults.epochs, 1);
}

TEST(DatasetValidator, EvidenceCountsTheRowsThatShowEachSign)
{
    const auto report = dataset::validate(corpus("good/sft-chat.jsonl"));
    const auto &e = report.train.evidence;
    EXPECT_EQ(e.messages, 4u);
    EXPECT_EQ(e.tools, 1u);
    EXPECT_EQ(e.toolCalls, 1u);
    EXPECT_EQ(e.endsWithAssistant, 4u);
    EXPECT_EQ(dataset::describeEvidence(e).substr(0, 45),
              "4 lines have \"messages\"; 1 also has \"tools\"; ");
}

TEST(DatasetValidator, ProblemOffsetsPointAtTheLine)
{
    const std::string path = corpus("bad/duplicate.jsonl");
    const auto report = dataset::validate(path);
    ASSERT_EQ(report.train.problems.size(), 1u);
    const std::string text = readAll(path);
    const uint64_t offset = report.train.problems.front().offset;
    // Line 4 starts after the third newline.
    std::size_t expected = 0;
    for (int i = 0; i < 3; ++i)
        expected = text.find('\n', expected) + 1;
    EXPECT_EQ(offset, expected);
}

TEST(DatasetValidator, SniffDetectsTheFormatFromTheFirstRecords)
{
    const auto sniff = dataset::sniffFormat(corpus("good/dpo.jsonl"));
    EXPECT_EQ(sniff.format, Format::Dpo);
    EXPECT_EQ(sniff.records, 3u);
    EXPECT_TRUE(sniff.reachedEnd);
    const auto partial = dataset::sniffFormat(corpus("good/dpo.jsonl"), SourceKind::Auto, {}, 2);
    EXPECT_EQ(partial.records, 2u);
    EXPECT_FALSE(partial.reachedEnd);
}

TEST(DatasetValidator, AMessageWithAnUnreadableRoleIsOneProblemNotTwo)
{
    // A misspelt role, a missing role, a message that is not an object: each its own error,
    // and the next message is not also reported as starting the conversation (or as a second
    // assistant turn, or as a row without an assistant turn) because of it. A real order problem
    // later in the row is still reported.
    const std::string path = (std::filesystem::temp_directory_path() /
                              ("firedeck-roles-" + std::to_string(::getpid()) + ".jsonl"))
                                 .string();
    std::ofstream(path, std::ios::binary)
        << R"({"messages":[{"role":"usr","content":"q"},{"role":"assistant","content":"a"}]})"
           "\n"
        << R"({"messages":[{"content":"q"},{"role":"assistant","content":"a"}]})"
           "\n"
        << R"({"messages":["q",{"role":"assistant","content":"a"},)"
           R"({"role":"assistant","content":"b"}]})"
           "\n"
        // The answer's role misspelt: not also "no assistant message to train on".
        << R"({"messages":[{"role":"user","content":"q"},{"role":"bot","content":"a"}]})"
           "\n";
    const auto report = dataset::validate(path);
    std::filesystem::remove(path);
    std::vector<std::string> found;
    for (const auto &p : report.train.problems)
        found.push_back(std::to_string(p.line) + " " + std::string(dataset::ruleId(p.rule)) + " " +
                        p.field);
    EXPECT_EQ(found, (std::vector<std::string>{
                         "1 invalid-role messages[0].role", "2 missing-field messages[0].role",
                         "3 wrong-type messages[0]", "3 role-order messages[2].role",
                         "4 invalid-role messages[1].role"}))
        << describe(report.train);
}

TEST(DatasetValidator, InvalidJsonSaysWhatToLookForInTheLine)
{
    const std::string path = (std::filesystem::temp_directory_path() /
                              ("firedeck-json-" + std::to_string(::getpid()) + ".jsonl"))
                                 .string();
    std::ofstream(path, std::ios::binary) << R"({"messages": [{"role": "user", "content": "cut)"
                                             "\n"
                                             R"({"messages": [}])"
                                             "\n"
                                             "not json\n"
                                             R"({"weight": 01})"
                                             "\n"
                                             R"({"messages": "\q"})"
                                             "\n";
    dataset::ValidationOptions options;
    options.format = Format::SftChat;
    const auto report = dataset::validate(path, options);
    std::filesystem::remove(path);
    std::vector<std::string> found;
    for (const auto &p : report.train.problems)
        if (p.rule == dataset::Rule::InvalidJson)
            found.push_back(std::to_string(p.line) + " " + p.message);
    EXPECT_EQ(found,
              (std::vector<std::string>{
                  "1 invalid JSON: a string is opened but never closed (the line is cut off, or "
                  "a value holds a line break that is not written as \\n)",
                  "2 invalid JSON: the brackets and commas do not fit together (a ',', '}' or "
                  "']' missing or too many)",
                  "3 invalid JSON: a word outside double quotes that is not true, false or null",
                  "4 invalid JSON: a number JSON does not allow (a leading zero or +, a trailing "
                  "dot)",
                  "5 invalid JSON: a backslash in a string that does not start an escape (\\\", "
                  "\\\\, \\n, \\t, \\u…)"}))
        << describe(report.train);
}

TEST(DatasetValidator, MissingFileIsAnIoError)
{
    const auto report = dataset::validate(corpus("no-such-file.jsonl"));
    EXPECT_FALSE(report.accepted());
    ASSERT_FALSE(report.train.problems.empty());
    EXPECT_EQ(report.train.problems.front().rule, dataset::Rule::IoError);
}

class LargeFile : public ::testing::Test
{
protected:
    void SetUp() override
    {
        m_path = (std::filesystem::temp_directory_path() /
                  ("firedeck-dataset-" + std::to_string(::getpid()) + ".jsonl"))
                     .string();
        std::ofstream out(m_path, std::ios::binary);
        // 20,000 distinct rows, one long one (over the 4 MiB read buffer) in the middle.
        for (int i = 0; i < 20000; ++i) {
            if (i == 10000) {
                out << R"({"messages":[{"role":"user","content":")" << std::string(9 << 20, 'x')
                    << R"("},{"role":"assistant","content":"long"}]})"
                    << "\n";
                continue;
            }
            out << R"({"messages":[{"role":"user","content":"question )" << i
                << R"("},{"role":"assistant","content":"answer"}]})"
                << "\n";
        }
    }
    void TearDown() override { std::filesystem::remove(m_path); }
    std::string m_path;
};

TEST_F(LargeFile, ReadsEveryLineAcrossBufferRefillsAndLeavesTheFileAlone)
{
    const std::string before = readAll(m_path);
    uint64_t lastDone = 0, lastTotal = 0;
    int calls = 0;
    dataset::ValidationOptions options;
    options.progress = [&](uint64_t done, uint64_t total) {
        EXPECT_GE(done, lastDone);
        lastDone = done;
        lastTotal = total;
        ++calls;
    };
    const auto report = dataset::validate(m_path, options);
    EXPECT_TRUE(report.train.problems.empty()) << describe(report.train);
    EXPECT_EQ(report.train.examples, 20000u);
    EXPECT_GT(calls, 1);
    EXPECT_EQ(lastDone, before.size());
    EXPECT_EQ(lastTotal, before.size());
    EXPECT_EQ(readAll(m_path), before);
}

TEST_F(LargeFile, CancelStopsThePass)
{
    std::atomic<bool> cancel{false};
    uint64_t seen = 0;
    dataset::ValidationOptions options;
    options.cancel = &cancel;
    options.onRecord = [&](const dataset::Record &, const dataset::RecordVerdict &) {
        if (++seen == 100)
            cancel = true;
    };
    const auto report = dataset::validate(m_path, options);
    EXPECT_TRUE(report.cancelled);
    EXPECT_FALSE(report.accepted());
    EXPECT_EQ(report.train.records, 100u);
}

} // namespace

TEST(DatasetFormat, GroupThousands)
{
    EXPECT_EQ(dataset::groupThousands(0), "0");
    EXPECT_EQ(dataset::groupThousands(68), "68");
    EXPECT_EQ(dataset::groupThousands(999), "999");
    EXPECT_EQ(dataset::groupThousands(1000), "1,000");
    EXPECT_EQ(dataset::groupThousands(12000), "12,000");
    EXPECT_EQ(dataset::groupThousands(3000000), "3,000,000");
}
