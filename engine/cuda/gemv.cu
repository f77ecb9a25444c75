// Batch-1 matrix-vector product, the decode step's bandwidth-bound core.
//   out[r] = alpha · Σ_k W[r][k] · x[k] (+ bias[r]) (+ residual[r])
//   W: [rows, cols] row-major, bf16 / f16 / f32;  x: [cols] fp32;  out, bias, residual: [rows]
//   fp32. Accumulation is fp32. Architectures: sm_80 and later (no arch-specific path).
// CPU reference: engine::cpu::ref::gemv (engine/cpu/reference.cpp), same math as the CPU
// backend's matmul for one token.
//
// Access pattern: one warp per row (R rows per warp for tall matrices); each lane streams 16
// bytes of the row per step (8 bf16 / 8 f16 / 4 f32), so a warp reads 512 contiguous bytes per
// step, fully coalesced, through the non-coherent read-only path. x (at most a few tens of KB)
// is re-read by every warp and stays in L1/L2. Rows whose byte length or base is not 16-byte
// aligned (odd LoRA ranks, say) take the scalar tail loop for the whole row.

#include "gemv.cuh"

#include "common.cuh"

namespace engine::cuda {

namespace {
constexpr int kWarpsPerBlock = 8;
}

template <typename T, int R>
static __global__ void __launch_bounds__(kWarpsPerBlock * 32)
    gemv_kernel(const T *__restrict__ w, const float *__restrict__ x,
                const float *__restrict__ bias, const float *residual, float *out, int64_t rows,
                int64_t cols, float alpha, bool vectorised)
{
    constexpr int V = kVec16<T>;
    const int lane = threadIdx.x & 31;
    const int64_t r0 = (int64_t(blockIdx.x) * kWarpsPerBlock + (threadIdx.x >> 5)) * R;
    if (r0 >= rows)
        return;
    float acc[R];
#pragma unroll
    for (int r = 0; r < R; ++r)
        acc[r] = 0.0f;
    const int64_t nVec = vectorised ? cols / V : 0;
    // Unrolled so that several 16-byte loads per lane are in flight before the first FMA.
#pragma unroll 4
    for (int64_t v = lane; v < nVec; v += 32) {
        float xv[V];
        const float4 *xp = reinterpret_cast<const float4 *>(x + v * V);
#pragma unroll
        for (int i = 0; i < V / 4; ++i) {
            const float4 t = xp[i];
            xv[4 * i] = t.x;
            xv[4 * i + 1] = t.y;
            xv[4 * i + 2] = t.z;
            xv[4 * i + 3] = t.w;
        }
#pragma unroll
        for (int r = 0; r < R; ++r) {
            if (r0 + r < rows) {
                float wv[V];
                unpack16<T>(load_stream16(w + (r0 + r) * cols + v * V), wv);
#pragma unroll
                for (int e = 0; e < V; ++e)
                    acc[r] = fmaf(wv[e], xv[e], acc[r]);
            }
        }
    }
    for (int64_t k = nVec * V + lane; k < cols; k += 32) {
        const float xk = x[k];
#pragma unroll
        for (int r = 0; r < R; ++r)
            if (r0 + r < rows)
                acc[r] = fmaf(to_f32(w[(r0 + r) * cols + k]), xk, acc[r]);
    }
#pragma unroll
    for (int r = 0; r < R; ++r) {
        const float s = warp_sum(acc[r]);
        if (lane == 0 && r0 + r < rows) {
            float y = alpha * s;
            if (bias)
                y += bias[r0 + r];
            if (residual)
                y += residual[r0 + r];
            out[r0 + r] = y;
        }
    }
}

template <typename T>
static Result<void> launchGemv(const T *w, int64_t rows, int64_t cols, const float *x,
                               const float *bias, const float *residual, float alpha, float *out,
                               cudaStream_t stream)
{
    const bool vectorised = (cols * int64_t(sizeof(T))) % 16 == 0 &&
                            reinterpret_cast<uintptr_t>(w) % 16 == 0 &&
                            reinterpret_cast<uintptr_t>(x) % 16 == 0;
    // Two rows per warp only for tall matrices (the output layer, MLP up/gate): it halves the
    // warps but keeps twice the loads in flight per lane. Short matrices keep one row per warp
    // so the grid still covers every SM. Not yet tuned on a GPU.
    if (rows >= 16384) {
        const int64_t blocks = (rows + kWarpsPerBlock * 2 - 1) / (kWarpsPerBlock * 2);
        ENGINE_LAUNCH(static_cast<unsigned>(blocks), kWarpsPerBlock * 32, 0, stream,
                      gemv_kernel<T, 2>)
        (w, x, bias, residual, out, rows, cols, alpha, vectorised);
    } else {
        const int64_t blocks = (rows + kWarpsPerBlock - 1) / kWarpsPerBlock;
        ENGINE_LAUNCH(static_cast<unsigned>(blocks), kWarpsPerBlock * 32, 0, stream,
                      gemv_kernel<T, 1>)
        (w, x, bias, residual, out, rows, cols, alpha, vectorised);
    }
    ENGINE_CUDA_CHECK_LAUNCH();
    return {};
}

Result<void> gemv(WeightType type, const void *w, int64_t rows, int64_t cols, const float *x,
                  const float *bias, const float *residual, float alpha, float *out,
                  cudaStream_t stream)
{
    if (rows <= 0 || cols <= 0 || !w || !x || !out)
        return makeError(Error::Code::InvalidArgument, "gemv: empty matrix or null pointer");
    switch (type) {
    case WeightType::BF16:
        return launchGemv(static_cast<const __nv_bfloat16 *>(w), rows, cols, x, bias, residual,
                          alpha, out, stream);
    case WeightType::F16:
        return launchGemv(static_cast<const __half *>(w), rows, cols, x, bias, residual, alpha, out,
                          stream);
    case WeightType::F32:
        return launchGemv(static_cast<const float *>(w), rows, cols, x, bias, residual, alpha, out,
                          stream);
    }
    return makeError(Error::Code::Internal, "gemv: unknown weight type");
}

} // namespace engine::cuda
