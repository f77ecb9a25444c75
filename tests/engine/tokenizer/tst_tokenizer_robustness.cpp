// Broken tokenizer.json files (tests/data/tokenizer/bad) and random mutations of a valid one go
// through the loader and the encoder/decoder; built with ASan + UBSan, so any memory error or
// undefined behaviour fails the test. Every broken file must give an error, never a crash.

#include "tokenizertestutil.h"

#include <engine/tokenizer/regex.h>
#include <engine/tokenizer/tokenizer.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <random>

using namespace tokenizertest;

namespace {

const std::string kDataDir = std::string(FIREDECK_TEST_DATA_DIR) + "/tokenizer";

void exercise(const engine::Tokenizer &tok, std::mt19937 &rng)
{
    static const char *kTexts[] = {
        "", "ab ab", "<s>a</s> b", "héllo wörld 👍🏽", "  \n\t x", "\xFF\xFE invalid \xC3",
        "A"};
    for (const char *t : kTexts) {
        const auto ids = tok.encode(t, true);
        (void)tok.decode(ids, false);
        (void)tok.decode(ids, true);
    }
    std::string randomBytes(64, '\0');
    for (auto &c : randomBytes)
        c = static_cast<char>(rng() & 0xFF);
    (void)tok.encode(randomBytes, true);
    std::vector<int32_t> ids;
    for (int i = 0; i < 16; ++i)
        ids.push_back(static_cast<int32_t>(rng() % (tok.vocabSize() + 10)) - 5);
    (void)tok.decode(ids, false);
    (void)tok.tokenText(ids[0]);
    (void)tok.isSpecial(ids[1]);
}

TEST(Robustness, BrokenFilesGiveErrors)
{
    int count = 0;
    for (const auto &e : std::filesystem::directory_iterator(kDataDir + "/bad")) {
        SCOPED_TRACE(e.path().filename().string());
        auto r = engine::Tokenizer::fromJson(readFile(e.path().string()));
        ASSERT_FALSE(r.ok());
        EXPECT_NE(r.error().message.find("tokenizer.json"), std::string::npos) << r.error().message;
        ++count;
    }
    EXPECT_GE(count, 25);
}

TEST(Robustness, ValidBaseLoads)
{
    auto r = engine::Tokenizer::fromJson(readFile(kDataDir + "/tiny_valid.json"));
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ((*r)->encode("ab", true), (std::vector<int32_t>{1, 2, 5}));
}

TEST(Robustness, RandomMutations)
{
    const std::string base = readFile(kDataDir + "/tiny_valid.json");
    ASSERT_FALSE(base.empty());
    std::mt19937 rng(20261122);
    static const char *kSnippets[] = {
        "{",    "}",  "[",    "]",          "\"",     ",",           ":",
        "null", "-1", "1e99", "4294967296", "true",   "\"\\u0000\"", "\\",
        "\xC3", "(",  "*",    "\\p{",       "{9999}", "\"Sequence\""};
    int loaded = 0;
    const int kMutations = 3000;
    for (int i = 0; i < kMutations; ++i) {
        std::string s = base;
        const int edits = 1 + int(rng() % 4);
        for (int k = 0; k < edits && !s.empty(); ++k) {
            const std::size_t pos = rng() % s.size();
            switch (rng() % 4) {
            case 0:
                s[pos] = static_cast<char>(rng() & 0xFF);
                break;
            case 1:
                s.erase(pos, 1 + rng() % 8);
                break;
            case 2:
                s.insert(pos, kSnippets[rng() % std::size(kSnippets)]);
                break;
            case 3:
                s.resize(pos);
                break;
            }
        }
        auto r = engine::Tokenizer::fromJson(s);
        if (r.ok()) {
            ++loaded;
            exercise(**r, rng);
        } else {
            EXPECT_FALSE(r.error().message.empty());
        }
    }
    // Some mutations (inside strings, whitespace) keep the file valid; they must be exercised.
    EXPECT_GT(loaded, 50);
}

TEST(Robustness, RandomRegexPatterns)
{
    const std::string base =
        "(?i:'s|'t|'re)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+"
        "[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    static const char *kPieces[] = {"(",  ")",   "*",    "+",      "?", "{2,5}", "|", "[", "]",
                                    "\\", "(?!", "(?i:", "\\p{L}", ".", "a",     "{", "^"};
    std::mt19937 rng(7);
    int compiled = 0;
    for (int i = 0; i < 2000; ++i) {
        std::string p = base;
        for (int k = 0; k < 3; ++k) {
            const std::size_t pos = rng() % (p.size() + 1);
            if (rng() % 2)
                p.insert(pos, kPieces[rng() % std::size(kPieces)]);
            else if (pos < p.size())
                p.erase(pos, 1 + rng() % 3);
        }
        auto re = engine::detail::Regex::compile(p);
        if (!re.ok())
            continue;
        ++compiled;
        (void)re->findAll("Hello,  world!\n\n 123 4567 it's  \xFF end   ");
    }
    EXPECT_GT(compiled, 100);
    // Empty loops and exponential alternations terminate.
    for (const char *p : {"(a*)*b", "(a|a)*b", "(a?){20}a{20}", "((a*)*)*"}) {
        auto re = engine::detail::Regex::compile(p);
        ASSERT_TRUE(re.ok()) << p;
        (void)re->findAll(std::string(40, 'a') + "c");
    }
}

TEST(Robustness, RealTokenizerOnRandomBytes)
{
    if (!haveModel("llama2"))
        GTEST_SKIP() << "tokenizer files missing; run scripts/setup";
    auto tok = engine::Tokenizer::load(modelDir("llama2"));
    ASSERT_TRUE(tok.ok()) << tok.error().message;
    std::mt19937 rng(99);
    for (int i = 0; i < 200; ++i)
        exercise(**tok, rng);
}

} // namespace
