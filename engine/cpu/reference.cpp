#include "reference.h"

#include <engine/cpu/kernels.h>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace engine::cpu::ref {

namespace {

// Inverse RoPE frequencies as transformers computes them (fp32), including llama3 and linear
// scaling (modeling_rope_utils.py).
std::vector<float> ropeInvFreq(const ModelConfig &c)
{
    const int64_t half = c.headDim / 2;
    std::vector<float> inv(static_cast<std::size_t>(half));
    for (int64_t i = 0; i < half; ++i) {
        const float expo = static_cast<float>(2 * i) / static_cast<float>(c.headDim);
        inv[i] = 1.0f / static_cast<float>(std::pow(c.ropeTheta, double(expo)));
    }
    const RopeScaling &s = c.ropeScaling;
    if (s.type == RopeScaling::Type::Linear) {
        for (float &f : inv)
            f = static_cast<float>(f / s.factor);
    } else if (s.type == RopeScaling::Type::Llama3) {
        const double oldCtx = static_cast<double>(s.originalMaxPositions);
        const double lowWavelen = oldCtx / s.lowFreqFactor, highWavelen = oldCtx / s.highFreqFactor;
        for (float &f : inv) {
            const double wavelen = 2 * M_PI / f;
            double v = wavelen > lowWavelen ? f / s.factor : f;
            if (!(wavelen < highWavelen) && !(wavelen > lowWavelen)) {
                const double smooth =
                    (oldCtx / wavelen - s.lowFreqFactor) / (s.highFreqFactor - s.lowFreqFactor);
                v = (1 - smooth) * v / s.factor + smooth * v;
            }
            f = static_cast<float>(v);
        }
    }
    return inv;
}

float dotRow(DType dtype, const void *w, int64_t row, int64_t cols, const float *x)
{
    float acc = 0.0f;
    if (dtype == DType::F32) {
        const float *r = static_cast<const float *>(w) + row * cols;
        for (int64_t k = 0; k < cols; ++k)
            acc += r[k] * x[k];
        return acc;
    }
    std::vector<float> tmp(static_cast<std::size_t>(cols));
    const auto *base = static_cast<const unsigned char *>(w) + row * cols * 2;
    convertToF32(dtype, base, tmp.data(), static_cast<uint64_t>(cols));
    for (int64_t k = 0; k < cols; ++k)
        acc += tmp[k] * x[k];
    return acc;
}

// Radix selection over the 8-bit digits of the keys of `candidates`: the key at which the
// descending cumulative `value` first reaches `need`, and the value strictly above it.
template <typename ValueFn>
uint32_t radixSelect(const std::vector<uint32_t> &keys, const std::vector<char> &candidate,
                     uint64_t need, ValueFn value, uint64_t &above)
{
    uint32_t prefix = 0, mask = 0;
    above = 0;
    for (int shift = 24; shift >= 0; shift -= 8) {
        uint64_t hist[256] = {};
        for (std::size_t i = 0; i < keys.size(); ++i)
            if (candidate[i] && (keys[i] & mask) == prefix)
                hist[(keys[i] >> shift) & 255u] += value(i);
        const int bin = kmath::pick_bin_from_top<uint64_t>(hist, need, above);
        prefix |= static_cast<uint32_t>(bin) << shift;
        mask |= 0xFFu << shift;
    }
    return prefix;
}

} // namespace

void ropeTables(const ModelConfig &c, DType wd, int64_t ctx, std::vector<float> &cosTable,
                std::vector<float> &sinTable)
{
    const int64_t half = c.headDim / 2;
    cosTable.resize(static_cast<std::size_t>(ctx * half));
    sinTable.resize(cosTable.size());
    std::vector<float> inv = ropeInvFreq(c);
    // transformers casts the inv_freq buffer to the model dtype (config dtype) when it loads a
    // half-precision model, so its RoPE angles use rounded frequencies; matching that keeps
    // bf16 logits within 1e-4 of the range instead of 4e-4 (measured on the golden models).
    if (wd == DType::BF16)
        for (float &f : inv)
            f = roundToBf16(f);
    else if (wd != DType::F32)
        for (float &f : inv) {
            // f16: 10 mantissa bits (normal range; inv_freq >= 6e-5 for theta <= 1e6 at d 128)
            uint32_t u;
            std::memcpy(&u, &f, 4);
            u = (u + 0xFFF + ((u >> 13) & 1)) & ~0x1FFFu;
            std::memcpy(&f, &u, 4);
        }
    for (int64_t p = 0; p < ctx; ++p)
        for (int64_t i = 0; i < half; ++i) {
            const float angle = static_cast<float>(p) * inv[i]; // fp32 product, as transformers
            cosTable[p * half + i] = static_cast<float>(std::cos(double(angle)));
            sinTable[p * half + i] = static_cast<float>(std::sin(double(angle)));
        }
}

float roundToBf16(float v)
{
    uint32_t u;
    std::memcpy(&u, &v, 4);
    u = (u + 0x7FFF + ((u >> 16) & 1)) & 0xFFFF0000u;
    std::memcpy(&v, &u, 4);
    return v;
}

void gemv(DType dtype, const void *w, int64_t rows, int64_t cols, const float *x, const float *bias,
          const float *residual, float alpha, float *out)
{
    for (int64_t r = 0; r < rows; ++r) {
        float y = alpha * dotRow(dtype, w, r, cols, x);
        if (bias)
            y += bias[r];
        if (residual)
            y += residual[r];
        out[r] = y;
    }
}

void qkNormRopeStoreKv(float *row, int64_t qHeads, int64_t kvHeads, int64_t d, const float *qNorm,
                       const float *kNorm, float eps, const float *cosTable, const float *sinTable,
                       int64_t pos, int64_t ctx, float *kCache, float *vCache)
{
    const int64_t half = d / 2;
    const float *cosr = cosTable + pos * half, *sinr = sinTable + pos * half;
    for (int64_t h = 0; h < qHeads + kvHeads; ++h) {
        float *v = row + h * d;
        const float *norm = h < qHeads ? qNorm : kNorm;
        if (norm)
            rmsnorm(v, norm, v, d, eps);
        for (int64_t i = 0; i < half; ++i)
            kmath::rope_pair(v[i], v[i + half], cosr[i], sinr[i]);
        if (h < qHeads)
            continue;
        const int64_t kvh = h - qHeads;
        const float *vv = row + (qHeads + kvHeads + kvh) * d;
        for (int64_t i = 0; i < d; ++i) {
            kCache[(kvh * ctx + pos) * d + i] = roundToBf16(v[i]);
            vCache[(kvh * ctx + pos) * d + i] = roundToBf16(vv[i]);
        }
    }
}

void attention(const float *q, const float *kCache, const float *vCache, int64_t qHeads,
               int64_t kvHeads, int64_t d, int64_t ctx, int64_t pos, int64_t window, float *out)
{
    const int64_t group = qHeads / kvHeads,
                  first = window > 0 ? std::max<int64_t>(0, pos - window + 1) : 0;
    const float scale = 1.0f / std::sqrt(static_cast<float>(d));
    std::vector<float> s(static_cast<std::size_t>(pos + 1));
    for (int64_t h = 0; h < qHeads; ++h) {
        const float *k = kCache + (h / group) * ctx * d, *v = vCache + (h / group) * ctx * d;
        float mx = -INFINITY;
        for (int64_t j = first; j <= pos; ++j) {
            float dot = 0;
            for (int64_t i = 0; i < d; ++i)
                dot += q[h * d + i] * k[j * d + i];
            s[j] = dot * scale;
            mx = std::max(mx, s[j]);
        }
        float sum = 0;
        for (int64_t j = first; j <= pos; ++j)
            sum += s[j] = std::exp(s[j] - mx);
        for (int64_t i = 0; i < d; ++i) {
            float o = 0;
            for (int64_t j = first; j <= pos; ++j)
                o += s[j] * v[j * d + i];
            out[h * d + i] = o / sum;
        }
    }
}

void attentionSplit(const float *q, const float *kCache, const float *vCache, int64_t qHeads,
                    int64_t kvHeads, int64_t d, int64_t ctx, int64_t pos, int64_t window,
                    int64_t splitLen, float *out)
{
    const int64_t group = qHeads / kvHeads,
                  first = window > 0 ? std::max<int64_t>(0, pos - window + 1) : 0;
    const float scale = 1.0f / std::sqrt(static_cast<float>(d));
    const int64_t n = (pos + splitLen) / splitLen; // splits covering 0..pos, as the kernel
    std::vector<float> m(static_cast<std::size_t>(n)), l(m.size()), factor(m.size()),
        o(static_cast<std::size_t>(n * d));
    for (int64_t h = 0; h < qHeads; ++h) {
        const float *k = kCache + (h / group) * ctx * d, *v = vCache + (h / group) * ctx * d;
        for (int64_t sp = 0; sp < n; ++sp) {
            const int64_t kb = std::max(sp * splitLen, first),
                          ke = std::min(sp * splitLen + splitLen, pos + 1);
            m[sp] = -INFINITY;
            l[sp] = 0;
            if (kb >= ke)
                continue;
            std::vector<float> s(static_cast<std::size_t>(ke - kb));
            for (int64_t j = kb; j < ke; ++j) {
                float dot = 0;
                for (int64_t i = 0; i < d; ++i)
                    dot += q[h * d + i] * scale * k[j * d + i];
                s[j - kb] = dot;
                m[sp] = std::max(m[sp], dot);
            }
            for (float &x : s)
                l[sp] += x = std::exp(x - m[sp]);
            for (int64_t i = 0; i < d; ++i) {
                float acc = 0;
                for (int64_t j = kb; j < ke; ++j)
                    acc += s[j - kb] * v[j * d + i];
                o[sp * d + i] = acc;
            }
        }
        kmath::split_combine_factors(m.data(), l.data(), static_cast<int>(n), factor.data());
        for (int64_t i = 0; i < d; ++i) {
            float acc = 0;
            for (int64_t sp = 0; sp < n; ++sp)
                if (factor[sp] != 0.0f)
                    acc += factor[sp] * o[sp * d + i];
            out[h * d + i] = acc;
        }
    }
}

void swiglu(const float *gu, int64_t tokens, int64_t inter, float *out)
{
    for (int64_t t = 0; t < tokens; ++t)
        for (int64_t i = 0; i < inter; ++i)
            out[t * inter + i] =
                kmath::silu_mul(gu[t * 2 * inter + i], gu[t * 2 * inter + inter + i]);
}

kmath::SampleConfig sampleConfig(const SamplingParams &p, int32_t vocab)
{
    kmath::SampleConfig c;
    c.vocab = vocab;
    c.greedy = p.temperature <= 0.0f ? 1 : 0;
    c.invTemperature = p.temperature > 0.0f ? 1.0f / p.temperature : 1.0f;
    c.topK = p.topK;
    c.topP = p.topP;
    c.minP = p.minP;
    c.repetition = p.repetitionPenalty;
    c.presence = p.presencePenalty;
    c.frequency = p.frequencyPenalty;
    return c;
}

SampleFilter sampleFilter(const float *logits, const kmath::SampleConfig &c, const int32_t *counts,
                          const uint8_t *seen)
{
    const int32_t V = c.vocab;
    SampleFilter f;
    f.scaled.resize(static_cast<std::size_t>(V));
    f.weight.assign(static_cast<std::size_t>(V), 0);
    for (int32_t i = 0; i < V; ++i) {
        const float l = kmath::penalized_logit(logits[i], seen[i] != 0, counts[i], c.repetition,
                                               c.presence, c.frequency);
        f.scaled[i] = c.greedy ? l : l * c.invTemperature;
    }
    f.argmax = 0;
    for (int32_t i = 1; i < V; ++i)
        if (f.scaled[i] > f.scaled[f.argmax])
            f.argmax = i;
    if (c.greedy) {
        f.weight[f.argmax] = 1;
        f.total = 1;
        return f;
    }
    const float M = f.scaled[f.argmax];
    std::vector<uint32_t> keys(static_cast<std::size_t>(V)), w(keys.size());
    for (int32_t i = 0; i < V; ++i) {
        keys[i] = kmath::ordered_key(f.scaled[i]);
        w[i] = kmath::fixed_weight(f.scaled[i], M);
    }
    std::vector<char> keep(static_cast<std::size_t>(V), 1);
    // Top-k: the k-th key and, among its ties, the first ones in index order.
    if (c.topK > 0 && c.topK < V) {
        uint64_t above = 0;
        const uint32_t kKey = radixSelect(
            keys, keep, static_cast<uint64_t>(c.topK), [](std::size_t) { return uint64_t(1); },
            above);
        uint64_t ties = 0, tiesNeeded = static_cast<uint64_t>(c.topK) - above;
        int32_t cut = V;
        for (int32_t i = 0; i < V && cut == V; ++i)
            if (keys[i] == kKey && ++ties == tiesNeeded)
                cut = i;
        for (int32_t i = 0; i < V; ++i)
            keep[i] = kmath::keep_above(keys[i], i, true, kKey, cut);
    }
    if (c.topP < 1.0f) {
        uint64_t mass = 0;
        for (int32_t i = 0; i < V; ++i)
            if (keep[i])
                mass += w[i];
        uint64_t need = static_cast<uint64_t>(std::ceil(double(c.topP) * double(mass)));
        need = std::max<uint64_t>(need, 1);
        uint64_t above = 0;
        const uint32_t pKey = radixSelect(
            keys, keep, need, [&](std::size_t i) { return uint64_t(w[i]); }, above);
        int32_t cut = V;
        uint64_t cum = above;
        for (int32_t i = 0; i < V && cut == V; ++i)
            if (keep[i] && keys[i] == pKey && (cum += w[i]) >= need)
                cut = i;
        for (int32_t i = 0; i < V; ++i)
            keep[i] = keep[i] && kmath::keep_above(keys[i], i, true, pKey, cut);
    }
    const double minWeight = double(c.minP) * kmath::kWeightOne;
    for (int32_t i = 0; i < V; ++i)
        if (keep[i] && double(w[i]) >= minWeight) {
            f.weight[i] = w[i];
            f.total += w[i];
        }
    return f;
}

kmath::SampleResult sample(const float *logits, const kmath::SampleConfig &c, uint64_t *rng,
                           int32_t *counts, uint8_t *seen)
{
    const int32_t V = c.vocab;
    float mx = -INFINITY;
    for (int32_t i = 0; i < V; ++i)
        mx = std::max(mx, logits[i]);
    double se = 0;
    for (int32_t i = 0; i < V; ++i)
        se += std::exp(double(logits[i]) - mx);
    const float lse = mx + static_cast<float>(std::log(se));
    const SampleFilter f = sampleFilter(logits, c, counts, seen);
    int32_t chosen = f.argmax;
    if (!c.greedy) {
        const double u = kmath::xoshiro_uniform(rng);
        uint64_t target = static_cast<uint64_t>(u * double(f.total));
        target = std::min(target, f.total - 1);
        uint64_t cum = 0;
        for (int32_t i = 0; i < V; ++i)
            if (f.weight[i] && (cum += f.weight[i]) > target) {
                chosen = i;
                break;
            }
    }
    ++counts[chosen];
    seen[chosen] = 1;
    return {chosen, logits[chosen] - lse};
}

} // namespace engine::cpu::ref
