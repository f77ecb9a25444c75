#pragma once

// Plain, single-threaded reference implementations of the CUDA kernels (engine/cuda/*.cu),
// built in every configuration so their CPU tests always run (tests/engine/core/
// tst_kernelref.cpp) and the GPU tests have something to compare against. They share the
// scalar math with the kernels through engine/cuda/kernelmath.h. Also home of the RoPE tables
// both backends use.

#include <engine/cuda/kernelmath.h>
#include <engine/model/model.h>
#include <engine/sampler/sampler.h>

#include <cstdint>
#include <vector>

namespace engine::cpu::ref {

//! cos/sin [ctx][headDim / 2] of the RoPE angles as transformers computes them (fp32 inv_freq
//! with linear / llama3 scaling, rounded to the checkpoint dtype for bf16/f16 checkpoints, as
//! transformers casts its inv_freq buffer with the model; fp32 angle = position · inv_freq).
void ropeTables(const ModelConfig &config, DType checkpointDType, int64_t ctx,
                std::vector<float> &cosTable, std::vector<float> &sinTable);

//! Round to nearest even bf16, returned widened to fp32 (the KV cache's storage precision).
float roundToBf16(float v);

//! out[r] = alpha · Σ_k W[r][k] x[k] + bias[r] + residual[r] (bias/residual may be null).
void gemv(DType dtype, const void *w, int64_t rows, int64_t cols, const float *x, const float *bias,
          const float *residual, float alpha, float *out);

//! One token of the CUDA qk_rope_kv step on a fused q|k|v row: optional per-head RMSNorm of q
//! and k, RoPE at `pos`, K/V written (rounded to bf16) to caches [kvHeads][ctx][headDim].
void qkNormRopeStoreKv(float *qkvRow, int64_t qHeads, int64_t kvHeads, int64_t headDim,
                       const float *qNorm, const float *kNorm, float eps, const float *cosTable,
                       const float *sinTable, int64_t pos, int64_t ctx, float *kCache,
                       float *vCache);

//! Causal softmax attention of one query token at `pos` for every query head (GQA), over
//! caches [kvHeads][ctx][headDim]; q and out are [qHeads][headDim]. window 0 = full.
void attention(const float *q, const float *kCache, const float *vCache, int64_t qHeads,
               int64_t kvHeads, int64_t headDim, int64_t ctx, int64_t pos, int64_t window,
               float *out);

//! The same through split-K partials of `splitLen` keys merged with
//! kmath::split_combine_factors, as the CUDA kernels do.
void attentionSplit(const float *q, const float *kCache, const float *vCache, int64_t qHeads,
                    int64_t kvHeads, int64_t headDim, int64_t ctx, int64_t pos, int64_t window,
                    int64_t splitLen, float *out);

//! out[t][i] = silu(gu[t][i]) · gu[t][inter + i].
void swiglu(const float *gu, int64_t tokens, int64_t inter, float *out);

//! The sampling parameters as the CUDA sampler reads them (temperature <= 0 means greedy).
kmath::SampleConfig sampleConfig(const SamplingParams &params, int32_t vocab);

//! Penalised, temperature-scaled logits and the survivors of top-k / top-p / min-p, exactly
//! as the CUDA sampler selects them (radix selection, fixed-point weights).
struct SampleFilter
{
    std::vector<float> scaled;    //!< penalised logits (· 1/T unless greedy)
    std::vector<uint32_t> weight; //!< kmath::fixed_weight, 0 for dropped tokens
    uint64_t total = 0;           //!< Σ weight over survivors
    int32_t argmax = -1;          //!< of `scaled`, lowest index on ties
};
SampleFilter sampleFilter(const float *logits, const kmath::SampleConfig &config,
                          const int32_t *counts, const uint8_t *seen);

//! The CUDA sampler's full step: filter, draw from `rng` (xoshiro256**, advanced only when
//! not greedy), update counts/seen. Returns the id and its raw log-softmax.
kmath::SampleResult sample(const float *logits, const kmath::SampleConfig &config, uint64_t *rng,
                           int32_t *counts, uint8_t *seen);

} // namespace engine::cpu::ref
