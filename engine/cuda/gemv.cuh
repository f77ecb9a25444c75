#pragma once

#include <engine/cuda/launch.h>

#include <cuda_runtime_api.h>

namespace engine::cuda {

//! out[r] = alpha · Σ_k W[r][k] x[k] + bias[r] + residual[r] for r < rows (bias and residual
//! optional; residual may alias out, for in-place residual adds). W [rows, cols] row-major in
//! `type`, x [cols] fp32, out [rows] fp32.
Result<void> gemv(WeightType type, const void *w, int64_t rows, int64_t cols, const float *x,
                  const float *bias, const float *residual, float alpha, float *out,
                  cudaStream_t stream);

//! gemv of RMSNorm(x) ⊙ normWeight (eps inside the square root), without writing the normed
//! vector: one kernel instead of a norm and a GEMV.
Result<void> gemvRmsNorm(WeightType type, const void *w, int64_t rows, int64_t cols, const float *x,
                         const float *normWeight, float eps, const float *bias,
                         const float *residual, float alpha, float *out, cudaStream_t stream);

//! out[i] = silu(W[i]·x') · (W[inter + i]·x') for i < inter, W [2·inter, cols] (gate rows,
//! then up rows), x' = RMSNorm(x) ⊙ normWeight, or x when normWeight is null.
Result<void> gemvSwiGlu(WeightType type, const void *w, int64_t inter, int64_t cols, const float *x,
                        const float *normWeight, float eps, float *out, cudaStream_t stream);

} // namespace engine::cuda
