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

} // namespace engine::cuda
