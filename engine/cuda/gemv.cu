// Batch-1 matrix-vector products, the decode step's bandwidth-bound core.
//   gemv:        out[r] = alpha · Σ_k W[r][k] · x[k] (+ bias[r]) (+ residual[r])
//   gemvRmsNorm: the same on RMSNorm(x) ⊙ g without materialising it:
//                out[r] = alpha · inv · Σ_k W[r][k] · g[k] · x[k] (+ bias) (+ residual),
//                inv = 1 / sqrt(mean(x²) + eps), a scalar, so it is applied once per row.
//   gemvSwiGlu:  out[i] = silu(G_i) · U_i, G_i = (row i of W) · x', U_i = (row inter + i) · x',
//                x' = x or RMSNorm(x) ⊙ g: the gate|up projection, SwiGLU and the norm before
//                them in one pass over the weights.
//   W: [rows, cols] row-major, bf16 / f16 / f32;  x: [cols] fp32;  out, bias, residual: [rows]
//   fp32. Accumulation is fp32. Architectures: sm_80 and later (no arch-specific path).
// CPU references: engine::cpu::ref::gemv (same math as the CPU backend's matmul for one
// token), cpu::rmsnorm and cpu::ref::swiglu composed (tests/engine/cuda/tst_cudakernels.cpp).
//
// Access pattern: one warp per row (R rows per warp for tall matrices and for the gate/up
// pair); each lane streams 16 bytes of the row per step (8 bf16 / 8 f16 / 4 f32), so a warp
// reads 512 contiguous bytes per step, fully coalesced, through the non-coherent read-only
// path. x and g (at most a few tens of KB) are re-read by every warp and stay in L1/L2; the
// sum of squares for the norm is accumulated in the same pass. Rows whose byte length or base
// is not 16-byte aligned (odd LoRA ranks, say) take the scalar tail loop for the whole row.

#include "gemv.cuh"

#include "common.cuh"

namespace engine::cuda {

namespace {
constexpr int kWarpsPerBlock = 8;

struct GemvArgs
{
    const float *x;
    const float *normWeight; // nullptr: x as is
    float eps;
    const float *bias;
    const float *residual; // may alias out
    float *out;
    int64_t outputs; // rows of out
    int64_t cols;
    int64_t pairOffset; // SwiGLU: the up row of output i is row i + pairOffset
    float alpha;
    bool vectorised;
};
} // namespace

// R rows per warp: consecutive rows, or with SwiGlu the gate row i and the up row
// i + pairOffset (R == 2) whose results combine into one output.
template <typename T, int R, bool Normed, bool SwiGlu>
static __global__ void __launch_bounds__(kWarpsPerBlock * 32)
    gemv_kernel(const T *__restrict__ w, const GemvArgs a)
{
    static_assert(!SwiGlu || R == 2, "SwiGLU pairs two rows");
    constexpr int V = kVec16<T>;
    constexpr int64_t kOutputsPerWarp = SwiGlu ? 1 : R;
    const int lane = threadIdx.x & 31;
    const int64_t o0 =
        (int64_t(blockIdx.x) * kWarpsPerBlock + (threadIdx.x >> 5)) * kOutputsPerWarp;
    if (o0 >= a.outputs)
        return;
    const float *__restrict__ x = a.x;
    const float *__restrict__ g = a.normWeight;
    const int64_t cols = a.cols;
    const T *rowPtr[R];
    bool rowValid[R];
#pragma unroll
    for (int r = 0; r < R; ++r) {
        const int64_t row = SwiGlu ? o0 + r * a.pairOffset : o0 + r;
        rowValid[r] = SwiGlu || row < a.outputs;
        rowPtr[r] = w + (rowValid[r] ? row : o0) * cols;
    }
    float acc[R];
#pragma unroll
    for (int r = 0; r < R; ++r)
        acc[r] = 0.0f;
    float sumSquares = 0.0f;
    const int64_t nVec = a.vectorised ? cols / V : 0;
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
        if constexpr (Normed) {
            const float4 *gp = reinterpret_cast<const float4 *>(g + v * V);
#pragma unroll
            for (int i = 0; i < V / 4; ++i) {
                const float4 t = gp[i];
                const float gv[4] = {t.x, t.y, t.z, t.w};
#pragma unroll
                for (int j = 0; j < 4; ++j) {
                    sumSquares = fmaf(xv[4 * i + j], xv[4 * i + j], sumSquares);
                    xv[4 * i + j] *= gv[j];
                }
            }
        }
#pragma unroll
        for (int r = 0; r < R; ++r) {
            if (rowValid[r]) {
                float wv[V];
                unpack16<T>(load_stream16(rowPtr[r] + v * V), wv);
#pragma unroll
                for (int e = 0; e < V; ++e)
                    acc[r] = fmaf(wv[e], xv[e], acc[r]);
            }
        }
    }
    for (int64_t k = nVec * V + lane; k < cols; k += 32) {
        float xk = x[k];
        if constexpr (Normed) {
            sumSquares = fmaf(xk, xk, sumSquares);
            xk *= g[k];
        }
#pragma unroll
        for (int r = 0; r < R; ++r)
            if (rowValid[r])
                acc[r] = fmaf(to_f32(rowPtr[r][k]), xk, acc[r]);
    }
    float scale = a.alpha;
    if constexpr (Normed)
        scale *= rsqrtf(warp_sum(sumSquares) / float(cols) + a.eps);
    if constexpr (SwiGlu) {
        const float gate = warp_sum(acc[0]) * scale, up = warp_sum(acc[1]) * scale;
        if (lane == 0)
            a.out[o0] = kmath::silu_mul(gate, up);
    } else {
#pragma unroll
        for (int r = 0; r < R; ++r) {
            const float s = warp_sum(acc[r]);
            if (lane == 0 && rowValid[r]) {
                float y = scale * s;
                if (a.bias)
                    y += a.bias[o0 + r];
                if (a.residual)
                    y += a.residual[o0 + r];
                a.out[o0 + r] = y;
            }
        }
    }
}

template <typename T, bool Normed>
static Result<void> launchGemv(const T *w, const GemvArgs &a, bool swiGlu, cudaStream_t stream)
{
    // Two rows per warp for tall matrices (the output layer, MLP up/gate): it halves the warps
    // but keeps twice the loads in flight per lane. Short matrices keep one row per warp so the
    // grid still covers every SM. Not yet tuned on a GPU.
    const auto blocksFor = [](int64_t warps) {
        return static_cast<unsigned>((warps + kWarpsPerBlock - 1) / kWarpsPerBlock);
    };
    constexpr int kThreads = kWarpsPerBlock * 32;
    if (swiGlu)
        ENGINE_LAUNCH(blocksFor(a.outputs), kThreads, 0, stream, gemv_kernel<T, 2, Normed, true>)
    (w, a);
    else if (a.outputs >= 16384) ENGINE_LAUNCH(blocksFor((a.outputs + 1) / 2), kThreads, 0, stream,
                                               gemv_kernel<T, 2, Normed, false>)(w, a);
    else ENGINE_LAUNCH(blocksFor(a.outputs), kThreads, 0, stream,
                       gemv_kernel<T, 1, Normed, false>)(w, a);
    ENGINE_CUDA_CHECK_LAUNCH();
    return {};
}

template <typename T>
static Result<void> dispatchNorm(const void *w, const GemvArgs &a, bool swiGlu, cudaStream_t stream)
{
    if (a.normWeight)
        return launchGemv<T, true>(static_cast<const T *>(w), a, swiGlu, stream);
    return launchGemv<T, false>(static_cast<const T *>(w), a, swiGlu, stream);
}

static Result<void> run(WeightType type, const void *w, GemvArgs a, bool swiGlu,
                        cudaStream_t stream)
{
    if (a.outputs <= 0 || a.cols <= 0 || !w || !a.x || !a.out)
        return makeError(Error::Code::InvalidArgument, "gemv: empty matrix or null pointer");
    const int64_t elementBytes = type == WeightType::F32 ? 4 : 2;
    // 16-byte loads need 16-byte aligned rows, x and g.
    a.vectorised = (a.cols * elementBytes) % 16 == 0 && reinterpret_cast<uintptr_t>(w) % 16 == 0 &&
                   reinterpret_cast<uintptr_t>(a.x) % 16 == 0 &&
                   reinterpret_cast<uintptr_t>(a.normWeight) % 16 == 0;
    switch (type) {
    case WeightType::BF16:
        return dispatchNorm<__nv_bfloat16>(w, a, swiGlu, stream);
    case WeightType::F16:
        return dispatchNorm<__half>(w, a, swiGlu, stream);
    case WeightType::F32:
        return dispatchNorm<float>(w, a, swiGlu, stream);
    }
    return makeError(Error::Code::Internal, "gemv: unknown weight type");
}

Result<void> gemv(WeightType type, const void *w, int64_t rows, int64_t cols, const float *x,
                  const float *bias, const float *residual, float alpha, float *out,
                  cudaStream_t stream)
{
    return run(type, w,
               GemvArgs{x, nullptr, 0.0f, bias, residual, out, rows, cols, 0, alpha, false}, false,
               stream);
}

Result<void> gemvRmsNorm(WeightType type, const void *w, int64_t rows, int64_t cols, const float *x,
                         const float *normWeight, float eps, const float *bias,
                         const float *residual, float alpha, float *out, cudaStream_t stream)
{
    if (!normWeight)
        return makeError(Error::Code::InvalidArgument, "gemvRmsNorm: no norm weight");
    return run(type, w,
               GemvArgs{x, normWeight, eps, bias, residual, out, rows, cols, 0, alpha, false},
               false, stream);
}

Result<void> gemvSwiGlu(WeightType type, const void *w, int64_t inter, int64_t cols, const float *x,
                        const float *normWeight, float eps, float *out, cudaStream_t stream)
{
    return run(type, w,
               GemvArgs{x, normWeight, eps, nullptr, nullptr, out, inter, cols, inter, 1.0f, false},
               true, stream);
}

} // namespace engine::cuda
