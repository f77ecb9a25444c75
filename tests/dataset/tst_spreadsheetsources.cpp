// Sources as a fine-tuner has them, not as the corpus has them: a CSV exported from a
// spreadsheet ("CSV UTF-8": a byte order mark, CRLF, a question/answer header, quoted commas and
// line breaks, an empty row, a row typed short, a row with an unquoted comma) and a JSON array
// file written by json.dump(indent=2) or on one line. What the validator says about each row,
// the mapping guessed from the header, the cleaned JSONL, and the record a viewer shows for a
// problem.

#include <dataset/cleaner.h>
#include <dataset/linetext.h>
#include <dataset/recordreader.h>
#include <dataset/validator.h>

#include "reporttext.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using dataset::Rule;
using dataset::SourceKind;

using datasettest::readAll;

using datasettest::describe;

// Lines: 1 header, 2, 3, 4-6 (a quoted three-line answer), 7 empty row, 8 short row,
// 9 an unquoted comma, 10 a trailing empty value (fine), 11.
const std::string kSheet = "\xEF\xBB\xBF"
                           "Question,Answer,Notes\r\n"
                           "What is 2+2?,4,easy\r\n"
                           "\"Name three colours, with commas\",\"Red, green, blue\",\r\n"
                           "\"Write a haiku about rain\",\"Soft rain on the roof\r\n"
                           "the gutters hum a low song\r\n"
                           "sleep comes through the sound\",poem\r\n"
                           ",,\r\n"
                           "Only a question here\r\n"
                           "How much is 1,5 plus 1?,2,5,decimal comma\r\n"
                           "Capital of France?,Paris,,\r\n"
                           "\"He said \"\"hi\"\"\",\"\"\"hi\"\"\",quotes\r\n";

class SpreadsheetSources : public ::testing::Test
{
protected:
    void SetUp() override
    {
        m_dir = fs::temp_directory_path() / ("firedeck-sheet-" + std::to_string(::getpid()));
        fs::create_directories(m_dir);
    }
    void TearDown() override { fs::remove_all(m_dir); }
    std::string write(const std::string &name, const std::string &text) const
    {
        const std::string path = (m_dir / name).string();
        std::ofstream(path, std::ios::binary) << text;
        return path;
    }
    fs::path m_dir;
};

TEST_F(SpreadsheetSources, HeaderColumnsAreReadAndTheMappingGuessed)
{
    const std::string path = write("sheet.csv", kSheet);
    std::string error;
    const auto header = dataset::readCsvHeader(path, &error);
    EXPECT_EQ(error, "");
    // The BOM is not part of the first name, and the names keep their case.
    EXPECT_EQ(header, (std::vector<std::string>{"Question", "Answer", "Notes"}));
    const dataset::CsvMapping mapping = dataset::guessCsvMapping(header);
    EXPECT_EQ(mapping.prompt, "Question");
    EXPECT_EQ(mapping.completion, "Answer");
    EXPECT_EQ(mapping.system, "system"); // none in the header: the default stays

    const auto other = dataset::guessCsvMapping({" Instruction ", "Output", "System Prompt"});
    EXPECT_EQ(other.prompt, "Instruction");
    EXPECT_EQ(other.completion, "Output");
    EXPECT_EQ(other.system, "System Prompt");
    // prompt wins over input when both are there.
    EXPECT_EQ(dataset::guessCsvMapping({"input", "prompt", "completion"}).prompt, "prompt");

    dataset::readCsvHeader(write("empty.csv", ""), &error);
    EXPECT_NE(error.find("no header row"), std::string::npos) << error;
    dataset::readCsvHeader((m_dir / "missing.csv").string(), &error);
    EXPECT_NE(error.find("cannot open"), std::string::npos) << error;
}

TEST_F(SpreadsheetSources, ValidatorSaysWhichRowsDoNotFitTheHeaderAndIgnoresTheBom)
{
    const std::string path = write("sheet.csv", kSheet);
    dataset::ValidationOptions options;
    options.csv = dataset::guessCsvMapping(dataset::readCsvHeader(path));
    const auto report = dataset::validate(path, options);
    const dataset::FileReport &t = report.train;
    // The BOM goes with the conversion to JSONL: a spreadsheet's export is not at fault.
    EXPECT_EQ(t.count(Rule::Bom), 0u) << describe(t);
    EXPECT_EQ(t.count(Rule::CsvColumns), 2u) << describe(t);
    EXPECT_EQ(t.examples, 7u); // the empty row ",," is skipped
    EXPECT_EQ(t.examplesWithErrors, 2u);
    std::vector<const dataset::Problem *> rows;
    for (const auto &p : t.problems)
        if (p.rule == Rule::CsvColumns)
            rows.push_back(&p);
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0]->line, 8u);
    EXPECT_NE(rows[0]->message.find("1 value, so its 'Answer' column (column 2 of 3) is missing"),
              std::string::npos)
        << rows[0]->message;
    EXPECT_EQ(rows[1]->line, 9u);
    EXPECT_NE(rows[1]->message.find("5 values but the header has 3 columns"), std::string::npos)
        << rows[1]->message;
}

TEST_F(SpreadsheetSources, AProblemInAMessageNamesItsCsvColumn)
{
    // Row 2 has a system message, so its answer is messages[2]; row 3 has none.
    const std::string path = write("support.csv", "System,Question,Answer\n"
                                                  "Be brief.,Hi,\n"
                                                  ",Hello, \n"
                                                  ",Third,Fine\n");
    dataset::ValidationOptions options;
    options.csv = dataset::guessCsvMapping(dataset::readCsvHeader(path));
    const auto report = dataset::validate(path, options);
    std::vector<std::string> fields;
    for (const auto &p : report.train.problems)
        if (p.rule == Rule::EmptyContent)
            fields.push_back(std::to_string(p.line) + " " + p.field);
    EXPECT_EQ(fields, (std::vector<std::string>{"2 messages[2].content (CSV column 'Answer')",
                                                "3 messages[1].content (CSV column 'Answer')"}))
        << describe(report.train);
    // A JSONL file's fields stay as they are.
    const std::string jsonl = write("chat.jsonl", R"({"messages":[{"role":"user","content":"a"},)"
                                                  R"({"role":"assistant","content":""}]})"
                                                  "\n");
    const auto plain = dataset::validate(jsonl);
    ASSERT_FALSE(plain.train.problems.empty());
    bool found = false;
    for (const auto &p : plain.train.problems)
        found = found || (p.rule == Rule::EmptyContent && p.field == "messages[1].content");
    EXPECT_TRUE(found) << describe(plain.train);
}

TEST_F(SpreadsheetSources, ARowTooShortForAColumnIsOneProblemNotTwo)
{
    // Row 2 stops before its answer, row 3 before both of its message columns; row 4's answer
    // is there but blank, a different cause, which keeps its own warning.
    const std::string path = write("short.csv", "Id,Question,Answer\n"
                                                "1,Only a question\n"
                                                "2\n"
                                                "3,A question, \n"
                                                "4,Fine,Yes\n");
    dataset::ValidationOptions options;
    options.csv = dataset::guessCsvMapping(dataset::readCsvHeader(path));
    const auto report = dataset::validate(path, options);
    std::vector<std::string> found;
    for (const auto &p : report.train.problems)
        found.push_back(std::to_string(p.line) + " " + std::string(dataset::ruleId(p.rule)) + " " +
                        p.message);
    EXPECT_EQ(found,
              (std::vector<std::string>{
                  "2 csv-columns the row has 2 values, so its 'Answer' column (column 3 of 3) is "
                  "missing",
                  "3 csv-columns the row has 1 value, so its 'Question' and 'Answer' columns "
                  "(columns 2 and 3 of 3) are missing",
                  "4 empty-content the message content is only whitespace"}))
        << describe(report.train);
    EXPECT_EQ(report.train.examplesWithErrors, 2u);
    EXPECT_EQ(report.train.warnings, 1u);
}

TEST_F(SpreadsheetSources, ACsvProblemCarriesTheRowASpreadsheetShows)
{
    const std::string path = write("sheet.csv", kSheet);
    dataset::ValidationOptions options;
    options.csv = dataset::guessCsvMapping(dataset::readCsvHeader(path));
    const auto report = dataset::validate(path, options);
    std::vector<std::string> where;
    for (const auto &p : report.train.problems)
        if (p.rule == Rule::CsvColumns)
            where.push_back("line " + std::to_string(p.line) + " row " + std::to_string(p.row));
    // The haiku's answer spans lines 4-6, so from there on a row is two lines above its line
    // (the header is row 1, the empty row ",," counts, as in the spreadsheet).
    EXPECT_EQ(where, (std::vector<std::string>{"line 8 row 6", "line 9 row 7"}))
        << describe(report.train);
    // A JSONL line has no row.
    const std::string jsonl = write("chat.jsonl", "{\"messages\":[]}\n");
    const auto plain = dataset::validate(jsonl);
    ASSERT_FALSE(plain.train.problems.empty());
    for (const auto &p : plain.train.problems)
        EXPECT_EQ(p.row, 0u) << p.message;
    // The Format step's evidence counts in what the source holds.
    const dataset::Sniff sniff = dataset::sniffFormat(path, SourceKind::Auto, options.csv);
    EXPECT_EQ(
        dataset::describeEvidence(sniff.evidence, dataset::recordNoun(sniff.source)).substr(0, 22),
        "7 rows have \"messages\"");
    EXPECT_EQ(dataset::recordNoun(SourceKind::JsonArray), "element");
    EXPECT_EQ(dataset::recordNoun(SourceKind::Jsonl), "line");
}

TEST_F(SpreadsheetSources, CompletionsFormatLinesAreReadAsMessages)
{
    // OpenAI's legacy fine-tuning lines: detected by the first line, each read as a user and an
    // assistant message; a problem in one names the key it came from.
    const std::string path = write("legacy.jsonl", R"({"prompt": "2+2?", "completion": "4"})"
                                                   "\n"
                                                   R"({"prompt": "Hi", "completion": " "})"
                                                   "\n"
                                                   R"({"prompt": "Alone"})"
                                                   "\n");
    EXPECT_EQ(dataset::guessSourceKind(path), SourceKind::PromptCompletion);
    dataset::RecordReader reader;
    ASSERT_TRUE(reader.open(path, SourceKind::Auto));
    dataset::Record record;
    ASSERT_TRUE(reader.next(record));
    EXPECT_EQ(std::string(record.data, record.size),
              R"({"messages":[{"role":"user","content":"2+2?"},)"
              R"({"role":"assistant","content":"4"}]})");
    const auto report = dataset::validate(path);
    EXPECT_EQ(report.train.source, SourceKind::PromptCompletion);
    EXPECT_EQ(report.train.checkedAs, dataset::Format::SftChat);
    std::vector<std::string> found;
    for (const auto &p : report.train.problems)
        found.push_back(std::to_string(p.line) + " " + std::string(dataset::ruleId(p.rule)) + " " +
                        p.field);
    EXPECT_EQ(found, (std::vector<std::string>{"2 empty-content messages[1].content (from "
                                               "'completion')",
                                               "3 no-assistant messages"}))
        << describe(report.train);
    // A chat file, or one whose first line has messages, is read as it is.
    EXPECT_EQ(dataset::guessSourceKind(write("chat.jsonl", R"({"messages": [], "prompt": "x",)"
                                                           R"( "completion": "y"})"
                                                           "\n")),
              SourceKind::Jsonl);
    EXPECT_EQ(dataset::guessSourceKind(write("x.jsonl", R"({"prompt": "x"})"
                                                        "\n")),
              SourceKind::Jsonl);
    EXPECT_EQ(dataset::recordNoun(SourceKind::PromptCompletion), "line");
}

TEST_F(SpreadsheetSources, BomInAJsonlFileIsStillAnError)
{
    const std::string path =
        write("bom.jsonl", "\xEF\xBB\xBF{\"messages\":[{\"role\":\"user\",\"content\":\"a\"},"
                           "{\"role\":\"assistant\",\"content\":\"b\"}]}\n");
    EXPECT_EQ(dataset::validate(path).train.count(Rule::Bom), 1u);
}

TEST_F(SpreadsheetSources, CleanedCopyHasTheRowsThatFitWithoutBomOrCr)
{
    const std::string path = write("sheet.csv", kSheet);
    const std::string before = readAll(path);
    dataset::CleanOptions options;
    options.csv = dataset::guessCsvMapping(dataset::readCsvHeader(path));
    options.outPath = (m_dir / "sheet.clean.jsonl").string();
    const auto r = dataset::cleanAndSplit(path, options);
    ASSERT_EQ(r.error, "");
    EXPECT_EQ(r.kept, 5u);
    EXPECT_EQ(r.droppedInvalid, 2u);
    const std::string out = readAll(options.outPath);
    EXPECT_EQ(out.find('\r'), std::string::npos); // CRLF inside a value is escaped JSON
    EXPECT_EQ(out.compare(0, 1, "{"), 0);         // no BOM
    EXPECT_NE(out.find(R"("content":"Red, green, blue")"), std::string::npos) << out;
    EXPECT_EQ(out.find("Only a question"), std::string::npos) << out;
    EXPECT_EQ(readAll(path), before);
}

TEST_F(SpreadsheetSources, ViewerShowsTheWholeCsvRowOfAProblem)
{
    const std::string path = write("sheet.csv", kSheet);
    // Line 4 starts the three-line quoted answer; its row is one record.
    std::size_t offset = 0;
    for (int i = 0; i < 3; ++i)
        offset = kSheet.find('\n', offset) + 1;
    EXPECT_EQ(dataset::readRecordAt(path, SourceKind::Csv, offset),
              "\"Write a haiku about rain\",\"Soft rain on the roof\n"
              "the gutters hum a low song\n"
              "sleep comes through the sound\",poem");
    // A JSONL line is still one line.
    EXPECT_EQ(dataset::readRecordAt(path, SourceKind::Jsonl, offset),
              "\"Write a haiku about rain\",\"Soft rain on the roof");
}

TEST_F(SpreadsheetSources, ViewerShowsTheWholeElementOfAJsonArray)
{
    // json.dump(indent=2): the second element (missing its answer) spans six lines.
    const std::string pretty = "[\n"
                               "  {\"messages\": [{\"role\": \"user\", \"content\": \"a\"}, "
                               "{\"role\": \"assistant\", \"content\": \"b\"}]},\n"
                               "  {\n"
                               "    \"messages\": [\n"
                               "      {\"role\": \"user\", \"content\": \"no, answer ]\"}\n"
                               "    ]\n"
                               "  },\n"
                               "  {\"messages\": [{\"role\": \"user\", \"content\": \"c\"}, "
                               "{\"role\": \"assistant\", \"content\": \"d\"}]}\n"
                               "]\n";
    const std::string path = write("pretty.json", pretty);
    const auto report = dataset::validate(path);
    ASSERT_EQ(report.train.count(Rule::NoAssistant), 1u) << describe(report.train);
    const dataset::Problem *p = nullptr;
    for (const auto &q : report.train.problems)
        if (q.rule == Rule::NoAssistant)
            p = &q;
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->line, 3u);
    const std::string shown = dataset::readRecordAt(path, SourceKind::JsonArray, p->offset);
    EXPECT_EQ(shown, "{\n"
                     "    \"messages\": [\n"
                     "      {\"role\": \"user\", \"content\": \"no, answer ]\"}\n"
                     "    ]\n"
                     "  }");

    // On one line: each element is found where it starts, not at the line's start.
    const std::string compact = R"([{"messages":[{"role":"user","content":"a"},)"
                                R"({"role":"assistant","content":"b"}]},)"
                                R"({"messages":[{"role":"user","content":"x"}]},)"
                                R"({"messages":[{"role":"user","content":"c"},)"
                                R"({"role":"assistant","content":"d"}]}])";
    const std::string one = write("compact.json", compact);
    const auto r2 = dataset::validate(one);
    ASSERT_EQ(r2.train.count(Rule::NoAssistant), 1u) << describe(r2.train);
    for (const auto &q : r2.train.problems) {
        if (q.rule == Rule::NoAssistant) {
            EXPECT_EQ(dataset::readRecordAt(one, SourceKind::JsonArray, q.offset),
                      R"({"messages":[{"role":"user","content":"x"}]})");
        }
    }
}

} // namespace
