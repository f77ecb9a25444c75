#include "cpubackend.h"

#include <engine/cpu/reference.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <new>

namespace engine::cpu {

namespace {

// HF rotate_half layout: element i pairs with i + d/2.
inline void applyRope(float *v, const float *cosr, const float *sinr, int64_t half)
{
    for (int64_t i = 0; i < half; ++i) {
        const float a = v[i], b = v[i + half];
        v[i] = a * cosr[i] - b * sinr[i];
        v[i + half] = b * cosr[i] + a * sinr[i];
    }
}

} // namespace

Result<std::unique_ptr<CpuBackend>> CpuBackend::create(std::shared_ptr<const Model> model,
                                                       const CpuBackendOptions &options)
{
    if (!model)
        return makeError(Error::Code::InvalidArgument, "CpuBackend: no model");
    const ModelConfig &c = model->config();
    std::unique_ptr<CpuBackend> b(new CpuBackend());
    b->m_ctx =
        options.contextLength > 0 ? options.contextLength : std::min<int64_t>(c.maxPositions, 4096);
    if (b->m_ctx > (int64_t(1) << 24))
        return makeError(Error::Code::InvalidArgument,
                         "context length " + std::to_string(b->m_ctx) + " is too large");
    b->m_chunk = std::max<int64_t>(1, options.prefillChunk);
    if (options.kvDType != DType::F16 && options.kvDType != DType::BF16 &&
        options.kvDType != DType::F32)
        return makeError(Error::Code::InvalidArgument, "the CPU KV cache is F16, BF16 or F32");
    b->m_kvDType = options.kvDType;
    b->m_bf16Activations = options.bf16Activations;
    if (options.isa) {
        b->m_kernels = dotKernelsFor(options.isa);
        if (!b->m_kernels)
            return makeError(Error::Code::Unsupported,
                             std::string("this CPU does not support ") + options.isa);
    } else {
        b->m_kernels = &bestDotKernels();
    }
    b->m_model = std::move(model);
    b->m_pool = std::make_unique<ThreadPool>(options.threads);

    const int64_t h = c.hiddenSize, q = c.numHeads * c.headDim, kv = c.numKvHeads * c.headDim,
                  im = c.intermediateSize, C = b->m_chunk;
    try {
        const std::size_t cacheSize =
            static_cast<std::size_t>(c.numLayers * c.numKvHeads * b->m_ctx * c.headDim);
        if (b->m_kvDType != DType::F32) {
            b->m_kCache16.assign(cacheSize, 0);
            b->m_vCache16.assign(cacheSize, 0);
        } else {
            b->m_kCacheF32.assign(cacheSize, 0.f);
            b->m_vCacheF32.assign(cacheSize, 0.f);
        }
        ref::ropeTables(c, c.dtype.value_or(b->m_model->weightDType()), b->m_ctx, b->m_cos,
                        b->m_sin);
        b->m_x.resize(C * h);
        b->m_xn.resize(C * h);
        b->m_q.resize(C * q);
        b->m_k.resize(C * kv);
        b->m_v.resize(C * kv);
        b->m_att.resize(C * q);
        b->m_gate.resize(C * im);
        b->m_up.resize(C * im);
        b->m_tmp.resize(C * std::max({h, im, q}));
        if (b->m_bf16Activations)
            b->m_xBf16.resize(C * std::max({h, im, q}));
        const int64_t group = c.numHeads / c.numKvHeads;
        b->m_scores.resize(static_cast<std::size_t>(b->m_pool->size() *
                                                    detail::attendScratchFloats(group, c.headDim)));
        b->m_attPartial.resize(static_cast<std::size_t>(kMaxKeySplits * q));
        b->m_attMl.resize(static_cast<std::size_t>(kMaxKeySplits * c.numHeads * 2));
    } catch (const std::bad_alloc &) {
        return makeError(Error::Code::OutOfMemory,
                         "cannot allocate the KV cache and buffers for a context of " +
                             std::to_string(b->m_ctx) + " tokens");
    }
    return b;
}

Result<void> CpuBackend::setAdapter(std::shared_ptr<const LoraAdapter> adapter)
{
    if (adapter) {
        const ModelConfig &c = m_model->config();
        const int64_t maxOut = std::max({c.hiddenSize, c.intermediateSize, c.numHeads * c.headDim});
        try {
            m_loraMid.resize(static_cast<std::size_t>(m_chunk * adapter->rank()));
            m_loraOut.resize(static_cast<std::size_t>(m_chunk * maxOut));
        } catch (const std::bad_alloc &) {
            return makeError(Error::Code::OutOfMemory, "cannot allocate LoRA buffers");
        }
    }
    m_adapter = std::move(adapter);
    return {};
}

Result<void> CpuBackend::forward(std::span<const int32_t> tokens, int64_t startPos, float *logits,
                                 bool allLogits)
{
    const int64_t n = static_cast<int64_t>(tokens.size());
    const int64_t vocab = m_model->config().vocabSize;
    if (auto r = checkForwardInput(tokens, startPos, m_ctx, vocab); !r)
        return r;
    for (int64_t done = 0; done < n; done += m_chunk) {
        const int64_t count = std::min(m_chunk, n - done);
        const bool last = done + count == n;
        float *out = allLogits ? logits + done * vocab : logits;
        if (allLogits || last)
            forwardChunk(tokens.data() + done, count, startPos + done, out, allLogits);
        else
            forwardChunk(tokens.data() + done, count, startPos + done, nullptr, false);
    }
    return {};
}

void CpuBackend::project(std::initializer_list<Projection> projections, const float *in,
                         int64_t count, int64_t layer)
{
    MatmulJob jobs[8];
    int n = 0;
    for (const Projection &p : projections)
        if (n < 8) // q|k|v at most
            jobs[n++] = {p.w, p.out};
    matmulGroup(*m_pool, *m_kernels, jobs, n, in, count,
                m_xBf16.empty() ? nullptr : m_xBf16.data());
    if (!m_adapter)
        return;
    for (const Projection &p : projections) {
        const LoraPair *pair = m_adapter->pair(layer, p.target);
        if (!pair)
            continue;
        // y += scale * B (A x): two thin matmuls through the same kernels.
        matmul(*m_pool, *m_kernels, Weight{DType::F32, pair->a.data(), pair->rank, pair->in}, in,
               count, m_loraMid.data());
        matmul(*m_pool, *m_kernels, Weight{DType::F32, pair->b.data(), pair->out, pair->rank},
               m_loraMid.data(), count, m_loraOut.data());
        const int64_t total = count * pair->out;
        for (int64_t i = 0; i < total; ++i)
            p.out[i] += pair->scale * m_loraOut[i];
    }
}

void CpuBackend::attention(int64_t layer, int64_t count, int64_t startPos)
{
    const ModelConfig &c = m_model->config();
    const int64_t d = c.headDim, group = c.numHeads / c.numKvHeads, qDim = c.numHeads * d;
    const float scale = 1.0f / std::sqrt(static_cast<float>(d));
    const int64_t window = c.slidingWindow;
    const detail::AttendFn attend = m_kvDType == DType::F16    ? m_kernels->attendF16
                                    : m_kvDType == DType::BF16 ? m_kernels->attendBF16
                                                               : m_kernels->attendF32;
    const int threads = m_pool->size();
    // One item = one KV head for one query token: its K/V rows are read once for all the
    // query heads of the group. With few items, the group's heads are split; a decode step
    // also splits the keys (partial softmaxes merged below) so that every thread has several
    // items and a descheduled thread does not hold up the layer.
    int64_t split = 1;
    while (c.numKvHeads * count * split < 2 * threads && group % (split * 2) == 0)
        split *= 2;
    const int64_t heads = group / split;
    const std::size_t scratchFloats =
        static_cast<std::size_t>(detail::attendScratchFloats(group, d));
    const int64_t firstOf0 = window > 0 ? std::max<int64_t>(0, startPos - window + 1) : 0;
    int64_t keySplits = 1;
    if (count == 1 && threads > 1) {
        const int64_t keys = startPos - firstOf0 + 1;
        keySplits =
            std::min<int64_t>({kMaxKeySplits, std::max<int64_t>(1, keys / 256),
                               (4 * threads + c.numKvHeads * split - 1) / (c.numKvHeads * split)});
    }
    auto cache = [&](int64_t kvh, const void *&k, const void *&v) {
        const std::size_t at = static_cast<std::size_t>((layer * c.numKvHeads + kvh) * m_ctx * d);
        const bool half = m_kvDType != DType::F32;
        k = half ? static_cast<const void *>(m_kCache16.data() + at)
                 : static_cast<const void *>(m_kCacheF32.data() + at);
        v = half ? static_cast<const void *>(m_vCache16.data() + at)
                 : static_cast<const void *>(m_vCacheF32.data() + at);
    };
    if (count > 1) {
        // Prefill: tiles of kAttendTile query tokens per item, so each K/V block is widened
        // (and K transposed) once per tile instead of once per token.
        const detail::AttendTileFn tile = m_kvDType == DType::F16    ? m_kernels->attendTileF16
                                          : m_kvDType == DType::BF16 ? m_kernels->attendTileBF16
                                                                     : m_kernels->attendTileF32;
        const int64_t tiles = (count + detail::kAttendTile - 1) / detail::kAttendTile;
        m_pool->parallelFor(c.numKvHeads * tiles * split, [&](int64_t ib, int64_t ie, int thread) {
            float *scratch = m_scores.data() + static_cast<std::size_t>(thread) * scratchFloats;
            for (int64_t item = ib; item < ie; ++item) {
                const int64_t part = item % split, tileIndex = (item / split) % tiles,
                              kvh = item / (split * tiles);
                const void *k, *v;
                cache(kvh, k, v);
                const int64_t t0 = tileIndex * detail::kAttendTile,
                              n = std::min(detail::kAttendTile, count - t0);
                const int64_t head = kvh * group + part * heads;
                tile(m_q.data() + t0 * qDim + head * d, qDim, n, heads, d, k, v, startPos + t0,
                     window, scale, m_att.data() + t0 * qDim + head * d, qDim, scratch);
            }
        });
        return;
    }
    if (keySplits == 1) {
        m_pool->parallelFor(c.numKvHeads * count * split, [&](int64_t ib, int64_t ie, int thread) {
            float *scratch = m_scores.data() + static_cast<std::size_t>(thread) * scratchFloats;
            for (int64_t item = ib; item < ie; ++item) {
                const int64_t part = item % split, t = (item / split) % count,
                              kvh = item / (split * count);
                const void *k, *v;
                cache(kvh, k, v);
                const int64_t pos = startPos + t;
                const int64_t first = window > 0 ? std::max<int64_t>(0, pos - window + 1) : 0;
                const int64_t head = kvh * group + part * heads;
                attend(m_q.data() + t * qDim + head * d, heads, d, k, v, first, pos, scale,
                       m_att.data() + t * qDim + head * d, nullptr, scratch);
            }
        });
        return;
    }
    const int64_t keys = startPos - firstOf0 + 1;
    m_pool->parallelFor(c.numKvHeads * split * keySplits, [&](int64_t ib, int64_t ie, int thread) {
        float *scratch = m_scores.data() + static_cast<std::size_t>(thread) * scratchFloats;
        for (int64_t item = ib; item < ie; ++item) {
            const int64_t ks = item % keySplits, part = (item / keySplits) % split,
                          kvh = item / (keySplits * split);
            const void *k, *v;
            cache(kvh, k, v);
            const int64_t first = firstOf0 + keys * ks / keySplits,
                          last = firstOf0 + keys * (ks + 1) / keySplits - 1;
            const int64_t head = kvh * group + part * heads;
            attend(m_q.data() + head * d, heads, d, k, v, first, last, scale,
                   m_attPartial.data() + ks * qDim + head * d,
                   m_attMl.data() + (ks * c.numHeads + head) * 2, scratch);
        }
    });
    // Softmax over all keys = the partial outputs weighted by l_s · exp(m_s − max m).
    detail::mergeAttention(m_attPartial.data(), qDim, m_attMl.data(), c.numHeads * 2, keySplits,
                           c.numHeads, d, m_att.data());
}

void CpuBackend::forwardChunk(const int32_t *tokens, int64_t count, int64_t startPos, float *logits,
                              bool allLogits)
{
    const Model &m = *m_model;
    const ModelConfig &c = m.config();
    const int64_t h = c.hiddenSize, d = c.headDim, half = d / 2, qDim = c.numHeads * d,
                  kvDim = c.numKvHeads * d, im = c.intermediateSize;
    const float eps = static_cast<float>(c.rmsNormEps);
    const Weight &emb = m.embedding();
    const std::size_t embRowBytes = static_cast<std::size_t>(emb.cols) * dtypeSize(emb.dtype);
    for (int64_t t = 0; t < count; ++t)
        convertToF32(emb.dtype,
                     static_cast<const unsigned char *>(emb.data) + tokens[t] * embRowBytes,
                     m_x.data() + t * h, static_cast<uint64_t>(h));

    // The per-token work between the matmuls (norms, bias, RoPE, the K/V store, SwiGLU, the
    // residual adds) is split over the tokens of the chunk; a decode step runs it inline.
    auto perToken = [&](auto &&fn) {
        m_pool->parallelFor(count, [&](int64_t b, int64_t e, int) {
            for (int64_t t = b; t < e; ++t)
                fn(t);
        });
    };
    for (int64_t l = 0; l < c.numLayers; ++l) {
        const LayerWeights &w = m.layers()[static_cast<std::size_t>(l)];
        perToken([&](int64_t t) {
            rmsnorm(m_x.data() + t * h, w.inputNorm, m_xn.data() + t * h, h, eps);
        });
        project({{&w.q, m_q.data(), LoraTarget::Q},
                 {&w.k, m_k.data(), LoraTarget::K},
                 {&w.v, m_v.data(), LoraTarget::V}},
                m_xn.data(), count, l);
        perToken([&](int64_t t) {
            float *qt = m_q.data() + t * qDim, *kt = m_k.data() + t * kvDim,
                  *vt = m_v.data() + t * kvDim;
            if (w.qBias) {
                for (int64_t i = 0; i < qDim; ++i)
                    qt[i] += w.qBias[i];
                for (int64_t i = 0; i < kvDim; ++i) {
                    kt[i] += w.kBias[i];
                    vt[i] += w.vBias[i];
                }
            }
            const int64_t pos = startPos + t;
            const float *cosr = m_cos.data() + pos * half, *sinr = m_sin.data() + pos * half;
            for (int64_t hd = 0; hd < c.numHeads; ++hd) {
                if (w.qNorm)
                    rmsnorm(qt + hd * d, w.qNorm, qt + hd * d, d, eps);
                applyRope(qt + hd * d, cosr, sinr, half);
            }
            for (int64_t hd = 0; hd < c.numKvHeads; ++hd) {
                if (w.kNorm)
                    rmsnorm(kt + hd * d, w.kNorm, kt + hd * d, d, eps);
                applyRope(kt + hd * d, cosr, sinr, half);
                const std::size_t at =
                    static_cast<std::size_t>(((l * c.numKvHeads + hd) * m_ctx + pos) * d);
                if (m_kvDType != DType::F32) {
                    auto store = m_kvDType == DType::F16 ? m_kernels->toF16 : m_kernels->toBf16;
                    store(kt + hd * d, m_kCache16.data() + at, d);
                    store(vt + hd * d, m_vCache16.data() + at, d);
                } else {
                    std::copy(kt + hd * d, kt + hd * d + d, m_kCacheF32.data() + at);
                    std::copy(vt + hd * d, vt + hd * d + d, m_vCacheF32.data() + at);
                }
            }
        });
        attention(l, count, startPos);
        project({{&w.o, m_tmp.data(), LoraTarget::O}}, m_att.data(), count, l);
        perToken([&](int64_t t) {
            float *x = m_x.data() + t * h;
            const float *add = m_tmp.data() + t * h;
            for (int64_t i = 0; i < h; ++i)
                x[i] += add[i];
            rmsnorm(x, w.postAttnNorm, m_xn.data() + t * h, h, eps);
        });
        project({{&w.gate, m_gate.data(), LoraTarget::Gate}, {&w.up, m_up.data(), LoraTarget::Up}},
                m_xn.data(), count, l);
        perToken([&](int64_t t) {
            m_kernels->swiGlu(m_gate.data() + t * im, m_up.data() + t * im, im);
        });
        project({{&w.down, m_tmp.data(), LoraTarget::Down}}, m_gate.data(), count, l);
        perToken([&](int64_t t) {
            float *x = m_x.data() + t * h;
            const float *add = m_tmp.data() + t * h;
            for (int64_t i = 0; i < h; ++i)
                x[i] += add[i];
        });
    }
    if (!logits)
        return;
    const int64_t first = allLogits ? 0 : count - 1;
    for (int64_t t = first; t < count; ++t)
        rmsnorm(m_x.data() + t * h, m.finalNorm(), m_xn.data() + t * h, h, eps);
    // fp32 activations into the output layer (no xBf16): the logits are what callers see.
    matmul(*m_pool, *m_kernels, m.lmHead(), m_xn.data() + first * h, count - first, logits);
}

} // namespace engine::cpu
