#pragma once

// Per-instruction-set GEMM and attention kernels behind DotKernels (kernels.h). Not public:
// callers go through cpu::matmul and cpu::attend.

#include <engine/model/model.h>

#include <cstdint>

namespace engine::cpu::detail {

//! One GEMM call: out[t][r] = sum_k W[r][k] * X[t][k] for t < tokens, rows [r0, r1) of W.
struct GemmArgs
{
    const void *w = nullptr; //!< [rows][cols] in the weight dtype
    int64_t rows = 0, cols = 0;
    const void *x = nullptr; //!< [tokens][cols] fp32, or bf16 for the bf16 x bf16 kernels
    int64_t tokens = 0;
    float *out = nullptr; //!< [tokens][rows] fp32
    // Set by the blocking driver: the reduction range of one pass, and whether the pass adds
    // to out (every pass after the first).
    int64_t k0 = 0, k1 = 0;
    bool accumulate = false;
};

//! Computes the rows [r0, r1) of a GEMM for every token (one thread's panel).
using GemmPanelFn = void (*)(const GemmArgs &a, int64_t r0, int64_t r1);

//! Attention of `heads` query heads that share one KV head, for one query position:
//! out[h] = softmax(scale · q[h] · K[first..last]ᵀ) · V[first..last]. q and out are
//! [heads][d] fp32; k and v are [position][d] rows of the cache in its dtype. With `ml`, the
//! running max and sum of the softmax, {m, l} per head, are written there, so that the
//! outputs of disjoint key ranges can be merged (split-K decode). scratch holds
//! attendScratchFloats(heads, d) floats.
using AttendFn = void (*)(const float *q, int64_t heads, int64_t d, const void *k, const void *v,
                          int64_t first, int64_t last, float scale, float *out, float *ml,
                          float *scratch);

//! Keys per block of the online softmax.
constexpr int64_t kAttendBlock = 32;

//! Query tokens per item of the prefill attention (AttendTileFn).
constexpr int64_t kAttendTile = 8;

//! Scratch one attention call needs (AttendFn or AttendTileFn): scores, running max and sum,
//! the scaled queries of a tile, one block of K (also transposed) and V in fp32.
constexpr int64_t attendScratchFloats(int64_t heads, int64_t d)
{
    return kAttendTile * heads * (kAttendBlock + 2 + d) + 3 * kAttendBlock * d + 16;
}

//! Causal attention of `tokens` (<= kAttendTile) consecutive query positions pos0, pos0 + 1, …
//! for the `heads` query heads of one KV head: row t of q (stride qStride) holds its heads'
//! [heads][d] queries, out likewise (stride outStride). Token t attends to keys
//! [max(0, pos0 + t − window + 1) if window > 0 else 0, pos0 + t]. Every K/V block is read
//! and widened once for the whole tile (prefill).
using AttendTileFn = void (*)(const float *q, int64_t qStride, int64_t tokens, int64_t heads,
                              int64_t d, const void *k, const void *v, int64_t pos0, int64_t window,
                              float scale, float *out, int64_t outStride, float *scratch);

//! Merges attention outputs of `splits` disjoint key ranges: out[h] = Σ_s w_s part[s][h] / Σ_s w_s
//! with w_s = l_s · exp(m_s − max m). part is [splits][partStride] with head h at h · d, ml is
//! [splits][mlStride] with {m, l} of head h at 2h (AttendFn's ml).
void mergeAttention(const float *part, int64_t partStride, const float *ml, int64_t mlStride,
                    int64_t splits, int64_t heads, int64_t d, float *out);

//! gate[i] = silu(gate[i]) · up[i] = gate[i] · up[i] / (1 + exp(−gate[i])).
using SwiGluFn = void (*)(float *gate, const float *up, int64_t n);

// Portable (kernels.cpp / gemm.cpp).
void gemmPanelScalarF32(const GemmArgs &a, int64_t r0, int64_t r1);
void gemmPanelScalarF16(const GemmArgs &a, int64_t r0, int64_t r1);
void gemmPanelScalarBF16(const GemmArgs &a, int64_t r0, int64_t r1);
void gemmPanelScalarBF16xBF16(const GemmArgs &a, int64_t r0, int64_t r1);
void attendScalarF32(const float *q, int64_t heads, int64_t d, const void *k, const void *v,
                     int64_t first, int64_t last, float scale, float *out, float *ml,
                     float *scratch);
void attendScalarBF16(const float *q, int64_t heads, int64_t d, const void *k, const void *v,
                      int64_t first, int64_t last, float scale, float *out, float *ml,
                      float *scratch);
void attendScalarF16(const float *q, int64_t heads, int64_t d, const void *k, const void *v,
                     int64_t first, int64_t last, float scale, float *out, float *ml,
                     float *scratch);
void attendTileScalarF32(const float *q, int64_t qStride, int64_t tokens, int64_t heads, int64_t d,
                         const void *k, const void *v, int64_t pos0, int64_t window, float scale,
                         float *out, int64_t outStride, float *scratch);
void attendTileScalarBF16(const float *q, int64_t qStride, int64_t tokens, int64_t heads, int64_t d,
                          const void *k, const void *v, int64_t pos0, int64_t window, float scale,
                          float *out, int64_t outStride, float *scratch);
void attendTileScalarF16(const float *q, int64_t qStride, int64_t tokens, int64_t heads, int64_t d,
                         const void *k, const void *v, int64_t pos0, int64_t window, float scale,
                         float *out, int64_t outStride, float *scratch);
void attendTileAvx2F32(const float *q, int64_t qStride, int64_t tokens, int64_t heads, int64_t d,
                       const void *k, const void *v, int64_t pos0, int64_t window, float scale,
                       float *out, int64_t outStride, float *scratch);
void attendTileAvx2BF16(const float *q, int64_t qStride, int64_t tokens, int64_t heads, int64_t d,
                        const void *k, const void *v, int64_t pos0, int64_t window, float scale,
                        float *out, int64_t outStride, float *scratch);
void attendTileAvx2F16(const float *q, int64_t qStride, int64_t tokens, int64_t heads, int64_t d,
                       const void *k, const void *v, int64_t pos0, int64_t window, float scale,
                       float *out, int64_t outStride, float *scratch);
void toBf16Scalar(const float *in, uint16_t *out, int64_t n);
void swiGluScalar(float *gate, const float *up, int64_t n);
//! fp32 -> f16, round to nearest even, saturated to ±65504 (a KV value never becomes inf).
void toF16Scalar(const float *in, uint16_t *out, int64_t n);

#if defined(__x86_64__) || defined(__i386__)
void gemmPanelAvx2F32(const GemmArgs &a, int64_t r0, int64_t r1);
void gemmPanelAvx2F16(const GemmArgs &a, int64_t r0, int64_t r1);
void gemmPanelAvx2BF16(const GemmArgs &a, int64_t r0, int64_t r1);
void gemmPanelAvx2BF16xBF16(const GemmArgs &a, int64_t r0, int64_t r1);
void attendAvx2F32(const float *q, int64_t heads, int64_t d, const void *k, const void *v,
                   int64_t first, int64_t last, float scale, float *out, float *ml, float *scratch);
void attendAvx2BF16(const float *q, int64_t heads, int64_t d, const void *k, const void *v,
                    int64_t first, int64_t last, float scale, float *out, float *ml,
                    float *scratch);
void attendAvx2F16(const float *q, int64_t heads, int64_t d, const void *k, const void *v,
                   int64_t first, int64_t last, float scale, float *out, float *ml, float *scratch);
void swiGluAvx2(float *gate, const float *up, int64_t n);
void toF16Avx2(const float *in, uint16_t *out, int64_t n);

void gemmPanelAvx512F32(const GemmArgs &a, int64_t r0, int64_t r1);
void gemmPanelAvx512F16(const GemmArgs &a, int64_t r0, int64_t r1);
void gemmPanelAvx512BF16(const GemmArgs &a, int64_t r0, int64_t r1);
void gemmPanelAvx512BF16xBF16(const GemmArgs &a, int64_t r0, int64_t r1);
void attendAvx512F32(const float *q, int64_t heads, int64_t d, const void *k, const void *v,
                     int64_t first, int64_t last, float scale, float *out, float *ml,
                     float *scratch);
void attendAvx512BF16(const float *q, int64_t heads, int64_t d, const void *k, const void *v,
                      int64_t first, int64_t last, float scale, float *out, float *ml,
                      float *scratch);
void attendAvx512F16(const float *q, int64_t heads, int64_t d, const void *k, const void *v,
                     int64_t first, int64_t last, float scale, float *out, float *ml,
                     float *scratch);
void attendTileAvx512F32(const float *q, int64_t qStride, int64_t tokens, int64_t heads, int64_t d,
                         const void *k, const void *v, int64_t pos0, int64_t window, float scale,
                         float *out, int64_t outStride, float *scratch);
void attendTileAvx512BF16(const float *q, int64_t qStride, int64_t tokens, int64_t heads, int64_t d,
                          const void *k, const void *v, int64_t pos0, int64_t window, float scale,
                          float *out, int64_t outStride, float *scratch);
void attendTileAvx512F16(const float *q, int64_t qStride, int64_t tokens, int64_t heads, int64_t d,
                         const void *k, const void *v, int64_t pos0, int64_t window, float scale,
                         float *out, int64_t outStride, float *scratch);
void toBf16Avx512(const float *in, uint16_t *out, int64_t n);
void swiGluAvx512(float *gate, const float *up, int64_t n);
void toF16Avx512(const float *in, uint16_t *out, int64_t n);

void gemmPanelAvx512Bf16Dp(const GemmArgs &a, int64_t r0, int64_t r1);
void toBf16Avx512Bf16(const float *in, uint16_t *out, int64_t n);
#endif

} // namespace engine::cpu::detail
