#pragma once

#include <engine/cuda/launch.h>

#include <cuda_runtime_api.h>

namespace engine::cuda {

//! out[r] = weight · x[r] / sqrt(mean(x[r]²) + eps) for each of `rows` rows of n fp32 values.
Result<void> rmsnorm(const float *x, const float *weight, float *out, int64_t rows, int64_t n,
                     float eps, cudaStream_t stream);

//! Per-token attention input preparation, in place on the fused projection output
//! qkv [tokens][rowStride] fp32 laid out as q heads | k heads | v heads (headDim each):
//! optional per-head RMSNorm of q and k (Qwen3; qNorm/kNorm [headDim], nullptr = off), RoPE
//! (rotate_half) at position *startPos + t from cos/sin [ctx][headDim/2], then K and V of each
//! kv head stored as bf16 into kCache/vCache [kvHeads][ctx][headDim] (one layer's slice).
struct QkvLayout
{
    int64_t tokens = 0, rowStride = 0, qHeads = 0, kvHeads = 0, headDim = 0, ctx = 0;
};
Result<void> qkNormRopeStoreKv(float *qkv, const QkvLayout &layout, const float *qNorm,
                               const float *kNorm, float eps, const float *cosTable,
                               const float *sinTable, const int32_t *startPos, void *kCache,
                               void *vCache, cudaStream_t stream);

} // namespace engine::cuda
