// StreamingDetokenizer: pieces concatenate to decode() of the whole sequence, every prefix of
// the stream is valid UTF-8 and a prefix of the final text, for the real tokenizers and for
// byte-fallback tokens split across pushes.

#include "tokenizertestutil.h"

#include <engine/tokenizer/tokenizer.h>
#include <engine/tokenizer/unicode.h>

#include <gtest/gtest.h>

#include <filesystem>

using namespace tokenizertest;

namespace {

bool validUtf8(const std::string &s)
{
    return engine::detail::sanitizeUtf8(s) == s;
}

// Streams ids and checks the invariants after every push (each push is a split point).
void checkStream(const std::shared_ptr<const engine::Tokenizer> &tok,
                 const std::vector<int32_t> &ids, bool skipSpecial, const std::string &what)
{
    const std::string full = tok->decode(ids, skipSpecial);
    engine::StreamingDetokenizer stream(tok, skipSpecial);
    std::string acc;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        const std::string piece = stream.push(ids[i]);
        ASSERT_TRUE(validUtf8(piece)) << what << " after id #" << i;
        acc += piece;
        ASSERT_EQ(full.compare(0, acc.size(), acc), 0)
            << what << ": stream is not a prefix of decode() after id #" << i << "\nstream: " << acc
            << "\nfull:   " << full;
    }
    acc += stream.finish();
    EXPECT_EQ(acc, full) << what;
}

TEST(Streaming, CorpusOfRealTokenizers)
{
    const std::string corpus = std::string(FIREDECK_TEST_DATA_DIR) + "/tokenizer/corpus";
    int checked = 0;
    for (const char *model : kModels) {
        if (!haveModel(model))
            continue;
        auto tok = engine::Tokenizer::load(modelDir(model));
        ASSERT_TRUE(tok.ok()) << tok.error().message;
        for (const auto &entry : std::filesystem::directory_iterator(corpus)) {
            const std::string text = readFile(entry.path().string());
            const auto ids = (*tok)->encode(text, true);
            for (bool skip : {true, false})
                checkStream(*tok, ids, skip,
                            std::string(model) + " " + entry.path().filename().string() +
                                (skip ? " (skip special)" : ""));
            ++checked;
        }
    }
    if (checked == 0)
        GTEST_SKIP() << "tokenizer files missing; run scripts/setup";
}

TEST(Streaming, NeverEmitsHalfACharacterWithByteFallback)
{
    if (!haveModel("llama2"))
        GTEST_SKIP() << "tokenizer files missing; run scripts/setup";
    auto tok = engine::Tokenizer::load(modelDir("llama2"));
    ASSERT_TRUE(tok.ok());
    // Emoji and rare CJK go through <0x..> byte tokens in Llama 2's vocabulary.
    const auto ids = (*tok)->encode("a 👨‍👩‍👧 𝕏 b", false);
    int byteTokens = 0;
    for (int32_t id : ids)
        byteTokens += (*tok)->tokenText(id).rfind("<0x", 0) == 0;
    ASSERT_GE(byteTokens, 8);
    engine::StreamingDetokenizer stream(*tok);
    std::string acc;
    for (int32_t id : ids) {
        const std::string piece = stream.push(id);
        EXPECT_EQ(engine::detail::incompleteUtf8Tail(piece), 0u);
        EXPECT_EQ(piece.find("\xEF\xBF\xBD"), std::string::npos);
        acc += piece;
    }
    acc += stream.finish();
    EXPECT_EQ(acc, "a 👨‍👩‍👧 𝕏 b");
}

TEST(Streaming, LeadingSpaceRuleAndRestart)
{
    if (!haveModel("llama2"))
        GTEST_SKIP() << "tokenizer files missing; run scripts/setup";
    auto tok = engine::Tokenizer::load(modelDir("llama2"));
    ASSERT_TRUE(tok.ok());
    const auto ids = (*tok)->encode("Hello world", false); // ▁Hello ▁world
    engine::StreamingDetokenizer stream(*tok);
    EXPECT_EQ(stream.push(ids[0]), "Hello"); // first token loses its space, as in decode()
    EXPECT_EQ(stream.push(ids[1]), " world");
    EXPECT_EQ(stream.finish(), "");
    EXPECT_EQ(stream.push(ids[1]), "world"); // a new stream after finish()
}

TEST(Streaming, InvalidBytesAreFlushedNotHeldForever)
{
    if (!haveModel("llama2"))
        GTEST_SKIP() << "tokenizer files missing; run scripts/setup";
    auto tok = engine::Tokenizer::load(modelDir("llama2"));
    ASSERT_TRUE(tok.ok());
    const int32_t ff = *(*tok)->tokenId("<0xFF>");
    const std::vector<int32_t> ids{ff, ff, ff, ff, ff, *(*tok)->tokenId("▁a")};
    checkStream(*tok, ids, true, "invalid bytes");
    engine::StreamingDetokenizer stream(*tok);
    std::string acc;
    for (int i = 0; i < 5; ++i)
        acc += stream.push(ff);
    EXPECT_FALSE(acc.empty()); // emitted as U+FFFD once it cannot be a partial character
}

} // namespace
