// config.json parsing for every real model shape in both layouts, the expected tensor table,
// the memory estimate, and generation defaults (generation_config.json, fireworks.json).

#include "testutil.h"

#include <engine/model/modelconfig.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <random>

using namespace engine;

namespace {

struct Shape
{
    const char *name;
    Architecture arch;
    int64_t hidden, layers, heads, kvHeads, headDim, vocab, inter;
    double theta;
    RopeScaling::Type rope;
    bool tied;
    uint64_t approxParamsM; // million parameters (published sizes)
};

const Shape kShapes[] = {
    {"llama-3.1-8b", Architecture::Llama, 4096, 32, 32, 8, 128, 128256, 14336, 500000,
     RopeScaling::Type::Llama3, false, 8030},
    {"llama-3.2-1b", Architecture::Llama, 2048, 16, 32, 8, 64, 128256, 8192, 500000,
     RopeScaling::Type::Llama3, true, 1236},
    {"mistral-7b-v0.3", Architecture::Mistral, 4096, 32, 32, 8, 128, 32768, 14336, 1000000,
     RopeScaling::Type::None, false, 7248},
    {"qwen2.5-0.5b", Architecture::Qwen2, 896, 24, 14, 2, 64, 151936, 4864, 1000000,
     RopeScaling::Type::None, true, 494},
    {"qwen3-0.6b", Architecture::Qwen3, 1024, 28, 16, 8, 128, 151936, 3072, 1000000,
     RopeScaling::Type::None, true, 596},
};

class RealShapes : public ::testing::TestWithParam<std::tuple<Shape, const char *>>
{
};

TEST_P(RealShapes, config_parsesShapesAndEstimate)
{
    const Shape &s = std::get<0>(GetParam());
    const std::string file =
        enginetest::goldenDir(std::string("real-shapes/") + s.name + "/" + std::get<1>(GetParam()));
    auto text = readTextFile(file);
    ASSERT_TRUE(text);
    auto c = parseModelConfig(text.value(), file);
    ASSERT_TRUE(c) << c.error().message;
    EXPECT_EQ(c->arch, s.arch);
    EXPECT_EQ(c->hiddenSize, s.hidden);
    EXPECT_EQ(c->numLayers, s.layers);
    EXPECT_EQ(c->numHeads, s.heads);
    EXPECT_EQ(c->numKvHeads, s.kvHeads);
    EXPECT_EQ(c->headDim, s.headDim);
    EXPECT_EQ(c->vocabSize, s.vocab);
    EXPECT_EQ(c->intermediateSize, s.inter);
    EXPECT_DOUBLE_EQ(c->ropeTheta, s.theta);
    EXPECT_EQ(c->ropeScaling.type, s.rope);
    EXPECT_EQ(c->tieWordEmbeddings, s.tied);
    EXPECT_EQ(c->qkvBias, s.arch == Architecture::Qwen2);
    EXPECT_EQ(c->qkNorm, s.arch == Architecture::Qwen3);
    ASSERT_TRUE(c->dtype.has_value());
    EXPECT_EQ(*c->dtype, DType::BF16);

    uint64_t params = 0;
    for (const ExpectedTensor &t : expectedTensors(c.value())) {
        if (t.optional)
            continue;
        uint64_t n = 1;
        for (int64_t d : t.shape)
            n *= static_cast<uint64_t>(d);
        params += n;
    }
    EXPECT_NEAR(double(params) / 1e6, double(s.approxParamsM), s.approxParamsM * 0.01);
    const MemoryEstimate m = estimateMemory(c.value(), DType::BF16, 4096);
    EXPECT_EQ(m.weightBytes, params * 2);
    EXPECT_EQ(m.kvCacheBytes, 2ull * s.layers * s.kvHeads * s.headDim * 4096 * 2); // f16
    EXPECT_GT(m.activationBytes, 0u);
    EXPECT_EQ(m.total(), m.weightBytes + m.kvCacheBytes + m.activationBytes);
}

INSTANTIATE_TEST_SUITE_P(BothLayouts, RealShapes,
                         ::testing::Combine(::testing::ValuesIn(kShapes),
                                            ::testing::Values("config.json", "config.v4.json")),
                         [](const auto &info) {
                             std::string n =
                                 std::string(std::get<0>(info.param).name) + "_" +
                                 (std::string(std::get<1>(info.param)) == "config.json" ? "v5"
                                                                                        : "v4");
                             for (char &ch : n)
                                 if (!isalnum(static_cast<unsigned char>(ch)))
                                     ch = '_';
                             return n;
                         });

TEST(Config, llama3Rope_readsScalingFromBothLayouts)
{
    for (const char *f : {"config.json", "config.v4.json"}) {
        auto c = parseModelConfig(
            readTextFile(enginetest::goldenDir(std::string("real-shapes/llama-3.2-1b/") + f))
                .value(),
            f);
        ASSERT_TRUE(c);
        EXPECT_DOUBLE_EQ(c->ropeScaling.factor, 32.0);
        EXPECT_EQ(c->ropeScaling.originalMaxPositions, 8192);
        EXPECT_DOUBLE_EQ(c->ropeScaling.highFreqFactor, 4.0);
    }
}

// A huge context asked for (or the largest shapes the parser accepts) must read as "far too
// much memory", never as a small number wrapped around 2^64.
TEST(Config, memoryEstimate_saturatesInsteadOfWrapping)
{
    const std::string file = enginetest::goldenDir("real-shapes/llama-3.1-8b/config.json");
    auto text = readTextFile(file);
    ASSERT_TRUE(text);
    auto c = parseModelConfig(text.value(), file);
    ASSERT_TRUE(c) << c.error().message;
    const uint64_t small = estimateMemory(c.value(), DType::BF16, 4096).total();
    for (int64_t ctx : {int64_t(1) << 40, int64_t(1) << 50, INT64_MAX}) {
        const MemoryEstimate m = estimateMemory(c.value(), DType::BF16, ctx);
        EXPECT_GE(m.kvCacheBytes, m.weightBytes) << ctx;
        EXPECT_GT(m.total(), small) << ctx;
        EXPECT_GE(m.total(), m.kvCacheBytes) << ctx;
    }
    EXPECT_EQ(estimateMemory(c.value(), DType::BF16, INT64_MAX).total(), UINT64_MAX);

    ModelConfig widest = c.value();
    widest.numLayers = 4096;
    widest.numKvHeads = widest.numHeads = 4096;
    widest.headDim = 1024;
    widest.hiddenSize = 1 << 20;
    widest.intermediateSize = 1 << 22;
    widest.vocabSize = 1 << 24;
    const MemoryEstimate w = estimateMemory(widest, DType::F32, widest.maxPositions, 1 << 20);
    EXPECT_GT(w.total(), uint64_t(1) << 50);
}

TEST(Config, implausibleContextLength_isRefused)
{
    const std::string file = enginetest::goldenDir("real-shapes/qwen3-0.6b/config.json");
    auto text = readTextFile(file);
    ASSERT_TRUE(text);
    auto j = nlohmann::json::parse(text.value());
    j["max_position_embeddings"] = int64_t(1) << 40;
    auto c = parseModelConfig(j.dump(), "dir/config.json");
    ASSERT_FALSE(c);
    EXPECT_NE(c.error().message.find("dir/config.json"), std::string::npos);
    EXPECT_NE(c.error().message.find("implausibly large"), std::string::npos);
}

TEST(Config, unsupportedModelType_namesFileAndType)
{
    auto c = parseModelConfig(R"({"model_type":"gpt2","hidden_size":4})", "dir/config.json");
    ASSERT_FALSE(c);
    EXPECT_EQ(c.error().code, Error::Code::Unsupported);
    EXPECT_NE(c.error().message.find("dir/config.json"), std::string::npos);
    EXPECT_NE(c.error().message.find("gpt2"), std::string::npos);
}

TEST(Config, quantizationConfig_isUnsupported)
{
    auto c = parseModelConfig(R"({"model_type":"llama","quantization_config":{"bits":4}})",
                              "config.json");
    ASSERT_FALSE(c);
    EXPECT_NE(c.error().message.find("quantization_config"), std::string::npos);
}

TEST(Config, missingField_isNamed)
{
    auto c = parseModelConfig(R"({"model_type":"llama","hidden_size":64})", "config.json");
    ASSERT_FALSE(c);
    EXPECT_NE(c.error().message.find("intermediate_size"), std::string::npos);
}

TEST(Config, unknownDtypeAndRope_areUnsupported)
{
    const std::string base =
        R"({"model_type":"llama","hidden_size":64,"intermediate_size":128,"num_hidden_layers":1,
        "num_attention_heads":4,"vocab_size":10,)";
    auto d = parseModelConfig(base + R"("torch_dtype":"float8_e4m3fn"})", "config.json");
    ASSERT_FALSE(d);
    EXPECT_NE(d.error().message.find("float8"), std::string::npos);
    auto r = parseModelConfig(base + R"("rope_scaling":{"rope_type":"yarn","factor":4}})",
                              "config.json");
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("yarn"), std::string::npos);
}

TEST(GenerationDefaults, eosListAndFireworksOverride)
{
    auto d = parseGenerationDefaults(
        R"({"eos_token_id":[128001,128009],"temperature":0.6,"top_p":0.9})",
        R"({"defaults":{"temperature":0.2,"stop":["<|im_end|>"],"max_tokens":64},
                                         "conversation_config":{"style":"jinja","args":{"template":"{{ x }}",
                                         "special_tokens_map":{"eos_token":"</s>"}}}})",
        "m");
    ASSERT_TRUE(d) << d.error().message;
    EXPECT_EQ(d->eosTokenIds, (std::vector<int32_t>{128001, 128009}));
    EXPECT_DOUBLE_EQ(*d->temperature, 0.2);
    EXPECT_DOUBLE_EQ(*d->topP, 0.9);
    EXPECT_EQ(*d->maxTokens, 64);
    EXPECT_EQ(d->stop, (std::vector<std::string>{"<|im_end|>"}));
    EXPECT_EQ(d->chatTemplate, "{{ x }}");
    EXPECT_EQ(d->eosToken, "</s>");
    auto bad = parseGenerationDefaults("", R"({"conversation_config":{"style":"alpaca"}})", "m");
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().message.find("fireworks.json"), std::string::npos);
}

} // namespace

namespace {

// Mutated configs (fixed seed) either parse or return an error; they never throw.
TEST(Config, mutatedConfigs_neverThrow)
{
    std::mt19937_64 rng(77);
    const std::string seeds[] = {
        readTextFile(enginetest::goldenDir("real-shapes/llama-3.2-1b/config.v4.json")).value(),
        readTextFile(enginetest::goldenDir("real-shapes/qwen3-0.6b/config.json")).value(),
    };
    const char alphabet[] = "0123456789-.,:[]{}\"eE truefalsnul";
    for (int i = 0; i < 3000; ++i) {
        std::string s = seeds[i % 2];
        for (int e = 0; e < 1 + static_cast<int>(rng() % 4); ++e)
            s[rng() % s.size()] = alphabet[rng() % (sizeof(alphabet) - 1)];
        EXPECT_NO_THROW({
            auto c = parseModelConfig(s, "config.json");
            auto d = parseGenerationDefaults(s, s, "dir");
            (void)c;
            (void)d;
        });
    }
}

} // namespace
