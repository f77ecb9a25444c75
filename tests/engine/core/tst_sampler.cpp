// Sampler: greedy, temperature, top-k/top-p/min-p, penalties, seeds, logprobs.

#include <engine/sampler/sampler.h>

#include <gtest/gtest.h>

#include <cmath>
#include <map>

using namespace engine;

namespace {

int32_t draw(Sampler &s, std::vector<float> logits)
{
    return s.sample(logits.data()).id;
}

TEST(Sampler, temperatureZero_isArgmax)
{
    SamplingParams p;
    p.temperature = 0;
    Sampler s(p, 4);
    EXPECT_EQ(draw(s, {0.1f, 2.f, 1.f, -1.f}), 1);
}

TEST(Sampler, topK1_isArgmaxAtAnyTemperature)
{
    SamplingParams p;
    p.temperature = 5;
    p.topK = 1;
    Sampler s(p, 4);
    for (int i = 0; i < 50; ++i)
        EXPECT_EQ(draw(s, {0.1f, 2.f, 1.9f, -1.f}), 1);
}

TEST(Sampler, topP_keepsSmallestSetReachingP)
{
    // Probabilities ~ 0.6, 0.3, 0.1: top_p 0.7 keeps the first two only.
    SamplingParams p;
    p.topP = 0.7f;
    Sampler s(p, 3);
    const std::vector<float> l{std::log(0.6f), std::log(0.3f), std::log(0.1f)};
    std::map<int, int> counts;
    for (int i = 0; i < 2000; ++i)
        ++counts[draw(s, l)];
    EXPECT_EQ(counts[2], 0);
    EXPECT_GT(counts[1], 400);
    EXPECT_GT(counts[0], 1000);
}

TEST(Sampler, minP_dropsUnlikelyTokens)
{
    SamplingParams p;
    p.minP = 0.2f; // threshold 0.2 * 0.6 = 0.12: drops the 0.1 token
    Sampler s(p, 3);
    const std::vector<float> l{std::log(0.6f), std::log(0.3f), std::log(0.1f)};
    for (int i = 0; i < 1000; ++i)
        EXPECT_NE(draw(s, l), 2);
}

TEST(Sampler, distribution_followsSoftmax)
{
    SamplingParams p;
    p.seed = 3;
    Sampler s(p, 2);
    const std::vector<float> l{0.f, std::log(3.f)}; // 25% / 75%
    int ones = 0;
    const int n = 8000;
    for (int i = 0; i < n; ++i)
        ones += draw(s, l);
    EXPECT_NEAR(ones / double(n), 0.75, 0.03);
}

TEST(Sampler, seed_isDeterministic)
{
    SamplingParams p;
    p.seed = 11;
    Sampler a(p, 16), b(p, 16);
    std::vector<float> l(16, 0.f);
    for (int i = 0; i < 100; ++i)
        EXPECT_EQ(draw(a, l), draw(b, l));
}

// The other half of determinism: a sampler that ignored its seed would pass the test above.
TEST(Sampler, differentSeeds_drawDifferentSequences)
{
    SamplingParams p;
    p.seed = 11;
    Sampler a(p, 16);
    p.seed = 12;
    Sampler b(p, 16);
    std::vector<float> l(16, 0.f);
    int differing = 0;
    for (int i = 0; i < 100; ++i)
        differing += draw(a, l) != draw(b, l);
    // Uniform over 16 tokens: two independent streams agree on ~1/16 of the draws.
    EXPECT_GT(differing, 70);
}

TEST(Sampler, repetitionPenalty_hfSemantics)
{
    SamplingParams p;
    p.temperature = 0;
    p.repetitionPenalty = 2.0f;
    Sampler s(p, 3);
    const std::vector<int32_t> prompt{0};
    s.reset(prompt, 0);
    // Token 0 (seen) drops from 3.0 to 1.5, below token 1 at 2.0.
    std::vector<float> l{3.f, 2.f, -1.f};
    EXPECT_EQ(s.sample(l.data()).id, 1);
    EXPECT_FLOAT_EQ(l[0], 1.5f);
}

TEST(Sampler, presenceAndFrequency_openAiSemantics)
{
    SamplingParams p;
    p.temperature = 0;
    p.presencePenalty = 0.5f;
    p.frequencyPenalty = 0.25f;
    Sampler s(p, 2);
    std::vector<float> l{1.f, 0.f};
    EXPECT_EQ(s.sample(l.data()).id, 0); // count(0) = 1 now
    l = {1.f, 0.f};
    s.sample(l.data());
    EXPECT_FLOAT_EQ(l[0], 1.f - 0.5f - 0.25f);
}

TEST(Sampler, logprobs_areLogSoftmaxOfRawLogits)
{
    SamplingParams p;
    p.temperature = 0;
    p.topLogprobs = 2;
    Sampler s(p, 3);
    std::vector<float> l{1.f, 2.f, 3.f};
    auto t = s.sample(l.data());
    const double lse = std::log(std::exp(1.0) + std::exp(2.0) + std::exp(3.0));
    EXPECT_EQ(t.id, 2);
    EXPECT_NEAR(t.logprob, 3.0 - lse, 1e-5);
    ASSERT_EQ(t.top.size(), 2u);
    EXPECT_EQ(t.top[1].first, 1);
    EXPECT_NEAR(t.top[1].second, 2.0 - lse, 1e-5);
}

} // namespace
