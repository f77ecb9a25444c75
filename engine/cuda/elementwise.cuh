#pragma once

#include <engine/cuda/launch.h>

#include <cuda_runtime_api.h>

namespace engine::cuda {

//! out[t][:] = fp32(table[tokens[t]][:]) for t < count; table [vocab][cols] in `type`.
Result<void> embed(WeightType type, const void *table, int64_t cols, const int32_t *tokens,
                   int64_t count, float *out, cudaStream_t stream);

//! out[t][i] = silu(gu[t][i]) · gu[t][inter + i]: gu [tokens][2 · inter] (gate | up) fp32,
//! out [tokens][inter] fp32.
Result<void> swiglu(const float *gu, int64_t tokens, int64_t inter, float *out,
                    cudaStream_t stream);

//! x[t][i] += bias[i] for t < tokens, i < n; rows of x are `rowStride` floats apart.
Result<void> addBias(float *x, const float *bias, int64_t tokens, int64_t n, int64_t rowStride,
                     cudaStream_t stream);

//! dst[i] = `type`(src[i]) for the cuBLAS prefill GEMMs (no-op copy for F32 is not needed:
//! callers use src directly).
Result<void> convertFromF32(WeightType type, const float *src, void *dst, int64_t count,
                            cudaStream_t stream);

} // namespace engine::cuda
