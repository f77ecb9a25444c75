#include "sampler.h"

#include <algorithm>
#include <cmath>
#include <random>

namespace engine {

namespace {

uint64_t splitmix64(uint64_t &x)
{
    uint64_t z = (x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

} // namespace

uint64_t freshSeed()
{
    std::random_device device;
    return (uint64_t(device()) << 32) ^ uint64_t(device());
}

Sampler::Sampler(const SamplingParams &params, int32_t vocabSize)
    : m_params(params), m_vocab(vocabSize), m_counts(static_cast<std::size_t>(vocabSize)),
      m_seen(static_cast<std::size_t>(vocabSize)),
      m_candidates(static_cast<std::size_t>(vocabSize)), m_raw(static_cast<std::size_t>(vocabSize))
{
    reset({}, params.seed);
}

void Sampler::reset(std::span<const int32_t> prompt, uint64_t seed)
{
    std::fill(m_counts.begin(), m_counts.end(), 0);
    std::fill(m_seen.begin(), m_seen.end(), 0);
    for (int32_t t : prompt)
        if (t >= 0 && t < m_vocab)
            m_seen[static_cast<std::size_t>(t)] = 1;
    uint64_t s = seed;
    for (uint64_t &v : m_state)
        v = splitmix64(s);
}

double Sampler::uniform()
{
    // xoshiro256**
    const uint64_t result = rotl(m_state[1] * 5, 7) * 9;
    const uint64_t t = m_state[1] << 17;
    m_state[2] ^= m_state[0];
    m_state[3] ^= m_state[1];
    m_state[1] ^= m_state[2];
    m_state[0] ^= m_state[3];
    m_state[2] ^= t;
    m_state[3] = rotl(m_state[3], 45);
    return static_cast<double>(result >> 11) * 0x1.0p-53;
}

SampledToken Sampler::sample(float *logits)
{
    const int32_t V = m_vocab;
    SampledToken out;
    // Log-sum-exp of the raw logits for logprobs.
    float maxRaw = -INFINITY;
    for (int32_t i = 0; i < V; ++i)
        maxRaw = std::max(maxRaw, logits[i]);
    double sumRaw = 0;
    for (int32_t i = 0; i < V; ++i)
        sumRaw += std::exp(double(logits[i]) - maxRaw);
    const float lse = maxRaw + static_cast<float>(std::log(sumRaw));
    if (m_params.topLogprobs > 0) {
        const int32_t k = std::min(m_params.topLogprobs, V);
        for (int32_t i = 0; i < V; ++i)
            m_candidates[i] = {logits[i], i};
        std::partial_sort(m_candidates.begin(), m_candidates.begin() + k, m_candidates.begin() + V,
                          [](const auto &a, const auto &b) {
                              return a.first > b.first ||
                                     (a.first == b.first && a.second < b.second);
                          });
        out.top.reserve(static_cast<std::size_t>(k));
        for (int32_t i = 0; i < k; ++i)
            out.top.emplace_back(m_candidates[i].second, m_candidates[i].first - lse);
    }
    std::copy(logits, logits + V, m_raw.begin());

    const SamplingParams &p = m_params;
    if (p.repetitionPenalty != 1.0f)
        for (int32_t i = 0; i < V; ++i)
            if (m_seen[i])
                logits[i] = logits[i] > 0 ? logits[i] / p.repetitionPenalty
                                          : logits[i] * p.repetitionPenalty;
    if (p.presencePenalty != 0.0f || p.frequencyPenalty != 0.0f)
        for (int32_t i = 0; i < V; ++i)
            if (m_counts[i] > 0)
                logits[i] -=
                    p.presencePenalty + p.frequencyPenalty * static_cast<float>(m_counts[i]);

    int32_t chosen = 0;
    if (p.temperature <= 0.0f) {
        for (int32_t i = 1; i < V; ++i)
            if (logits[i] > logits[chosen])
                chosen = i;
    } else {
        const float invT = 1.0f / p.temperature;
        int32_t n = V;
        for (int32_t i = 0; i < V; ++i)
            m_candidates[i] = {logits[i] * invT, i};
        auto greater = [](const auto &a, const auto &b) {
            return a.first > b.first || (a.first == b.first && a.second < b.second);
        };
        bool sorted = false;
        if (p.topK > 0 && p.topK < n) {
            std::partial_sort(m_candidates.begin(), m_candidates.begin() + p.topK,
                              m_candidates.begin() + n, greater);
            n = p.topK;
            sorted = true;
        }
        // Softmax over the remaining candidates (probabilities stored in .first).
        float maxL = -INFINITY;
        for (int32_t i = 0; i < n; ++i)
            maxL = std::max(maxL, m_candidates[i].first);
        double sum = 0;
        for (int32_t i = 0; i < n; ++i) {
            const double e = std::exp(double(m_candidates[i].first) - maxL);
            m_candidates[i].first = static_cast<float>(e);
            sum += e;
        }
        for (int32_t i = 0; i < n; ++i)
            m_candidates[i].first = static_cast<float>(m_candidates[i].first / sum);
        if (p.topP < 1.0f || p.minP > 0.0f) {
            if (!sorted)
                std::sort(m_candidates.begin(), m_candidates.begin() + n, greater);
            if (p.topP < 1.0f) {
                double cum = 0;
                int32_t keep = 0;
                while (keep < n) {
                    cum += m_candidates[keep].first;
                    ++keep;
                    if (cum >= p.topP)
                        break;
                }
                n = std::max(keep, 1);
            }
            if (p.minP > 0.0f) {
                const float threshold = p.minP * m_candidates[0].first;
                int32_t keep = 1;
                while (keep < n && m_candidates[keep].first >= threshold)
                    ++keep;
                n = keep;
            }
        }
        double total = 0;
        for (int32_t i = 0; i < n; ++i)
            total += m_candidates[i].first;
        double u = uniform() * total;
        chosen = m_candidates[n - 1].second;
        for (int32_t i = 0; i < n; ++i) {
            u -= m_candidates[i].first;
            if (u < 0) {
                chosen = m_candidates[i].second;
                break;
            }
        }
    }
    out.logprob = m_raw[static_cast<std::size_t>(chosen)] - lse;
    out.id = chosen;
    ++m_counts[static_cast<std::size_t>(chosen)];
    m_seen[static_cast<std::size_t>(chosen)] = 1;
    return out;
}

} // namespace engine
