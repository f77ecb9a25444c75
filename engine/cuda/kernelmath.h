#pragma once

// Scalar math shared by the CUDA kernels and their CPU references (engine/cpu/reference.cpp),
// so the CPU tests run the very functions the kernels use: the split-K (flash-decoding)
// combine, RoPE rotation, SwiGLU, and the sampler's penalty, key and fixed-point weight math.
// Plain C++ when not compiled by nvcc, so CPU-only builds include it too.

#include <cmath>
#include <cstdint>
#include <cstring>

#if defined(__CUDACC__)
#define ENGINE_HD __host__ __device__ __forceinline__
#else
#define ENGINE_HD inline
#endif

namespace engine::kmath {

//! Weight of one split's partial softmax when merging splits whose running maximum is
//! `mMax`: exp(m - mMax), and exactly 0 for an empty split (m = -inf), so an empty split's
//! output (never written) is never read.
ENGINE_HD float split_weight(float m, float mMax)
{
    return m == -INFINITY ? 0.0f : expf(m - mMax);
}

//! Merges split-K partials: split s holds max m[s], sum l[s] = Σ exp(score - m[s]) and the
//! unnormalised output o_s = Σ exp(score - m[s]) v. The result is Σ w_s o_s / Σ w_s l_s with
//! w_s = split_weight(m[s], max m). Writes the per-split factors w_s / Σ w_s l_s to `factor`.
ENGINE_HD void split_combine_factors(const float *m, const float *l, int n, float *factor)
{
    float mMax = -INFINITY;
    for (int s = 0; s < n; ++s)
        mMax = m[s] > mMax ? m[s] : mMax;
    float denom = 0.0f;
    for (int s = 0; s < n; ++s)
        denom += split_weight(m[s], mMax) * l[s];
    const float inv = denom > 0.0f ? 1.0f / denom : 0.0f;
    for (int s = 0; s < n; ++s)
        factor[s] = split_weight(m[s], mMax) * inv;
}

//! HF rotate_half RoPE on the pair (a = v[i], b = v[i + d/2]).
ENGINE_HD void rope_pair(float &a, float &b, float cosv, float sinv)
{
    const float x = a, y = b;
    a = x * cosv - y * sinv;
    b = y * cosv + x * sinv;
}

ENGINE_HD float silu_mul(float gate, float up)
{
    return gate / (1.0f + expf(-gate)) * up;
}

//! Repetition penalty (transformers) then presence/frequency (OpenAI), as engine::Sampler.
ENGINE_HD float penalized_logit(float logit, bool seen, int32_t count, float repetition,
                                float presence, float frequency)
{
    if (seen && repetition != 1.0f)
        logit = logit > 0.0f ? logit / repetition : logit * repetition;
    if (count > 0)
        logit -= presence + frequency * static_cast<float>(count);
    return logit;
}

//! A uint32 whose unsigned order is the float order (-inf < ... < -0 < +0 < ... < +inf), so
//! the top-k / top-p thresholds are found by radix selection over 8-bit digits.
ENGINE_HD uint32_t ordered_key(float f)
{
    uint32_t u;
#if defined(__CUDA_ARCH__)
    u = __float_as_uint(f);
#else
    std::memcpy(&u, &f, 4);
#endif
    return (u & 0x80000000u) ? ~u : (u | 0x80000000u);
}

//! Sampling weights are exp(logit - max) in fixed point (max → 2^31): integer sums are exact
//! and independent of summation order, so the GPU kernel (atomics, any thread order) and the
//! CPU reference pick the same token for the same random number.
inline constexpr double kWeightOne = 2147483648.0;
ENGINE_HD uint32_t fixed_weight(float scaledLogit, float maxScaledLogit)
{
    return static_cast<uint32_t>(expf(scaledLogit - maxScaledLogit) * 2147483648.0f + 0.5f);
}

//! Radix selection step over a 256-bin histogram of the current digit (bin 255 = largest):
//! returns the highest bin b with above + hist[b] >= need, where `above` (in/out) accumulates
//! the bins strictly greater than b. T is a count (top-k) or a fixed-point mass (top-p).
template <typename T> ENGINE_HD int pick_bin_from_top(const T *hist, T need, T &above)
{
    for (int b = 255; b > 0; --b) {
        if (above + hist[b] >= need)
            return b;
        above += hist[b];
    }
    return 0;
}

//! xoshiro256** step + double in [0, 1), bit-identical to engine::Sampler's stream.
ENGINE_HD uint64_t rotl64(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}
ENGINE_HD double xoshiro_uniform(uint64_t *s)
{
    const uint64_t result = rotl64(s[1] * 5, 7) * 9;
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl64(s[3], 45);
    return static_cast<double>(result >> 11) * 0x1.0p-53;
}
//! splitmix64 seeding of the four xoshiro words, as engine::Sampler::reset.
ENGINE_HD void xoshiro_seed(uint64_t seed, uint64_t *s)
{
    uint64_t x = seed;
    for (int i = 0; i < 4; ++i) {
        uint64_t z = (x += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        s[i] = z ^ (z >> 31);
    }
}

//! Sampling parameters as the GPU sampler reads them (device memory, so a captured decode
//! graph picks up new values). greedy = temperature <= 0.
struct SampleConfig
{
    int32_t vocab = 0;
    int32_t greedy = 1;
    float invTemperature = 1.0f;
    int32_t topK = 0;  //!< 0 = off
    float topP = 1.0f; //!< 1 = off
    float minP = 0.0f; //!< 0 = off
    float repetition = 1.0f, presence = 0.0f, frequency = 0.0f;
};

//! What crosses back to the host per token: the id and its raw log-softmax.
struct SampleResult
{
    int32_t id = -1;
    float logprob = 0.0f;
};

//! The radix-selection predicates of the sampler: a token survives top-k when its key is above
//! the k-th key, or equal to it and not after the last tie that still fits (index order);
//! top-p likewise with the cut found by mass.
ENGINE_HD bool keep_above(uint32_t key, int32_t index, bool active, uint32_t cutKey,
                          int32_t cutIndex)
{
    return !active || key > cutKey || (key == cutKey && index <= cutIndex);
}

} // namespace engine::kmath
