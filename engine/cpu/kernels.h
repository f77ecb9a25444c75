#pragma once

// CPU kernels of the forward pass. Matrix weights stay in their stored dtype (f32, f16, bf16)
// and are widened to fp32 on the fly (or, on the bf16-activation GEMM path, multiplied as bf16
// pairs); all accumulation is fp32. The kernel set is picked once at run time (AVX512_BF16,
// AVX-512F, AVX2+FMA+F16C, or portable scalar).

#include <engine/cpu/gemm_p.h>
#include <engine/cpu/threadpool.h>
#include <engine/model/model.h>

#include <cstdint>

namespace engine::cpu {

//! Dot product of one weight row in its stored dtype with an fp32 vector.
using DotFn = float (*)(const void *w, const float *x, int64_t n);

//! Four dot products of one weight row with x, x + stride, x + 2 stride, x + 3 stride: the
//! row is loaded and widened once for four tokens (prefill).
using Dot4Fn = void (*)(const void *w, const float *x, int64_t stride, int64_t n, float *out4);

//! The kernels of one instruction set: dot products (decode), GEMM panels (prefill),
//! attention over the KV cache, and the fp32 -> bf16 activation rounding.
struct DotKernels
{
    const char *isa = "scalar";
    DotFn f32 = nullptr, f16 = nullptr, bf16 = nullptr;
    Dot4Fn f32x4 = nullptr, f16x4 = nullptr, bf16x4 = nullptr;
    detail::GemmPanelFn gemmF32 = nullptr, gemmF16 = nullptr, gemmBF16 = nullptr;
    //! bf16 weights x bf16 activations (vdpbf16ps on AVX512_BF16, exact widening elsewhere).
    detail::GemmPanelFn gemmBF16xBF16 = nullptr;
    detail::AttendFn attendF32 = nullptr, attendBF16 = nullptr, attendF16 = nullptr;
    detail::AttendTileFn attendTileF32 = nullptr, attendTileBF16 = nullptr, attendTileF16 = nullptr;
    void (*toBf16)(const float *in, uint16_t *out, int64_t n) = nullptr;
    void (*toF16)(const float *in, uint16_t *out, int64_t n) = nullptr;
    detail::SwiGluFn swiGlu = nullptr;
    detail::GemmPanelFn gemmForDType(DType d) const
    {
        return d == DType::F32 ? gemmF32 : d == DType::F16 ? gemmF16 : gemmBF16;
    }
    DotFn forDType(DType d) const { return d == DType::F32 ? f32 : d == DType::F16 ? f16 : bf16; }
    Dot4Fn forDType4(DType d) const
    {
        return d == DType::F32 ? f32x4 : d == DType::F16 ? f16x4 : bf16x4;
    }
};

//! The best kernels this CPU supports; FIREDECK_ENGINE_ISA=scalar|avx2|avx512|avx512bf16
//! narrows the choice.
const DotKernels &bestDotKernels();
//! Kernels for a named ISA ("scalar", "avx2", "avx512", "avx512bf16"), or nullptr if the CPU
//! lacks it.
const DotKernels *dotKernelsFor(const char *isa);
//! Every ISA name dotKernelsFor knows, best first.
inline constexpr const char *kIsaNames[] = {"avx512bf16", "avx512", "avx2", "scalar"};

//! From this many tokens on, matmul runs the blocked GEMM; below, one dot per row and token.
constexpr int64_t kGemmMinTokens = 4;

//! out[t][r] = sum_k W[r][k] * x[t][k] for t < tokens; rows split across the pool. With
//! `xBf16` (room for tokens x cols) and BF16 weights, the GEMM path (tokens >= kGemmMinTokens)
//! first rounds x to bf16 (nearest even) and multiplies bf16 pairs with fp32 accumulation.
void matmul(ThreadPool &pool, const DotKernels &k, const Weight &w, const float *x, int64_t tokens,
            float *out, uint16_t *xBf16 = nullptr);

//! One matrix of a matmulGroup: out[t][r] = W[r] · x[t].
struct MatmulJob
{
    const Weight *w = nullptr;
    float *out = nullptr;
};

//! Several matmuls of the same input (q|k|v, gate|up; all with the same cols) as one dispatch
//! (per 8 jobs): the rows of all of them are split across the pool together, and x is rounded
//! to bf16 once.
void matmulGroup(ThreadPool &pool, const DotKernels &k, const MatmulJob *jobs, int count,
                 const float *x, int64_t tokens, uint16_t *xBf16 = nullptr);

//! out = x / rms(x) * weight over n elements.
void rmsnorm(const float *x, const float *weight, float *out, int64_t n, float eps);

} // namespace engine::cpu
