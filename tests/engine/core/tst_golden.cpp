// The CPU backend against transformers' reference logits and greedy tokens for every tiny model.

#include "testutil.h"

#include <engine/cpu/cpubackend.h>
#include <engine/session/session.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

using namespace engine;
using enginetest::goldenDir;

namespace {

struct Case
{
    const char *model;
    const char *adapter; // nullptr = none
    const char *refDir;
    // Tolerance relative to the reference logits' range (max - min). f32 models: 1e-4, as the
    // issue requires. bf16: the weights are upcast exactly and the math is fp32 in both
    // implementations, so only summation order differs; 1e-4 holds there too and is kept.
    double relTol;
};

double maxAbsDiff(const float *a, const float *b, int64_t n)
{
    double m = 0;
    for (int64_t i = 0; i < n; ++i)
        m = std::max(m, std::fabs(double(a[i]) - b[i]));
    return m;
}

class Golden : public ::testing::TestWithParam<std::tuple<Case, const char *>>
{
};

TEST_P(Golden, logitsAndGreedyTokens_matchReference)
{
    const Case &c = std::get<0>(GetParam());
    const char *isa = std::get<1>(GetParam());
    if (!cpu::dotKernelsFor(isa))
        GTEST_SKIP() << "CPU lacks " << isa;
    auto model = Model::load(goldenDir(c.model));
    ASSERT_TRUE(model) << model.error().message;
    cpu::CpuBackendOptions opts;
    opts.contextLength = 64;
    opts.threads = 2;
    opts.prefillChunk = 7; // several chunks, one partial: exercises chunk boundaries
    opts.isa = isa;
    auto backend = cpu::CpuBackend::create(model.value(), opts);
    ASSERT_TRUE(backend) << backend.error().message;
    if (c.adapter) {
        auto adapter = LoraAdapter::load(goldenDir(c.adapter), model.value()->config());
        ASSERT_TRUE(adapter) << adapter.error().message;
        ASSERT_TRUE(backend.value()->setAdapter(adapter.value()));
    }
    const auto ref = enginetest::loadReference(goldenDir(c.refDir));
    const int64_t vocab = model.value()->config().vocabSize;
    ASSERT_EQ(ref.vocab, vocab);
    ASSERT_EQ(ref.positions, static_cast<int64_t>(ref.promptIds.size()));

    std::vector<float> logits(static_cast<std::size_t>(ref.positions * vocab));
    ASSERT_TRUE(backend.value()->forward(ref.promptIds, 0, logits.data(), true));
    const auto [mn, mx] = std::minmax_element(ref.allLogits.begin(), ref.allLogits.end());
    const double tol = c.relTol * (*mx - *mn);
    for (int64_t p = 0; p < ref.positions; ++p)
        EXPECT_LE(maxAbsDiff(logits.data() + p * vocab, ref.allLogits.data() + p * vocab, vocab),
                  tol)
            << "position " << p;
    EXPECT_LE(maxAbsDiff(logits.data() + (ref.positions - 1) * vocab, ref.logitsLast.data(), vocab),
              tol);

    // Greedy continuation, one token at a time through the KV cache.
    std::vector<float> last(logits.end() - vocab, logits.end());
    std::vector<int32_t> generated;
    int64_t pos = ref.positions;
    for (std::size_t i = 0; i < ref.greedy.size(); ++i) {
        const int32_t next =
            static_cast<int32_t>(std::max_element(last.begin(), last.end()) - last.begin());
        generated.push_back(next);
        ASSERT_TRUE(backend.value()->forward(std::span<const int32_t>(&next, 1), pos++, last.data(),
                                             false));
    }
    EXPECT_EQ(generated, ref.greedy);
}

const Case kCases[] = {
    {"tiny-llama3-f32", nullptr, "tiny-llama3-f32", 1e-4},
    {"tiny-llama3-bf16", nullptr, "tiny-llama3-bf16", 1e-4},
    {"tiny-llama2-f32", nullptr, "tiny-llama2-f32", 1e-4},
    {"tiny-llama2-bf16", nullptr, "tiny-llama2-bf16", 1e-4},
    {"tiny-mistral-f32", nullptr, "tiny-mistral-f32", 1e-4},
    {"tiny-mistral-bf16", nullptr, "tiny-mistral-bf16", 1e-4},
    {"tiny-qwen2-f32", nullptr, "tiny-qwen2-f32", 1e-4},
    {"tiny-qwen2-bf16", nullptr, "tiny-qwen2-bf16", 1e-4},
    {"tiny-qwen3-f32", nullptr, "tiny-qwen3-f32", 1e-4},
    {"tiny-qwen3-bf16", nullptr, "tiny-qwen3-bf16", 1e-4},
    {"tiny-llama3-f32", "tiny-llama3-lora", "tiny-llama3-lora", 1e-4},
};

std::string caseName(const ::testing::TestParamInfo<std::tuple<Case, const char *>> &info)
{
    std::string n = std::string(std::get<0>(info.param).refDir) + "_" + std::get<1>(info.param);
    std::replace(n.begin(), n.end(), '-', '_');
    return n;
}

INSTANTIATE_TEST_SUITE_P(AllModels, Golden,
                         ::testing::Combine(::testing::ValuesIn(kCases),
                                            ::testing::Values("scalar", "avx2", "avx512")),
                         caseName);

} // namespace

namespace {

// The same 32 greedy tokens through the Session API (prefill, sampler at temperature 0,
// decode loop), with and without the LoRA adapter attached to one session.
TEST(GoldenSession, greedyGeneration_matchesReferenceWithAndWithoutAdapter)
{
    auto model = Model::load(goldenDir("tiny-llama3-f32"));
    ASSERT_TRUE(model);
    // The CPU backend explicitly (the CUDA path has its own golden test, engine.cudabackend).
    auto session = Session::create(model.value(), SessionOptions{128, 2, BackendKind::Cpu});
    ASSERT_TRUE(session);
    GenerationRequest req;
    req.sampling.temperature = 0;
    req.maxTokens = 32;
    req.stopAtEos = false; // the reference did not stop at EOS
    for (const char *refDir : {"tiny-llama3-f32", "tiny-llama3-lora", "tiny-llama3-f32"}) {
        const bool lora = std::string(refDir) == "tiny-llama3-lora";
        if (lora) {
            auto adapter =
                LoraAdapter::load(goldenDir("tiny-llama3-lora"), model.value()->config());
            ASSERT_TRUE(adapter);
            ASSERT_TRUE(session.value()->attachAdapter(adapter.value()));
        } else {
            session.value()->detachAdapter();
        }
        const auto ref = enginetest::loadReference(goldenDir(refDir));
        auto r = session.value()->generate(ref.promptIds, req);
        ASSERT_TRUE(r) << r.error().message;
        EXPECT_EQ(r->choices[0].tokens, ref.greedy) << refDir;
        EXPECT_EQ(r->choices[0].finishReason, FinishReason::Length);
    }
}

} // namespace
