// Unit tests of the tokenizer pieces: regex, normalizers, pre-tokenizers, decoders, BPE,
// added-token matching, loading errors.

#include "tokenizertestutil.h"

#include <engine/tokenizer/components.h>
#include <engine/tokenizer/regex.h>
#include <engine/tokenizer/tokenizer.h>
#include <engine/tokenizer/unicode.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>

using engine::Error;
using engine::Tokenizer;
using nlohmann::json;
namespace d = engine::detail;

namespace {

const char *kLlama3Pattern =
    "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| "
    "?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

std::vector<std::string> pieces(const d::Regex &re, const std::string &text)
{
    std::vector<std::string> out;
    for (auto [b, e] : re.findAll(text))
        out.push_back(text.substr(b, e - b));
    return out;
}

TEST(Regex, Llama3PatternSplitsLikeTokenizers)
{
    auto re = d::Regex::compile(kLlama3Pattern);
    ASSERT_TRUE(re.ok()) << re.error().message;
    using V = std::vector<std::string>;
    EXPECT_EQ(pieces(*re, "Hello world"), (V{"Hello", " world"}));
    EXPECT_EQ(pieces(*re, "I'M don't"), (V{"I", "'M", " don", "'t"}));
    EXPECT_EQ(pieces(*re, "12345"), (V{"123", "45"}));
    EXPECT_EQ(pieces(*re, "a   b"), (V{"a", "  ", " b"})); // \s+(?!\S) leaves one space
    EXPECT_EQ(pieces(*re, "x\n\n  y"), (V{"x", "\n\n", " ", " y"}));
    EXPECT_EQ(pieces(*re, "end   "), (V{"end", "   "}));
    EXPECT_EQ(pieces(*re, "!!!\n"), (V{"!!!\n"}));
    EXPECT_EQ(pieces(*re, "Grüße"), (V{"Grüße"}));
    EXPECT_EQ(pieces(*re, "٣٤"), (V{"٣٤"})); // Arabic-Indic digits are \p{N}
    EXPECT_EQ(pieces(*re, "'ſ"), (V{"'ſ"})); // (?i) folds ſ to s
}

TEST(Regex, FeaturesAndErrors)
{
    auto lazy = d::Regex::compile("a+?");
    ASSERT_TRUE(lazy.ok());
    EXPECT_EQ(pieces(*lazy, "aaa"), (std::vector<std::string>{"a", "a", "a"}));
    auto look = d::Regex::compile("a(?=b)");
    ASSERT_TRUE(look.ok());
    EXPECT_EQ(pieces(*look, "ab ac"), (std::vector<std::string>{"a"}));
    auto cls = d::Regex::compile("[a-c\\d]+|\\p{Lu}");
    ASSERT_TRUE(cls.ok());
    EXPECT_EQ(pieces(*cls, "xab1Zd"), (std::vector<std::string>{"ab1", "Z"}));
    for (const char *bad : {"(a", "a)", "[abc", "*a", "\\p{Xyz}", "a{3,1}", "\\q"}) {
        auto r = d::Regex::compile(bad);
        EXPECT_FALSE(r.ok()) << bad;
        if (!r.ok()) {
            EXPECT_NE(r.error().message.find("regex"), std::string::npos);
        }
    }
}

TEST(Unicode, NfcComposesAndReorders)
{
    EXPECT_EQ(d::nfc("cafe\xCC\x81"), "caf\xC3\xA9");                          // e + U+0301 -> é
    EXPECT_EQ(d::nfc("\xE2\x84\xA6"), "\xCE\xA9");                             // OHM SIGN -> OMEGA
    EXPECT_EQ(d::nfc("\xE1\x84\x80\xE1\x85\xA1\xE1\x86\xA8"), "\xEA\xB0\x81"); // jamo -> 각
    // q + dot below (220) + dot above (230) stays; reordering of 230 before 220 is fixed.
    EXPECT_EQ(d::nfc("q\xCC\x87\xCC\xA3"), "q\xCC\xA3\xCC\x87");
    EXPECT_EQ(d::nfc("plain ascii"), "plain ascii");
}

TEST(Unicode, Utf8Helpers)
{
    EXPECT_EQ(d::sanitizeUtf8("a\xE2\x82"), "a\xEF\xBF\xBD");
    EXPECT_EQ(d::sanitizeUtf8("\xFF"), "\xEF\xBF\xBD");
    EXPECT_EQ(d::incompleteUtf8Tail("a\xE2\x82"), 2u);
    EXPECT_EQ(d::incompleteUtf8Tail("a\xE2\x82\xAC"), 0u);
    EXPECT_EQ(d::incompleteUtf8Tail("\xF0\x9F"), 2u);
}

std::unique_ptr<d::Normalizer> normalizer(const json &j)
{
    auto n = d::Normalizer::fromJson(j, "normalizer");
    EXPECT_TRUE(n.ok()) << (n.ok() ? "" : n.error().message);
    return n.ok() ? std::move(n.value()) : nullptr;
}

TEST(Normalizer, PrependReplaceSequenceNfcStrip)
{
    auto seq = normalizer(json::parse(R"({"type":"Sequence","normalizers":[
        {"type":"Prepend","prepend":"▁"},{"type":"Replace","pattern":{"String":" "},"content":"▁"}]})"));
    EXPECT_EQ(seq->normalize("a b"), "▁a▁b");
    EXPECT_EQ(seq->normalize(""), ""); // Prepend leaves empty text alone
    EXPECT_EQ(normalizer(json::parse(R"({"type":"NFC"})"))->normalize("e\xCC\x81"), "\xC3\xA9");
    EXPECT_EQ(
        normalizer(json::parse(R"({"type":"Replace","pattern":{"Regex":" +"},"content":"_"})"))
            ->normalize("a  b c"),
        "a_b_c");
    EXPECT_EQ(normalizer(json::parse(R"({"type":"Strip","strip_left":true,"strip_right":false})"))
                  ->normalize("  x  "),
              "x  ");
    auto unknown =
        d::Normalizer::fromJson(json::parse(R"({"type":"BertNormalizer"})"), "normalizer");
    ASSERT_FALSE(unknown.ok());
    EXPECT_EQ(unknown.error().code, Error::Code::Unsupported);
    EXPECT_NE(unknown.error().message.find("BertNormalizer"), std::string::npos);
}

std::vector<std::string> pretok(const json &j, const std::string &text, std::size_t section = 0)
{
    auto p = d::PreTokenizer::fromJson(j, "pre_tokenizer");
    EXPECT_TRUE(p.ok()) << (p.ok() ? "" : p.error().message);
    return p.ok() ? p.value()->split({text}, section) : std::vector<std::string>{};
}

TEST(PreTokenizer, SplitBehaviors)
{
    using V = std::vector<std::string>;
    auto split = [](const char *behavior, bool invert = false) {
        json j = {{"type", "Split"},
                  {"pattern", {{"String", "-"}}},
                  {"behavior", behavior},
                  {"invert", invert}};
        return j;
    };
    EXPECT_EQ(pretok(split("Isolated"), "a-b--c"), (V{"a", "-", "b", "-", "-", "c"}));
    EXPECT_EQ(pretok(split("Removed"), "a-b--c"), (V{"a", "b", "c"}));
    EXPECT_EQ(pretok(split("MergedWithPrevious"), "a-b--c"), (V{"a-", "b-", "-", "c"}));
    EXPECT_EQ(pretok(split("MergedWithNext"), "a-b--c"), (V{"a", "-b", "-", "-c"}));
    EXPECT_EQ(pretok(split("Contiguous"), "a-b--c"), (V{"a", "-", "b", "--", "c"}));
}

TEST(PreTokenizer, ByteLevelMetaspaceSequence)
{
    using V = std::vector<std::string>;
    EXPECT_EQ(
        pretok(json::parse(R"({"type":"ByteLevel","add_prefix_space":false,"use_regex":false})"),
               "a b\n"),
        (V{"aĠbĊ"}));
    EXPECT_EQ(
        pretok(json::parse(R"({"type":"ByteLevel","add_prefix_space":true,"use_regex":true})"),
               "hi there"),
        (V{"Ġhi", "Ġthere"}));
    EXPECT_EQ(
        pretok(
            json::parse(
                R"({"type":"Metaspace","replacement":"▁","prepend_scheme":"first","split":true})"),
            "a b"),
        (V{"▁a", "▁b"}));
    EXPECT_EQ(
        pretok(
            json::parse(
                R"({"type":"Metaspace","replacement":"▁","prepend_scheme":"first","split":false})"),
            "a b", 1),
        (V{"a▁b"}));
    EXPECT_EQ(pretok(json::parse(R"({"type":"Sequence","pretokenizers":[
        {"type":"Split","pattern":{"Regex":"\\p{N}"},"behavior":"Isolated","invert":false},
        {"type":"ByteLevel","add_prefix_space":false,"use_regex":false}]})"),
                     "ab12 c"),
              (V{"ab", "1", "2", "Ġc"}));
}

std::string decodeWith(const json &j, std::vector<std::string> tokens,
                       const std::unordered_set<std::string> &added = {})
{
    auto dec = d::Decoder::fromJson(j, "decoder");
    EXPECT_TRUE(dec.ok()) << (dec.ok() ? "" : dec.error().message);
    std::string out;
    if (dec.ok())
        for (const auto &t : dec.value()->decodeChain(std::move(tokens), added))
            out += t;
    return out;
}

TEST(Decoder, Pieces)
{
    EXPECT_EQ(decodeWith(json::parse(R"({"type":"ByteLevel"})"), {"Hello", "Ġworld", "<|x|>", "Ċ"},
                         {"<|x|>"}),
              "Hello world<|x|>\n");
    EXPECT_EQ(
        decodeWith(json::parse(R"({"type":"ByteFallback"})"), {"a", "<0xE2>", "<0x82>", "<0xAC>"}),
        "a€");
    EXPECT_EQ(decodeWith(json::parse(R"({"type":"ByteFallback"})"), {"<0xE2>", "<0x82>", "b"}),
              "\xE2\x82"
              "b"); // left raw; Tokenizer::decode replaces it
    EXPECT_EQ(
        decodeWith(json::parse(R"({"type":"Strip","content":" ","start":1,"stop":1})"), {"  a  "}),
        " a ");
    EXPECT_EQ(
        decodeWith(json::parse(R"({"type":"Metaspace","replacement":"▁","add_prefix_space":true})"),
                   {"▁Hi", "▁there"}),
        "Hi there");
    const json llama2 = json::parse(R"({"type":"Sequence","decoders":[
        {"type":"Replace","pattern":{"String":"▁"},"content":" "},{"type":"ByteFallback"},
        {"type":"Fuse"},{"type":"Strip","content":" ","start":1,"stop":0}]})");
    EXPECT_EQ(decodeWith(llama2, {"▁Hello", "▁", "<0xF0>", "<0x9F>", "<0x98>", "<0x80>"}),
              "Hello 😀");
    auto unknown = d::Decoder::fromJson(json::parse(R"({"type":"CTC"})"), "decoder");
    ASSERT_FALSE(unknown.ok());
    EXPECT_NE(unknown.error().message.find("CTC"), std::string::npos);
}

// A small SentencePiece-style tokenizer: ▁ normalizer, byte fallback, <s> template.
json tinySentencePiece(bool pairMerges = false)
{
    json vocab = {{"<unk>", 0}, {"<s>", 1}, {"</s>", 2}};
    for (int b = 0; b < 256; ++b) {
        char name[8];
        std::snprintf(name, sizeof name, "<0x%02X>", b);
        vocab[name] = 3 + b;
    }
    vocab["▁"] = 259;
    vocab["a"] = 260;
    vocab["b"] = 261;
    vocab["ab"] = 262;
    vocab["▁ab"] = 263;
    vocab["c"] = 264;
    json merges =
        pairMerges ? json::parse(R"([["a","b"],["▁","ab"]])") : json::parse(R"(["a b","▁ ab"])");
    return {
        {"version", "1.0"},
        {"added_tokens",
         json::parse(
             R"([{"id":0,"content":"<unk>","special":true},{"id":1,"content":"<s>","special":true},
                         {"id":2,"content":"</s>","special":true}])")},
        {"normalizer",
         json::parse(R"({"type":"Sequence","normalizers":[{"type":"Prepend","prepend":"▁"},
                                      {"type":"Replace","pattern":{"String":" "},"content":"▁"}]})")},
        {"pre_tokenizer", nullptr},
        {"post_processor",
         json::parse(
             R"({"type":"TemplateProcessing","single":[{"SpecialToken":{"id":"<s>","type_id":0}},
                         {"Sequence":{"id":"A","type_id":0}}],"special_tokens":{"<s>":{"id":"<s>","ids":[1],"tokens":["<s>"]}}})")},
        {"decoder",
         json::parse(
             R"({"type":"Sequence","decoders":[{"type":"Replace","pattern":{"String":"▁"},"content":" "},
                                   {"type":"ByteFallback"},{"type":"Fuse"},{"type":"Strip","content":" ","start":1,"stop":0}]})")},
        {"model",
         {{"type", "BPE"},
          {"unk_token", "<unk>"},
          {"byte_fallback", true},
          {"fuse_unk", true},
          {"vocab", vocab},
          {"merges", merges}}}};
}

std::shared_ptr<const Tokenizer> make(const json &j, const std::string &config = {})
{
    auto t = Tokenizer::fromJson(j.dump(), config);
    EXPECT_TRUE(t.ok()) << (t.ok() ? "" : t.error().message);
    return t.ok() ? t.value() : nullptr;
}

TEST(Bpe, MergesBothFormatsByteFallbackAndTemplate)
{
    for (bool pairs : {false, true}) {
        auto t = make(tinySentencePiece(pairs));
        ASSERT_TRUE(t);
        EXPECT_EQ(t->encode("ab c", true), (std::vector<int32_t>{1, 263, 259, 264}));
        EXPECT_EQ(t->encode("ab c", false), (std::vector<int32_t>{263, 259, 264}));
        EXPECT_EQ(t->encode("é", false), (std::vector<int32_t>{259, 3 + 0xC3, 3 + 0xA9}));
        EXPECT_EQ(t->decode(std::vector<int32_t>{1, 263, 259, 264}, true), "ab c");
        EXPECT_EQ(t->decode(std::vector<int32_t>{259, 3 + 0xC3, 3 + 0xA9}), "é");
        EXPECT_EQ(t->decode(std::vector<int32_t>{3 + 0xE2, 3 + 0x82, 264}), "\xEF\xBF\xBD"
                                                                            "c");
        EXPECT_EQ(t->bosId(), 1); // from the template when there is no tokenizer_config.json
        EXPECT_EQ(t->bosToken(), "<s>");
        EXPECT_FALSE(t->eosId().has_value());
        EXPECT_TRUE(t->isSpecial(2));
        EXPECT_FALSE(t->isSpecial(263));
        EXPECT_EQ(t->tokenId("▁ab"), 263);
        EXPECT_EQ(t->tokenText(262), "ab");
        EXPECT_EQ(t->vocabSize(), 265);
        EXPECT_EQ(t->tokenText(99999), "");
    }
}

TEST(Bpe, UnknownTokenFusedWithoutByteFallback)
{
    json j = tinySentencePiece();
    j["model"]["byte_fallback"] = false;
    auto t = make(j);
    ASSERT_TRUE(t);
    EXPECT_EQ(t->encode("aéé", false), (std::vector<int32_t>{259, 260, 0}));
}

TEST(Bpe, IgnoreMergesTakesWholeWordFromVocab)
{
    json j = tinySentencePiece();
    j["model"]["vocab"]["▁abc"] = 265;
    j["model"]["ignore_merges"] = true;
    auto t = make(j);
    ASSERT_TRUE(t);
    EXPECT_EQ(t->encode("abc", false), (std::vector<int32_t>{265}));
    j["model"]["ignore_merges"] = false;
    t = make(j);
    ASSERT_TRUE(t);
    EXPECT_EQ(t->encode("abc", false), (std::vector<int32_t>{263, 264}));
}

TEST(AddedTokens, FlagsAndConfig)
{
    json j = tinySentencePiece();
    j["added_tokens"].push_back(
        {{"id", 300}, {"content", "<L>"}, {"lstrip", true}, {"special", true}});
    j["added_tokens"].push_back(
        {{"id", 301}, {"content", "<R>"}, {"rstrip", true}, {"special", false}});
    j["added_tokens"].push_back({{"id", 302}, {"content", "ab"}, {"single_word", true}});
    j["added_tokens"].push_back({{"id", 303}, {"content", "<LL>"}});
    auto t = make(
        j,
        R"({"bos_token":"<s>","eos_token":{"content":"</s>"},"clean_up_tokenization_spaces":false})");
    ASSERT_TRUE(t);
    // lstrip eats the spaces before, rstrip the spaces after.
    EXPECT_EQ(t->encode("c  <L>", false), (std::vector<int32_t>{259, 264, 300}));
    EXPECT_EQ(t->encode("<R>  c", false), (std::vector<int32_t>{301, 259, 264}));
    // single_word: "ab" alone is the added token, inside "cab" it is not.
    EXPECT_EQ(t->encode("ab", false), (std::vector<int32_t>{302}));
    EXPECT_EQ(t->encode("cab", false), (std::vector<int32_t>{259, 264, 262}));
    // Longest match wins; added tokens are matched before the model.
    EXPECT_EQ(t->encode("<LL></s>", false), (std::vector<int32_t>{303, 2}));
    EXPECT_EQ(t->eosId(), 2);
    EXPECT_EQ(t->eosToken(), "</s>");
    EXPECT_TRUE(t->isSpecial(300));
    EXPECT_FALSE(t->isSpecial(301));
    EXPECT_EQ(t->decode(std::vector<int32_t>{1, 263, 300, 301}, true), "ab<R>");
}

TEST(Decode, CleanUpTokenizationSpaces)
{
    json j = tinySentencePiece();
    j["model"]["vocab"]["▁."] = 270;
    j["model"]["vocab"]["▁n't"] = 271;
    auto clean = make(j, R"({"clean_up_tokenization_spaces":true})");
    auto raw = make(j, R"({"clean_up_tokenization_spaces":false})");
    ASSERT_TRUE(clean && raw);
    const std::vector<int32_t> ids{263, 270, 271};
    EXPECT_EQ(clean->decode(ids), "ab.n't");
    EXPECT_EQ(raw->decode(ids), "ab . n't");
}

TEST(Errors, LoadAndParse)
{
    auto missing = Tokenizer::load("/nonexistent/model");
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().code, Error::Code::NotFound);
    EXPECT_NE(missing.error().message.find("/nonexistent/model/tokenizer.json"), std::string::npos);

    auto malformed = Tokenizer::fromJson("{\"model\": {\"vocab\": [1, 2");
    ASSERT_FALSE(malformed.ok());
    EXPECT_EQ(malformed.error().code, Error::Code::Corrupt);
    EXPECT_NE(malformed.error().message.find("tokenizer.json: malformed JSON at byte"),
              std::string::npos);

    json j = tinySentencePiece();
    j["model"]["type"] = "WordPiece";
    auto unsupported = Tokenizer::fromJson(j.dump());
    ASSERT_FALSE(unsupported.ok());
    EXPECT_EQ(unsupported.error().code, Error::Code::Unsupported);
    EXPECT_NE(unsupported.error().message.find("WordPiece"), std::string::npos);

    auto expectField = [](json bad, const std::string &field) {
        auto r = Tokenizer::fromJson(bad.dump());
        ASSERT_FALSE(r.ok()) << field;
        EXPECT_NE(r.error().message.find(field), std::string::npos) << r.error().message;
    };
    j = tinySentencePiece();
    j["model"]["vocab"] = "oops";
    expectField(j, "model.vocab");
    j = tinySentencePiece();
    j["model"]["merges"] = json::parse(R"(["a zz"])");
    expectField(j, "model.merges[0]");
    j = tinySentencePiece();
    j["added_tokens"][1]["id"] = 1e15;
    expectField(j, "added_tokens[1].id");
    j = tinySentencePiece();
    j["added_tokens"][1]["id"] = 15000000; // in range, but the table would be mostly empty
    expectField(j, "ids are sparse");
    j = tinySentencePiece();
    j["decoder"]["decoders"][3]["start"] = "one";
    expectField(j, "decoder.decoders[3].start");
    j = tinySentencePiece();
    j["pre_tokenizer"] =
        json::parse(R"({"type":"Split","pattern":{"Regex":"(unclosed"},"behavior":"Isolated"})");
    expectField(j, "pre_tokenizer.pattern.Regex");

    auto badConfig = Tokenizer::fromJson(tinySentencePiece().dump(), "{not json");
    ASSERT_FALSE(badConfig.ok());
    EXPECT_NE(badConfig.error().message.find("tokenizer_config.json"), std::string::npos);
}

TEST(RealTokenizers, SpecialIdsFromConfig)
{
    using namespace tokenizertest;
    if (!haveModel("llama3_1") || !haveModel("qwen3"))
        GTEST_SKIP() << "tokenizer files missing; run scripts/setup";
    auto llama = Tokenizer::load(modelDir("llama3_1"));
    ASSERT_TRUE(llama.ok()) << llama.error().message;
    EXPECT_EQ((*llama)->bosId(), 128000);
    EXPECT_EQ((*llama)->eosId(), 128009);
    EXPECT_EQ((*llama)->bosToken(), "<|begin_of_text|>");
    EXPECT_EQ((*llama)->vocabSize(), 128256);
    auto qwen = Tokenizer::load(modelDir("qwen3"));
    ASSERT_TRUE(qwen.ok()) << qwen.error().message;
    EXPECT_FALSE((*qwen)->bosId().has_value());
    EXPECT_EQ((*qwen)->eosToken(), "<|im_end|>");
    EXPECT_EQ((*qwen)->eosId(), (*qwen)->tokenId("<|im_end|>"));
    EXPECT_TRUE((*qwen)->isSpecial(*(*qwen)->tokenId("<|im_start|>")));
}

} // namespace
