// The CPU references of the CUDA kernels (engine/cpu/reference.h), checked against the CPU
// backend's math, against each other and against hand-computed values. They run everywhere;
// the gpu-labelled tests (tests/engine/cuda/) compare the kernels with these functions.

#include "../kerneltestutil.h"
#include "testutil.h"

#include <engine/cpu/cpubackend.h>
#include <engine/cpu/kernels.h>
#include <engine/cpu/reference.h>
#include <engine/sampler/sampler.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

using namespace engine;
namespace ref = engine::cpu::ref;
namespace kmath = engine::kmath;
using enginetest::bf16Bits;
using enginetest::randomVector;

namespace {

TEST(KernelRef, ropeTables_roundInvFreqToCheckpointDType)
{
    auto model = Model::load(enginetest::goldenDir("tiny-llama3-bf16"));
    ASSERT_TRUE(model) << model.error().message;
    const ModelConfig &c = model.value()->config();
    std::vector<float> cosB, sinB, cosF, sinF;
    ref::ropeTables(c, DType::BF16, 4, cosB, sinB);
    ref::ropeTables(c, DType::F32, 4, cosF, sinF);
    const int64_t half = c.headDim / 2;
    bool differs = false;
    for (int64_t i = 0; i < half; ++i) {
        EXPECT_FLOAT_EQ(cosB[i], 1.0f); // position 0: no rotation
        EXPECT_FLOAT_EQ(sinB[i], 0.0f);
        // At position 1 the angle is inv_freq itself, which must be a bf16 value.
        const float angle = std::atan2(sinB[half + i], cosB[half + i]);
        EXPECT_NEAR(angle, ref::roundToBf16(angle), 2e-6f * std::fabs(angle) + 1e-7f) << i;
        differs = differs || cosB[half + i] != cosF[half + i];
    }
    EXPECT_TRUE(differs);
}

TEST(KernelRef, gemv_matchesCpuMatmul)
{
    std::mt19937 rng(3);
    const int64_t rows = 37, cols = 136;
    const std::vector<float> wf = randomVector(rng, std::size_t(rows * cols), 0.2f);
    const std::vector<float> x = randomVector(rng, std::size_t(cols));
    std::vector<uint16_t> wb(wf.size());
    for (std::size_t i = 0; i < wf.size(); ++i)
        wb[i] = bf16Bits(wf[i]);
    cpu::ThreadPool pool(1);
    for (DType dt : {DType::F32, DType::BF16}) {
        const void *w = dt == DType::F32 ? static_cast<const void *>(wf.data()) : wb.data();
        std::vector<float> want(static_cast<std::size_t>(rows)),
            got(static_cast<std::size_t>(rows));
        cpu::matmul(pool, cpu::bestDotKernels(), Weight{dt, w, rows, cols}, x.data(), 1,
                    want.data());
        ref::gemv(dt, w, rows, cols, x.data(), nullptr, nullptr, 1.0f, got.data());
        for (int64_t r = 0; r < rows; ++r) // fp32 sums in a different order: ~1e-6 relative
            EXPECT_NEAR(got[r], want[r], 1e-5f * (1.0f + std::fabs(want[r]))) << dtypeName(dt);
        // alpha, bias and residual: y = alpha · Wx + bias + residual.
        const std::vector<float> bias = randomVector(rng, std::size_t(rows));
        std::vector<float> res = randomVector(rng, std::size_t(rows)), expect(res.size());
        for (int64_t r = 0; r < rows; ++r)
            expect[r] = 0.5f * got[r] + bias[r] + res[r];
        ref::gemv(dt, w, rows, cols, x.data(), bias.data(), res.data(), 0.5f, res.data());
        for (int64_t r = 0; r < rows; ++r)
            EXPECT_NEAR(res[r], expect[r], 1e-5f * (1.0f + std::fabs(expect[r])));
    }
}

TEST(KernelRef, splitCombine_weightsSplitsAndIgnoresEmptyOnes)
{
    // Two non-empty splits with maxima 1 and 2 and sums 3 and 5, one empty split.
    const float m[] = {-INFINITY, 1.0f, 2.0f}, l[] = {0.0f, 3.0f, 5.0f};
    float factor[3];
    kmath::split_combine_factors(m, l, 3, factor);
    const float w1 = std::exp(-1.0f), denom = w1 * 3.0f + 5.0f;
    EXPECT_EQ(factor[0], 0.0f);
    EXPECT_FLOAT_EQ(factor[1], w1 / denom);
    EXPECT_FLOAT_EQ(factor[2], 1.0f / denom);
}

TEST(KernelRef, attentionSplit_matchesPlainSoftmax)
{
    std::mt19937 rng(11);
    const int64_t qHeads = 8, kvHeads = 2, d = 16, ctx = 300;
    const std::vector<float> k = randomVector(rng, std::size_t(kvHeads * ctx * d)),
                             v = randomVector(rng, std::size_t(kvHeads * ctx * d)),
                             q = randomVector(rng, std::size_t(qHeads * d), 2.0f);
    for (int64_t window : {int64_t(0), int64_t(50)})
        for (int64_t pos : {0, 1, 127, 128, 200, 299})
            for (int64_t splitLen : {1, 7, 128, 512}) {
                std::vector<float> want(static_cast<std::size_t>(qHeads * d)), got(want.size());
                ref::attention(q.data(), k.data(), v.data(), qHeads, kvHeads, d, ctx, pos, window,
                               want.data());
                ref::attentionSplit(q.data(), k.data(), v.data(), qHeads, kvHeads, d, ctx, pos,
                                    window, splitLen, got.data());
                for (std::size_t i = 0; i < want.size(); ++i) // fp32, values O(1): 1e-5 absolute
                    ASSERT_NEAR(got[i], want[i], 1e-5f)
                        << "pos " << pos << " split " << splitLen << " window " << window;
            }
}

TEST(KernelRef, qkNormRope_rotatesPairsAndStoresBf16Cache)
{
    const int64_t qHeads = 2, kvHeads = 1, d = 8, ctx = 4, half = d / 2;
    std::vector<float> cosT(static_cast<std::size_t>(ctx * half)), sinT(cosT.size());
    for (int64_t p = 0; p < ctx; ++p)
        for (int64_t i = 0; i < half; ++i) {
            cosT[p * half + i] = std::cos(0.3f * float(p * (i + 1)));
            sinT[p * half + i] = std::sin(0.3f * float(p * (i + 1)));
        }
    std::mt19937 rng(5);
    std::vector<float> row = randomVector(rng, std::size_t((qHeads + 2 * kvHeads) * d));
    const std::vector<float> orig = row;
    std::vector<float> kc(static_cast<std::size_t>(kvHeads * ctx * d)), vc(kc.size());
    ref::qkNormRopeStoreKv(row.data(), qHeads, kvHeads, d, nullptr, nullptr, 1e-6f, cosT.data(),
                           sinT.data(), 2, ctx, kc.data(), vc.data());
    for (int64_t h = 0; h < qHeads + kvHeads; ++h)
        for (int64_t i = 0; i < half; ++i) {
            const float a = orig[h * d + i], b = orig[h * d + i + half];
            const float c = cosT[2 * half + i], s = sinT[2 * half + i];
            EXPECT_FLOAT_EQ(row[h * d + i], a * c - b * s);
            EXPECT_FLOAT_EQ(row[h * d + i + half], b * c + a * s);
        }
    for (int64_t i = 0; i < d; ++i) { // position 2 of kv head 0
        EXPECT_EQ(kc[2 * d + i], ref::roundToBf16(row[qHeads * d + i]));
        EXPECT_EQ(vc[2 * d + i], ref::roundToBf16(orig[(qHeads + kvHeads) * d + i]));
    }
}

TEST(KernelRef, swiglu_isSiluOfGateTimesUp)
{
    const float gu[] = {1.0f, -2.0f, 3.0f, 0.5f}; // one token: gate {1, -2}, up {3, 0.5}
    float out[2];
    ref::swiglu(gu, 1, 2, out);
    EXPECT_FLOAT_EQ(out[0], 1.0f / (1.0f + std::exp(-1.0f)) * 3.0f);
    EXPECT_FLOAT_EQ(out[1], -2.0f / (1.0f + std::exp(2.0f)) * 0.5f);
}

TEST(KernelRef, sampleGreedy_matchesSamplerWithPenalties)
{
    SamplingParams p;
    p.temperature = 0;
    p.repetitionPenalty = 1.3f;
    p.presencePenalty = 0.4f;
    p.frequencyPenalty = 0.3f;
    const int32_t V = 64;
    const std::vector<int32_t> prompt = {3, 9, 9, 17};
    Sampler sampler(p, V);
    sampler.reset(prompt, 0);
    std::vector<int32_t> counts(V, 0);
    std::vector<uint8_t> seen(V, 0);
    for (int32_t t : prompt)
        seen[t] = 1;
    uint64_t rng[4];
    kmath::xoshiro_seed(0, rng);
    std::mt19937 gen(7);
    for (int step = 0; step < 50; ++step) {
        // Logits on a coarse grid so that ties occur and the lowest index must win.
        std::vector<float> logits(V);
        std::uniform_int_distribution<int> q(-8, 8);
        for (float &l : logits)
            l = 0.25f * float(q(gen));
        std::vector<float> copy = logits;
        const SampledToken want = sampler.sample(copy.data());
        const kmath::SampleResult got =
            ref::sample(logits.data(), ref::sampleConfig(p, V), rng, counts.data(), seen.data());
        ASSERT_EQ(got.id, want.id) << "step " << step;
        EXPECT_NEAR(got.logprob, want.logprob, 1e-5f);
    }
}

// The survivors engine::Sampler's sort-based filtering keeps, for comparison.
std::vector<int32_t> sortedSurvivors(const std::vector<float> &logits, const SamplingParams &p)
{
    const int32_t V = static_cast<int32_t>(logits.size());
    std::vector<std::pair<float, int32_t>> c(static_cast<std::size_t>(V));
    for (int32_t i = 0; i < V; ++i)
        c[i] = {logits[i] / p.temperature, i};
    std::sort(c.begin(), c.end(), [](const auto &a, const auto &b) {
        return a.first > b.first || (a.first == b.first && a.second < b.second);
    });
    int32_t n = p.topK > 0 && p.topK < V ? p.topK : V;
    std::vector<double> prob(static_cast<std::size_t>(n));
    double sum = 0;
    for (int32_t i = 0; i < n; ++i)
        sum += prob[i] = std::exp(double(c[i].first) - c[0].first);
    for (double &x : prob)
        x /= sum;
    if (p.topP < 1.0f) {
        double cum = 0;
        int32_t keep = 0;
        while (keep < n) {
            cum += prob[keep++];
            if (cum >= p.topP)
                break;
        }
        n = keep;
    }
    if (p.minP > 0) {
        int32_t keep = 1;
        while (keep < n && prob[keep] >= p.minP * prob[0])
            ++keep;
        n = keep;
    }
    std::vector<int32_t> ids;
    for (int32_t i = 0; i < n; ++i)
        ids.push_back(c[i].second);
    std::sort(ids.begin(), ids.end());
    return ids;
}

TEST(KernelRef, sampleFilter_keepsTheSamplersSurvivors)
{
    std::mt19937 gen(21);
    const int32_t V = 300;
    struct Knobs
    {
        float temperature;
        int32_t topK;
        float topP, minP;
    };
    const Knobs knobs[] = {{1.0f, 40, 1.0f, 0.0f},  {0.7f, 0, 0.9f, 0.0f}, {1.3f, 0, 1.0f, 0.05f},
                           {0.8f, 50, 0.8f, 0.02f}, {1.0f, 1, 1.0f, 0.0f}, {1.0f, 299, 0.5f, 0.0f}};
    for (const Knobs &k : knobs)
        for (int trial = 0; trial < 20; ++trial) {
            std::vector<float> logits(V);
            std::uniform_int_distribution<int> q(-40, 40);
            for (float &l : logits)
                l = 0.125f * float(q(gen)); // many exact ties at the cut points
            SamplingParams p;
            p.temperature = k.temperature;
            p.topK = k.topK;
            p.topP = k.topP;
            p.minP = k.minP;
            std::vector<int32_t> counts(V, 0);
            std::vector<uint8_t> seen(V, 0);
            const ref::SampleFilter f = ref::sampleFilter(logits.data(), ref::sampleConfig(p, V),
                                                          counts.data(), seen.data());
            std::vector<int32_t> got;
            for (int32_t i = 0; i < V; ++i)
                if (f.weight[i])
                    got.push_back(i);
            EXPECT_EQ(got, sortedSurvivors(logits, p))
                << "T " << k.temperature << " top_k " << k.topK << " top_p " << k.topP << " min_p "
                << k.minP << " trial " << trial;
        }
}

TEST(KernelRef, sampleDraws_followTheFilteredSoftmax)
{
    const std::vector<float> logits = {1.0f, 2.0f, 0.5f, 3.0f, -1.0f, 2.5f, 0.0f, 1.5f};
    SamplingParams p;
    p.temperature = 0.8f;
    p.topK = 5;
    const int32_t V = 8;
    const kmath::SampleConfig cfg = ref::sampleConfig(p, V);
    std::vector<int32_t> counts(V, 0), hits(V, 0);
    std::vector<uint8_t> seen(V, 0);
    uint64_t rng[4];
    kmath::xoshiro_seed(42, rng);
    const int draws = 40000;
    for (int i = 0; i < draws; ++i) {
        std::fill(counts.begin(), counts.end(), 0); // no penalties: every draw is independent
        ++hits[ref::sample(logits.data(), cfg, rng, counts.data(), seen.data()).id];
    }
    // Expected: softmax(logits / T) over the top 5 (ids 3, 5, 1, 7, 0).
    std::vector<double> expect(V, 0.0);
    double sum = 0;
    for (int32_t id : {3, 5, 1, 7, 0})
        sum += expect[id] = std::exp(logits[id] / 0.8);
    for (int32_t i = 0; i < V; ++i) // 40k draws: 3 sigma of a binomial is at most 0.0075
        EXPECT_NEAR(double(hits[i]) / draws, expect[i] / sum, 0.0075) << "token " << i;
}

TEST(KernelRef, sampleSeed_reproducesTheSequence)
{
    std::mt19937 gen(2);
    const std::vector<float> logits = randomVector(gen, 100);
    SamplingParams p;
    p.temperature = 1.0f;
    p.topP = 0.95f;
    const kmath::SampleConfig cfg = ref::sampleConfig(p, 100);
    std::vector<int32_t> runs[2];
    for (auto &run : runs) {
        std::vector<int32_t> counts(100, 0);
        std::vector<uint8_t> seen(100, 0);
        uint64_t rng[4];
        kmath::xoshiro_seed(9, rng);
        for (int i = 0; i < 30; ++i)
            run.push_back(ref::sample(logits.data(), cfg, rng, counts.data(), seen.data()).id);
    }
    EXPECT_EQ(runs[0], runs[1]);
}

// The CUDA backend's decode step written with the references, in its order and layout (fused
// q|k|v row with bias, norm before RoPE, bf16 K/V cache, split-K attention with 128-key splits,
// residual adds after o and down), token by token. It must reproduce the CPU backend's logits:
// this checks the algorithm CudaBackend implements, on every golden architecture.
class ReferenceDecode : public ::testing::TestWithParam<const char *>
{
};

TEST_P(ReferenceDecode, matchesCpuBackendLogits)
{
    auto loaded = Model::load(enginetest::goldenDir(GetParam()));
    ASSERT_TRUE(loaded) << loaded.error().message;
    const Model &m = *loaded.value();
    const ModelConfig &c = m.config();
    const int64_t h = c.hiddenSize, d = c.headDim, qDim = c.numHeads * d, kvDim = c.numKvHeads * d,
                  im = c.intermediateSize, V = c.vocabSize, ctx = 64;
    const float eps = static_cast<float>(c.rmsNormEps);
    std::vector<float> cosT, sinT;
    ref::ropeTables(c, c.dtype.value_or(m.weightDType()), ctx, cosT, sinT);
    std::vector<float> kc(static_cast<std::size_t>(c.numLayers * kvDim * ctx)), vc(kc.size());
    std::vector<float> x(static_cast<std::size_t>(h)), xn(x.size()),
        qkv(static_cast<std::size_t>(qDim + 2 * kvDim)), att(static_cast<std::size_t>(qDim)),
        gu(static_cast<std::size_t>(2 * im)), act(static_cast<std::size_t>(im)),
        logits(static_cast<std::size_t>(V));
    const auto project = [](const Weight &w, const float *in, const float *bias,
                            const float *residual, float *out) {
        ref::gemv(w.dtype, w.data, w.rows, w.cols, in, bias, residual, 1.0f, out);
    };

    const auto reference = enginetest::loadReference(enginetest::goldenDir(GetParam()));
    const std::vector<int32_t> &tokens = reference.promptIds;
    auto cpu = cpu::CpuBackend::create(loaded.value(), cpu::CpuBackendOptions{ctx, 1});
    ASSERT_TRUE(cpu);
    std::vector<float> want(tokens.size() * static_cast<std::size_t>(V));
    ASSERT_TRUE(cpu.value()->forward(tokens, 0, want.data(), true));
    const auto [mn, mx] = std::minmax_element(want.begin(), want.end());
    double maxDiff = 0;
    for (std::size_t pos = 0; pos < tokens.size(); ++pos) {
        convertToF32(m.embedding().dtype,
                     static_cast<const unsigned char *>(m.embedding().data) +
                         tokens[pos] * h * int64_t(dtypeSize(m.embedding().dtype)),
                     x.data(), static_cast<uint64_t>(h));
        for (int64_t l = 0; l < c.numLayers; ++l) {
            const LayerWeights &w = m.layers()[static_cast<std::size_t>(l)];
            float *kl = kc.data() + l * kvDim * ctx, *vl = vc.data() + l * kvDim * ctx;
            cpu::rmsnorm(x.data(), w.inputNorm, xn.data(), h, eps);
            project(w.q, xn.data(), w.qBias, nullptr, qkv.data());
            project(w.k, xn.data(), w.kBias, nullptr, qkv.data() + qDim);
            project(w.v, xn.data(), w.vBias, nullptr, qkv.data() + qDim + kvDim);
            ref::qkNormRopeStoreKv(qkv.data(), c.numHeads, c.numKvHeads, d, w.qNorm, w.kNorm, eps,
                                   cosT.data(), sinT.data(), int64_t(pos), ctx, kl, vl);
            ref::attentionSplit(qkv.data(), kl, vl, c.numHeads, c.numKvHeads, d, ctx, int64_t(pos),
                                c.slidingWindow, 128, att.data());
            project(w.o, att.data(), nullptr, x.data(), x.data());
            cpu::rmsnorm(x.data(), w.postAttnNorm, xn.data(), h, eps);
            project(w.gate, xn.data(), nullptr, nullptr, gu.data());
            project(w.up, xn.data(), nullptr, nullptr, gu.data() + im);
            ref::swiglu(gu.data(), 1, im, act.data());
            project(w.down, act.data(), nullptr, x.data(), x.data());
        }
        cpu::rmsnorm(x.data(), m.finalNorm(), xn.data(), h, eps);
        project(m.lmHead(), xn.data(), nullptr, nullptr, logits.data());
        for (int64_t v = 0; v < V; ++v)
            maxDiff = std::max(maxDiff, double(std::fabs(logits[v] - want[pos * V + v])));
    }
    // bf16 K/V (the CPU backend keeps fp32) is the only intended difference: 1e-2 of the
    // logits' range. Measured on this machine: 1.1e-3 to 2.2e-3 of the range.
    const double range = *mx - *mn;
    RecordProperty("max_diff_over_range", std::to_string(maxDiff / range));
    EXPECT_LE(maxDiff, 1e-2 * range) << GetParam() << ": " << maxDiff / range << " of the range";
}

INSTANTIATE_TEST_SUITE_P(GoldenModels, ReferenceDecode,
                         ::testing::Values("tiny-llama2-bf16", "tiny-llama3-f32",
                                           "tiny-llama3-bf16", "tiny-mistral-bf16",
                                           "tiny-qwen2-bf16", "tiny-qwen3-bf16"),
                         [](const auto &info) {
                             std::string n = info.param;
                             std::replace(n.begin(), n.end(), '-', '_');
                             return n;
                         });

} // namespace
