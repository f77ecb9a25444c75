// Generation session on a tiny random-weight model written as safetensors by the test.

#include <engine/model/randommodel.h>
#include <engine/session/session.h>

#include "testutil.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <thread>
#include <unistd.h>

using namespace engine;

namespace {

// Each token is one letter, so text positions map to tokens.
class LetterStream : public TokenTextStream
{
public:
    std::string push(int32_t id) override
    {
        return std::string(1, static_cast<char>('A' + id % 58));
    }
    std::string finish() override { return {}; }
};

class Generation : public ::testing::Test
{
protected:
    static void SetUpTestSuite()
    {
        dir = (std::filesystem::temp_directory_path() / ("fd-gen-" + std::to_string(::getpid())))
                  .string();
        std::string error;
        model = enginetest::writeTinyLlama(dir, 2, &error);
        ASSERT_TRUE(model) << error;
    }
    static void TearDownTestSuite() { std::filesystem::remove_all(dir); }
    std::unique_ptr<Session> session(int64_t ctx = 64)
    {
        // The CPU backend explicitly: these tests expect engine::Sampler's seeded draws.
        auto s = Session::create(model, SessionOptions{ctx, 2, BackendKind::Cpu});
        EXPECT_TRUE(s);
        return std::move(s).value();
    }
    static TokenTextStreamFactory letters()
    {
        return [] { return std::make_unique<LetterStream>(); };
    }
    static inline std::string dir;
    static inline std::shared_ptr<const Model> model;
    const std::vector<int32_t> prompt{1, 5, 9, 12, 3};
};

TEST_F(Generation, greedy_isDeterministicAndStopsAtLength)
{
    auto s = session();
    GenerationRequest req;
    req.sampling.temperature = 0;
    req.maxTokens = 10;
    req.stopAtEos = false;
    auto a = s->generate(prompt, req, {}, nullptr, letters());
    auto b = s->generate(prompt, req, {}, nullptr, letters());
    ASSERT_TRUE(a && b);
    EXPECT_EQ(a->choices[0].tokens.size(), 10u);
    EXPECT_EQ(a->choices[0].finishReason, FinishReason::Length);
    EXPECT_EQ(a->choices[0].tokens, b->choices[0].tokens);
    EXPECT_EQ(a->usage.promptTokens, 5);
    EXPECT_EQ(a->usage.completionTokens, 10);
    EXPECT_EQ(a->choices[0].text.size(), 10u);
}

TEST_F(Generation, seed_givesSameSamplesAndDifferentSeedsDiffer)
{
    auto s = session();
    GenerationRequest req;
    req.sampling.temperature = 1.5f;
    req.sampling.seed = 42;
    req.maxTokens = 24;
    req.stopAtEos = false;
    auto a = s->generate(prompt, req);
    auto b = s->generate(prompt, req);
    req.sampling.seed = 43;
    auto c = s->generate(prompt, req);
    ASSERT_TRUE(a && b && c);
    EXPECT_EQ(a->choices[0].tokens, b->choices[0].tokens);
    EXPECT_NE(a->choices[0].tokens, c->choices[0].tokens);
}

TEST_F(Generation, stopString_acrossTokens_isHeldBackAndCut)
{
    auto s = session();
    GenerationRequest req;
    req.sampling.temperature = 0;
    req.maxTokens = 16;
    req.stopAtEos = false;
    auto full = s->generate(prompt, req, {}, nullptr, letters());
    ASSERT_TRUE(full);
    const std::string text = full->choices[0].text;
    ASSERT_EQ(text.size(), 16u);
    const std::string stop = text.substr(6, 3); // spans three tokens
    req.stop = {stop};
    std::string streamed;
    auto cut = s->generate(
        prompt, req,
        [&](const StreamEvent &e) {
            streamed += e.text;
            EXPECT_EQ(streamed.find(stop), std::string::npos);
        },
        nullptr, letters());
    ASSERT_TRUE(cut);
    EXPECT_EQ(cut->choices[0].finishReason, FinishReason::Stop);
    EXPECT_EQ(cut->choices[0].text, text.substr(0, text.find(stop)));
    EXPECT_EQ(streamed, cut->choices[0].text);
}

TEST_F(Generation, stopTokenId_endsWithStop)
{
    auto s = session();
    GenerationRequest req;
    req.sampling.temperature = 0;
    req.maxTokens = 16;
    req.stopAtEos = false;
    auto full = s->generate(prompt, req);
    ASSERT_TRUE(full);
    req.stopTokenIds = {full->choices[0].tokens[3]};
    auto cut = s->generate(prompt, req);
    ASSERT_TRUE(cut);
    EXPECT_EQ(cut->choices[0].finishReason, FinishReason::Stop);
    const auto &t = full->choices[0].tokens;
    const auto firstStop = std::find(t.begin(), t.end(), t[3]) - t.begin();
    EXPECT_EQ(cut->choices[0].tokens, std::vector<int32_t>(t.begin(), t.begin() + firstStop));
}

TEST_F(Generation, cancel_stopsWithinOneToken)
{
    auto s = session();
    GenerationRequest req;
    req.sampling.temperature = 0;
    req.maxTokens = 50;
    req.stopAtEos = false;
    std::atomic<bool> cancel{false};
    int seen = 0;
    auto r = s->generate(
        prompt, req,
        [&](const StreamEvent &) {
            if (++seen == 3)
                cancel = true;
        },
        &cancel);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->choices[0].finishReason, FinishReason::Cancelled);
    EXPECT_EQ(r->choices[0].tokens.size(), 3u);
}

TEST_F(Generation, nSamples_shareThePrefillAndAreIndependent)
{
    auto s = session();
    GenerationRequest req;
    req.sampling.temperature = 1.5f;
    req.sampling.seed = 9;
    req.maxTokens = 12;
    req.stopAtEos = false;
    req.n = 3;
    std::vector<int> perChoice(3);
    auto r = s->generate(prompt, req, [&](const StreamEvent &e) {
        ++perChoice[static_cast<std::size_t>(e.choice)];
    });
    ASSERT_TRUE(r);
    ASSERT_EQ(r->choices.size(), 3u);
    EXPECT_EQ(perChoice, (std::vector<int>{12, 12, 12}));
    EXPECT_NE(r->choices[0].tokens, r->choices[1].tokens);
    EXPECT_EQ(r->usage.completionTokens, 36);
    // Choice 1 equals a single request seeded with seed + 1 (same prefill, independent stream).
    req.n = 1;
    req.sampling.seed = 10;
    auto single = s->generate(prompt, req);
    ASSERT_TRUE(single);
    EXPECT_EQ(single->choices[0].tokens, r->choices[1].tokens);
}

TEST_F(Generation, promptTooLong_reportsLengthAndLimit)
{
    auto s = session(8);
    std::vector<int32_t> longPrompt(8, 3);
    auto r = s->generate(longPrompt, GenerationRequest{});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Error::Code::ContextLength);
    EXPECT_NE(r.error().message.find("8 tokens"), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find("limit is 8"), std::string::npos) << r.error().message;
}

TEST_F(Generation, contextFull_endsWithLength)
{
    auto s = session(8);
    GenerationRequest req;
    req.sampling.temperature = 0;
    req.maxTokens = 100;
    req.stopAtEos = false;
    auto r = s->generate(prompt, req);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->choices[0].finishReason, FinishReason::Length);
    EXPECT_EQ(r->choices[0].tokens.size(), 4u); // positions 5, 6, 7 fed back + one final sample
}

// Fireworks' context_length_exceeded_behavior "error" (OpenAI's only behaviour): max_tokens that
// would pass the context is refused before anything runs, saying how many tokens fit.
TEST_F(Generation, refuseOverContext_refusesMaxTokensPastTheContextAndTakesWhatFits)
{
    auto s = session(8);
    GenerationRequest req;
    req.sampling.temperature = 0;
    req.stopAtEos = false;
    req.refuseOverContext = true;
    req.maxTokens = 4; // the 5-token prompt leaves room for 3
    auto refused = s->generate(prompt, req);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, Error::Code::ContextLength);
    EXPECT_EQ(refused.error().message,
              "the prompt is 5 tokens and max_tokens 4: together over the context limit of 8 "
              "tokens; ask for at most 3 tokens");
    req.maxTokens = 3;
    auto fits = s->generate(prompt, req);
    ASSERT_TRUE(fits) << fits.error().message;
    EXPECT_EQ(fits->choices[0].tokens.size(), 3u);
}

TEST_F(Generation, cachedPrefix_givesSameTokensAsFreshSession)
{
    auto warm = session();
    GenerationRequest req;
    req.sampling.temperature = 0;
    req.maxTokens = 8;
    req.stopAtEos = false;
    ASSERT_TRUE(warm->generate(prompt, req));
    std::vector<int32_t> longer = prompt;
    longer.push_back(17);
    auto a = warm->generate(longer, req);
    auto b = session()->generate(longer, req);
    ASSERT_TRUE(a && b);
    EXPECT_EQ(a->choices[0].tokens, b->choices[0].tokens);
}

TEST(GenerationReuse, withoutPrefixReuse_aSeededRequestRepeatsBitForBit)
{
    // A request that names its seed (reusePrefix false, as the engine host sets it) gives the
    // same log probabilities as in a fresh session, even right after the same prompt: reusing
    // the cached prompt runs its last token alone, through other kernels than the batch, and
    // their rounding differs (bf16 weights of a real model's width: 896, as Qwen2.5-0.5B).
    const std::string dir =
        (std::filesystem::temp_directory_path() / ("fd-reuse-" + std::to_string(::getpid())))
            .string();
    const std::string config =
        R"({"architectures":["Qwen2ForCausalLM"],"model_type":"qwen2","hidden_size":896,)"
        R"("intermediate_size":4864,"num_hidden_layers":2,"num_attention_heads":14,)"
        R"("num_key_value_heads":2,"vocab_size":1024,"max_position_embeddings":256,)"
        R"("rms_norm_eps":1e-6,"rope_theta":1000000.0,"tie_word_embeddings":true,)"
        R"("eos_token_id":1023,"torch_dtype":"bfloat16"})";
    ASSERT_TRUE(engine::writeRandomModel(config, dir, engine::DType::BF16, 3));
    auto model = Model::load(dir);
    ASSERT_TRUE(model);
    const auto session = [&] {
        auto s = Session::create(model.value(), SessionOptions{256, 2, BackendKind::Cpu});
        EXPECT_TRUE(s);
        return std::move(s).value();
    };
    GenerationRequest req;
    req.sampling.temperature = 1;
    req.sampling.seed = 7;
    req.sampling.topLogprobs = 5;
    req.maxTokens = 6;
    req.stopAtEos = false;
    req.reusePrefix = false;
    std::vector<int32_t> prompt;
    for (int32_t i = 0; i < 48; ++i)
        prompt.push_back((i * 37 + 11) % 1000);
    auto fresh = session()->generate(prompt, req);
    auto warm = session();
    ASSERT_TRUE(warm->generate(prompt, req));
    auto again = warm->generate(prompt, req);
    std::filesystem::remove_all(dir);
    ASSERT_TRUE(fresh && again);
    ASSERT_EQ(fresh->choices[0].logprobs.size(), again->choices[0].logprobs.size());
    EXPECT_EQ(fresh->choices[0].tokens, again->choices[0].tokens);
    for (std::size_t i = 0; i < fresh->choices[0].logprobs.size(); ++i)
        EXPECT_EQ(fresh->choices[0].logprobs[i].logprob, again->choices[0].logprobs[i].logprob)
            << "token " << i;
}

TEST_F(Generation, logprobs_areReportedAndNormalised)
{
    auto s = session();
    GenerationRequest req;
    req.sampling.temperature = 0;
    req.sampling.topLogprobs = 3;
    req.maxTokens = 4;
    req.stopAtEos = false;
    auto r = s->generate(prompt, req);
    ASSERT_TRUE(r);
    for (const SampledToken &t : r->choices[0].logprobs) {
        ASSERT_EQ(t.top.size(), 3u);
        EXPECT_EQ(t.top[0].first, t.id); // greedy picks the most likely token
        EXPECT_FLOAT_EQ(t.top[0].second, t.logprob);
        EXPECT_LE(t.logprob, 0.f);
        EXPECT_GE(t.top[0].second, t.top[1].second);
    }
}

TEST_F(Generation, timings_areFilled)
{
    auto s = session();
    GenerationRequest req;
    req.maxTokens = 4;
    req.stopAtEos = false;
    auto r = s->generate(prompt, req);
    ASSERT_TRUE(r);
    EXPECT_GT(r->timings.timeToFirstTokenMs, 0);
    EXPECT_GT(r->timings.decodeTokensPerSecond, 0);
}

} // namespace

namespace {

TEST(GenerationDefaultsRequest, fillsSamplingFromDefaults)
{
    engine::GenerationDefaults d;
    d.temperature = 0.3;
    d.topK = 40;
    d.maxTokens = 99;
    d.stop = {"END"};
    const auto r = engine::requestFromDefaults(d);
    EXPECT_FLOAT_EQ(r.sampling.temperature, 0.3f);
    EXPECT_EQ(r.sampling.topK, 40);
    EXPECT_EQ(r.maxTokens, 99);
    EXPECT_EQ(r.stop, std::vector<std::string>{"END"});
    engine::GenerationDefaults greedy;
    greedy.doSample = false;
    EXPECT_EQ(engine::requestFromDefaults(greedy).sampling.temperature, 0.f);
}

} // namespace
