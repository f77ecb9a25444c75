#pragma once

#include <engine/cuda/launch.h>

#include <cuda_runtime_api.h>

namespace engine::cuda {

//! Causal attention of `tokens` queries at positions *startPos + t over a bf16 KV cache, split
//! over the key axis (flash-decoding). Decode is tokens = 1; prefill runs the same kernels with
//! one query row per prompt token.
struct AttentionArgs
{
    const float *q = nullptr; //!< [tokens][qStride], head h at h·headDim, fp32
    int64_t qStride = 0;
    const void *kCache = nullptr, *vCache = nullptr; //!< this layer: [kvHeads][ctx][headDim] bf16
    int64_t ctx = 0, tokens = 0, qHeads = 0, kvHeads = 0, headDim = 0;
    int64_t window = 0;                //!< sliding window (0 = full)
    float scale = 1.0f;                //!< 1 / sqrt(headDim)
    const int32_t *startPos = nullptr; //!< device int32: position of query 0
    float *out = nullptr;              //!< [tokens][outStride], head h at h·headDim, fp32
    int64_t outStride = 0;
    //! Key positions per split (a multiple of 128) and the split count the grid covers; splits
    //! past the current position exit at once, so a captured graph covers every position.
    int64_t splitLen = 128, maxSplits = 1;
    float *partO = nullptr; //!< workspace [tokens][qHeads][maxSplits][headDim] fp32
    float *partM = nullptr; //!< workspace [tokens][qHeads][maxSplits] fp32
    float *partL = nullptr; //!< workspace [tokens][qHeads][maxSplits] fp32
};

//! Split length and count for a cache of `ctx` positions, at most `maxSplits` splits.
void attentionSplits(int64_t ctx, int64_t maxSplits, int64_t &splitLen, int64_t &splits);

//! True when attention() takes the tensor-core prefill kernel for `args`: several tokens,
//! head_dim a multiple of 16, ctx a multiple of 32 and 32-byte aligned caches. Otherwise it
//! runs the split-K kernels (which also serve prefill, on CUDA cores).
bool attentionUsesTensorCores(const AttentionArgs &args);

Result<void> attention(const AttentionArgs &args, cudaStream_t stream);

} // namespace engine::cuda
