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

// Two numeric modes per kernel path:
// - Exact: fp32 KV cache and fp32 activations. Against transformers at relTol (the weights
//   are upcast exactly and the math is fp32 in both, so only summation order differs), and
//   the 32 greedy tokens exactly.
// - Fast (the defaults): f16 KV cache, and bf16 activations into the bf16 prefill GEMMs. Each
//   GEMM input is rounded to bf16 (relative error <= 2^-8, engine.gemm checks the kernels
//   against that bound) and each K/V element to f16 (<= 2^-11). The logits must stay within
//   one bf16 rounding of their own scale, 2^-8 x (max - min of the reference logits), at every
//   prompt position: the rounding errors injected in every layer may not grow beyond the
//   error of a single rounding at the output. Greedy decoding is teacher-forced on
//   transformers' tokens: our argmax must be transformers' token at every step, unless the
//   top-2 margin there (from the Exact mode, which matches transformers to 1e-4) is within
//   twice that bound, where a perturbation of that size could swap the two (counted, and
//   reported as a test property).
enum class Mode { Exact, Fast };

class Golden : public ::testing::TestWithParam<std::tuple<Case, const char *, Mode>>
{
};

Result<std::unique_ptr<cpu::CpuBackend>> makeBackend(const Case &c, const char *isa, Mode mode)
{
    auto model = Model::load(goldenDir(c.model));
    if (!model)
        return makeError(model.error().code, model.error().message);
    cpu::CpuBackendOptions opts;
    opts.contextLength = 64;
    opts.threads = 2;
    opts.prefillChunk = 7; // several chunks, one partial: exercises chunk boundaries, and both
                           // the GEMM (7 tokens) and the per-token dot path (3 tokens)
    opts.isa = isa;
    if (mode == Mode::Exact) { // else the defaults: f16 KV cache, bf16 GEMM activations
        opts.kvDType = DType::F32;
        opts.bf16Activations = false;
    }
    auto backend = cpu::CpuBackend::create(model.value(), opts);
    if (!backend)
        return backend;
    if (c.adapter) {
        auto adapter = LoraAdapter::load(goldenDir(c.adapter), model.value()->config());
        if (!adapter)
            return makeError(adapter.error().code, adapter.error().message);
        if (auto r = backend.value()->setAdapter(adapter.value()); !r)
            return makeError(r.error().code, r.error().message);
    }
    return backend;
}

TEST_P(Golden, logitsAndGreedyTokens_matchReference)
{
    const Case &c = std::get<0>(GetParam());
    const char *isa = std::get<1>(GetParam());
    const Mode mode = std::get<2>(GetParam());
    if (!cpu::dotKernelsFor(isa))
        GTEST_SKIP() << "CPU lacks " << isa;
    auto backend = makeBackend(c, isa, mode);
    ASSERT_TRUE(backend) << backend.error().message;
    const auto ref = enginetest::loadReference(goldenDir(c.refDir));
    const int64_t vocab = backend.value()->model().config().vocabSize;
    ASSERT_EQ(ref.vocab, vocab);
    ASSERT_EQ(ref.positions, static_cast<int64_t>(ref.promptIds.size()));

    std::vector<float> logits(static_cast<std::size_t>(ref.positions * vocab));
    ASSERT_TRUE(backend.value()->forward(ref.promptIds, 0, logits.data(), true));
    const auto [mn, mx] = std::minmax_element(ref.allLogits.begin(), ref.allLogits.end());
    const double tol = c.relTol * (*mx - *mn);
    if (mode == Mode::Exact) {
        for (int64_t p = 0; p < ref.positions; ++p)
            EXPECT_LE(
                maxAbsDiff(logits.data() + p * vocab, ref.allLogits.data() + p * vocab, vocab), tol)
                << "position " << p;
        EXPECT_LE(
            maxAbsDiff(logits.data() + (ref.positions - 1) * vocab, ref.logitsLast.data(), vocab),
            tol);
    } else {
        const double tolFast = std::ldexp(1.0, -8) * (*mx - *mn);
        for (int64_t p = 0; p < ref.positions; ++p)
            EXPECT_LE(
                maxAbsDiff(logits.data() + p * vocab, ref.allLogits.data() + p * vocab, vocab),
                tolFast)
                << "position " << p;
        RecordProperty(
            "maxErrorVsTransformersRelRange",
            std::to_string(maxAbsDiff(logits.data(), ref.allLogits.data(), ref.positions * vocab) /
                           (*mx - *mn)));
        auto exact = makeBackend(c, isa, Mode::Exact);
        ASSERT_TRUE(exact) << exact.error().message;
        std::vector<float> exactLogits(logits.size());
        ASSERT_TRUE(exact.value()->forward(ref.promptIds, 0, exactLogits.data(), true));
        std::vector<float> fast(logits.end() - vocab, logits.end());
        std::vector<float> slow(exactLogits.end() - vocab, exactLogits.end());
        int64_t pos = ref.positions, nearTies = 0;
        for (std::size_t i = 0; i < ref.greedy.size(); ++i) {
            const auto best = std::max_element(fast.begin(), fast.end()) - fast.begin();
            if (best != ref.greedy[i]) {
                std::vector<float> sorted = slow;
                std::partial_sort(sorted.begin(), sorted.begin() + 2, sorted.end(),
                                  std::greater<float>());
                EXPECT_LE(sorted[0] - sorted[1], 2 * tolFast)
                    << "step " << i << ": " << best << " instead of " << ref.greedy[i];
                ++nearTies;
            }
            const int32_t next = ref.greedy[i];
            ASSERT_TRUE(backend.value()->forward(std::span<const int32_t>(&next, 1), pos,
                                                 fast.data(), false));
            ASSERT_TRUE(exact.value()->forward(std::span<const int32_t>(&next, 1), pos, slow.data(),
                                               false));
            ++pos;
        }
        RecordProperty("nearTieSteps", std::to_string(nearTies));
        return;
    }

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

std::string caseName(const ::testing::TestParamInfo<std::tuple<Case, const char *, Mode>> &info)
{
    std::string n = std::string(std::get<0>(info.param).refDir) + "_" + std::get<1>(info.param) +
                    (std::get<2>(info.param) == Mode::Exact ? "_exact" : "_fast");
    std::replace(n.begin(), n.end(), '-', '_');
    return n;
}

INSTANTIATE_TEST_SUITE_P(AllModels, Golden,
                         ::testing::Combine(::testing::ValuesIn(kCases),
                                            ::testing::ValuesIn(cpu::kIsaNames),
                                            ::testing::Values(Mode::Exact, Mode::Fast)),
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
