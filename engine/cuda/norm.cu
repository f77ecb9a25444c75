// RMSNorm and the fused "q/k norm + RoPE + KV-cache store" step.
//   rmsnorm: x, out [rows][n] fp32, weight [n] fp32 → out = weight · x / sqrt(mean x² + eps).
//     CPU reference: engine::cpu::rmsnorm (engine/cpu/kernels.cpp), which accumulates in
//     double; here fp32 with a fixed reduction tree (differences ~1e-7 relative).
//   qk_rope_kv: qkv [tokens][rowStride] fp32 (q heads | k heads | v heads), cos/sin
//     [ctx][headDim/2] fp32 (engine::cpu::ref::ropeTables, the CPU backend's tables),
//     K/V cache [kvHeads][ctx][headDim] bf16. CPU reference: engine::cpu::ref::qkNormRope and
//     the CPU backend's per-head loop (rmsnorm, applyRope, cache copy).
// All architectures sm_80+; no arch-specific paths.
//
// One block per row (rmsnorm) or per (token, head) (rope): rows are at most a few thousand
// floats, so one block reads its row once into registers and writes it once. The position is
// read from device memory so a captured CUDA graph stays valid from one token to the next.

#include "norm.cuh"

#include "common.cuh"

namespace engine::cuda {

namespace {
constexpr int kNormThreads = 256;
constexpr int kNormMaxPerThread = 32; // rows up to 8192 floats stay in registers
} // namespace

static __global__ void __launch_bounds__(kNormThreads)
    rmsnorm_kernel(const float *__restrict__ x, const float *__restrict__ weight,
                   float *__restrict__ out, int64_t n, float eps)
{
    __shared__ float scratch[32];
    const float *row = x + int64_t(blockIdx.x) * n;
    float *dst = out + int64_t(blockIdx.x) * n;
    float v[kNormMaxPerThread];
    float ss = 0.0f;
#pragma unroll
    for (int i = 0; i < kNormMaxPerThread; ++i) {
        const int64_t k = threadIdx.x + int64_t(i) * kNormThreads;
        v[i] = k < n ? row[k] : 0.0f;
        ss = fmaf(v[i], v[i], ss);
    }
    ss = block_sum(ss, scratch);
    const float inv = 1.0f / sqrtf(ss / static_cast<float>(n) + eps);
#pragma unroll
    for (int i = 0; i < kNormMaxPerThread; ++i) {
        const int64_t k = threadIdx.x + int64_t(i) * kNormThreads;
        if (k < n)
            dst[k] = weight[k] * (v[i] * inv);
    }
}

Result<void> rmsnorm(const float *x, const float *weight, float *out, int64_t rows, int64_t n,
                     float eps, cudaStream_t stream)
{
    if (rows <= 0 || n <= 0 || n > int64_t(kNormThreads) * kNormMaxPerThread)
        return makeError(Error::Code::InvalidArgument,
                         "rmsnorm: row length " + std::to_string(n) + " outside 1..8192");
    ENGINE_LAUNCH(static_cast<unsigned>(rows), kNormThreads, 0, stream, rmsnorm_kernel)
    (x, weight, out, n, eps);
    ENGINE_CUDA_CHECK_LAUNCH();
    return {};
}

// grid (tokens, qHeads + kvHeads), block: one thread per rotation pair (headDim / 2, rounded
// up to whole warps for the reductions).
static __global__ void qk_rope_kv_kernel(float *qkv, QkvLayout L, const float *__restrict__ qNorm,
                                         const float *__restrict__ kNorm, float eps,
                                         const float *__restrict__ cosTable,
                                         const float *__restrict__ sinTable,
                                         const int32_t *__restrict__ startPos,
                                         __nv_bfloat16 *kCache, __nv_bfloat16 *vCache)
{
    __shared__ float scratch[32];
    const int64_t t = blockIdx.x, head = blockIdx.y, half = L.headDim / 2;
    const bool isK = head >= L.qHeads;
    const int64_t i = threadIdx.x;
    float *row = qkv + t * L.rowStride;
    float *vec = row + head * L.headDim; // k heads follow the q heads directly
    float a = i < half ? vec[i] : 0.0f, b = i < half ? vec[i + half] : 0.0f;
    const float *norm = isK ? kNorm : qNorm;
    if (norm) { // uniform per block: every thread takes the same branch
        const float ss = block_sum(a * a + b * b, scratch);
        const float inv = 1.0f / sqrtf(ss / static_cast<float>(L.headDim) + eps);
        if (i < half) {
            a = norm[i] * (a * inv);
            b = norm[i + half] * (b * inv);
        }
    }
    if (i >= half)
        return;
    const int64_t pos = startPos[0] + t;
    kmath::rope_pair(a, b, cosTable[pos * half + i], sinTable[pos * half + i]);
    if (!isK) {
        vec[i] = a;
        vec[i + half] = b;
        return;
    }
    const int64_t kvh = head - L.qHeads;
    const int64_t at = (kvh * L.ctx + pos) * L.headDim;
    kCache[at + i] = __float2bfloat16_rn(a);
    kCache[at + i + half] = __float2bfloat16_rn(b);
    const float *v = row + (L.qHeads + L.kvHeads + kvh) * L.headDim;
    vCache[at + i] = __float2bfloat16_rn(v[i]);
    vCache[at + i + half] = __float2bfloat16_rn(v[i + half]);
}

Result<void> qkNormRopeStoreKv(float *qkv, const QkvLayout &layout, const float *qNorm,
                               const float *kNorm, float eps, const float *cosTable,
                               const float *sinTable, const int32_t *startPos, void *kCache,
                               void *vCache, cudaStream_t stream)
{
    if (layout.tokens <= 0 || layout.headDim <= 0 || layout.headDim % 2 != 0 ||
        layout.headDim > 2048)
        return makeError(Error::Code::InvalidArgument, "qkNormRopeStoreKv: bad layout");
    const unsigned threads = static_cast<unsigned>((layout.headDim / 2 + 31) / 32 * 32);
    const dim3 grid(static_cast<unsigned>(layout.tokens),
                    static_cast<unsigned>(layout.qHeads + layout.kvHeads));
    ENGINE_LAUNCH(grid, threads, 0, stream, qk_rope_kv_kernel)
    (qkv, layout, qNorm, kNorm, eps, cosTable, sinTable, startPos,
     static_cast<__nv_bfloat16 *>(kCache), static_cast<__nv_bfloat16 *>(vCache));
    ENGINE_CUDA_CHECK_LAUNCH();
    return {};
}

} // namespace engine::cuda
