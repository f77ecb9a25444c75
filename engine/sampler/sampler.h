#pragma once

// Token sampling from logits. Order of operations (as transformers' logits processors, with
// OpenAI's penalties added):
//   1. repetition_penalty (HF semantics): for every token seen in the prompt or the output,
//      a positive logit is divided by the penalty, a negative one multiplied by it;
//   2. presence / frequency penalties (OpenAI semantics), over generated tokens only:
//      logit -= presence * (count > 0) + frequency * count;
//   3. temperature <= 0 → greedy (argmax); otherwise logits /= temperature;
//   4. top-k, then top-p (smallest set whose probability reaches p), then min-p (drop tokens
//      whose probability is below min_p × the top probability); renormalise and draw.
// Logprobs are log-softmax of the raw model logits, before any penalty or temperature.
// The random stream is our own (splitmix64 seeding a xoshiro256**), so a seed gives the same
// tokens on every platform and standard library.

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace engine {

//! Sampling knobs for one request.
struct SamplingParams
{
    float temperature = 1.0f; //!< 0 = greedy
    int32_t topK = 0;         //!< 0 = off
    float topP = 1.0f;        //!< 1 = off
    float minP = 0.0f;        //!< 0 = off
    float repetitionPenalty = 1.0f;
    float presencePenalty = 0.0f;
    float frequencyPenalty = 0.0f;
    uint64_t seed = 0;
    int32_t topLogprobs = 0; //!< alternatives to report per token (0 = none)
};

//! One sampled token with its log-probability and the top alternatives.
struct SampledToken
{
    int32_t id = -1;
    float logprob = 0.f;
    std::vector<std::pair<int32_t, float>> top; //!< filled only when topLogprobs > 0
};

//! A seed for a request that names none: a fresh one each time, so that asking again (the
//! playground's Regenerate, a second API call) samples another answer, as OpenAI's API does
//! without `seed`; a request with a seed repeats itself.
uint64_t freshSeed();

//! Stateful sampler for one sequence; buffers are sized once for the vocabulary.
class Sampler
{
public:
    Sampler(const SamplingParams &params, int32_t vocabSize);
    //! Starts a new sequence: clears counts, marks `prompt` as seen, reseeds with `seed`.
    void reset(std::span<const int32_t> prompt, uint64_t seed);
    //! Picks the next token; `logits` is modified in place. Records the token as generated.
    SampledToken sample(float *logits);

private:
    double uniform();
    SamplingParams m_params;
    int32_t m_vocab;
    std::vector<int32_t> m_counts; //!< generated-token counts
    std::vector<uint8_t> m_seen;   //!< prompt or generated
    std::vector<std::pair<float, int32_t>> m_candidates;
    std::vector<float> m_raw; //!< raw logits kept for the chosen token's logprob
    uint64_t m_state[4] = {};
};

} // namespace engine
