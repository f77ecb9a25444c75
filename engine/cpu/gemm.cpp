// Cache-blocked GEMM for prefill: out[t][r] = W[r] · X[t] over a whole prompt chunk.
//
// Blocking (per thread, on the rows [r0, r1) it was given):
//   rows in panels of ~kWPanelBytes of weights (stay in L2 while every token passes by),
//   tokens in blocks of ~kXBlockBytes of activations (stay in L2 next to the panel),
//   inside, R rows x T tokens register tiles over the whole reduction dimension: each weight
//   vector loaded feeds T FMAs, each activation vector R FMAs.
// So every weight byte comes from memory once per GEMM call instead of once per token.
// The per-ISA register tiles are function templates compiled under `#pragma GCC target`
// (clang: `#pragma clang attribute`); the blocking driver is plain C++ and calls them.

#include "gemm_p.h"

#include <engine/model/model.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define FIREDECK_X86 1
#endif

// Register tiles are small constant-trip loops over arrays of vectors; without full
// unrolling GCC keeps the accumulators in memory.
#define FIREDECK_UNROLL _Pragma("GCC unroll 16")

namespace engine::cpu::detail {

namespace {

constexpr std::size_t kWPanelBytes = 192 << 10;
constexpr std::size_t kXBlockBytes = 384 << 10;
constexpr int64_t kMaxKBlock = 2048;

inline float bf16ToF32(uint16_t v)
{
    const uint32_t bits = static_cast<uint32_t>(v) << 16;
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
}

inline float f16ToF32(uint16_t h)
{
    float f;
    convertToF32(DType::F16, &h, &f, 1);
    return f;
}

// Round to nearest even, denormals to signed zero, NaN stays NaN: what VCVTNEPS2BF16 does, so
// every path rounds activations identically.
inline uint16_t f32ToBf16(float f)
{
    uint32_t u;
    std::memcpy(&u, &f, 4);
    if ((u & 0x7F800000u) == 0)
        return static_cast<uint16_t>((u >> 16) & 0x8000u);
    if ((u & 0x7FFFFFFFu) > 0x7F800000u)
        return static_cast<uint16_t>((u >> 16) | 0x40u);
    return static_cast<uint16_t>((u + 0x7FFFu + ((u >> 16) & 1u)) >> 16);
}

// Round to nearest even, saturated to ±65504, NaN stays NaN (what VCVTPS2PH with
// round-to-nearest does after the clamp the vector paths apply).
inline uint16_t f32ToF16(float f)
{
    if (!(f != f))
        f = std::clamp(f, -65504.0f, 65504.0f);
    uint32_t u;
    std::memcpy(&u, &f, 4);
    const uint32_t sign = (u >> 16) & 0x8000u;
    u &= 0x7FFFFFFFu;
    if (u > 0x7F800000u)
        return static_cast<uint16_t>(sign | 0x7E00u | ((u >> 13) & 0x3FFu));
    if (u >= 0x38800000u) { // normal f16 (>= 2^-14): rebias, round 13 dropped bits
        const uint32_t r = u - 0x38000000u;
        return static_cast<uint16_t>(sign | ((r + 0xFFFu + ((r >> 13) & 1u)) >> 13));
    }
    if (u < 0x33000000u) // below half the smallest subnormal (2^-25): zero
        return static_cast<uint16_t>(sign);
    // subnormal f16: value / 2^-24 rounded to nearest even
    const int e = static_cast<int>(u >> 23);
    const uint32_t mant = (u & 0x7FFFFFu) | 0x800000u;
    const int shift = 126 - e; // bits to drop so that the unit is 2^-24
    const uint32_t half = 1u << (shift - 1), rest = mant & ((1u << shift) - 1);
    uint32_t q = mant >> shift;
    if (rest > half || (rest == half && (q & 1u)))
        ++q;
    return static_cast<uint16_t>(sign | q);
}

// Dispatch of the edge tiles: R x T with R <= K::kR, T <= K::kT chosen at run time.
template <class K, int R, int T> void tileT(const GemmArgs &a, int64_t r, int64_t t, int64_t tn)
{
    if constexpr (T > 1) {
        if (tn < T) {
            tileT<K, R, T - 1>(a, r, t, tn);
            return;
        }
    }
    K::template tile<R, T>(a, r, t);
}

template <class K, int R>
void tileRT(const GemmArgs &a, int64_t r, int64_t t, int64_t rn, int64_t tn)
{
    if constexpr (R > 1) {
        if (rn < R) {
            tileRT<K, R - 1>(a, r, t, rn, tn);
            return;
        }
    }
    tileT<K, R, K::kT>(a, r, t, tn);
}

template <class K> void panel(const GemmArgs &args, int64_t r0, int64_t r1)
{
    // Long rows (the down projection's 4864) are cut into passes of at most kMaxKBlock so that
    // a tile's weight and activation rows stay in L1; later passes add to the output.
    const int64_t kBlocks = (args.cols + kMaxKBlock - 1) / kMaxKBlock;
    const int64_t kStep =
        kBlocks == 1 ? args.cols : ((args.cols + kBlocks - 1) / kBlocks + 31) / 32 * 32;
    const std::size_t wRow = static_cast<std::size_t>(kStep) * K::kWBytes;
    const std::size_t xRow = static_cast<std::size_t>(kStep) * K::kXBytes;
    const int64_t rowBlock =
        std::max<int64_t>(K::kR, static_cast<int64_t>(kWPanelBytes / wRow) / K::kR * K::kR);
    const int64_t tokBlock =
        std::max<int64_t>(K::kT, static_cast<int64_t>(kXBlockBytes / xRow) / K::kT * K::kT);
    GemmArgs a = args;
    for (int64_t rb = r0; rb < r1; rb += rowBlock) {
        const int64_t re = std::min(r1, rb + rowBlock);
        for (int64_t kb = 0; kb < args.cols; kb += kStep) {
            a.k0 = kb;
            a.k1 = std::min(args.cols, kb + kStep);
            a.accumulate = kb > 0;
            for (int64_t tb = 0; tb < a.tokens; tb += tokBlock) {
                const int64_t te = std::min(a.tokens, tb + tokBlock);
                for (int64_t r = rb; r < re; r += K::kR)
                    for (int64_t t = tb; t < te; t += K::kT)
                        tileRT<K, K::kR>(a, r, t, std::min<int64_t>(K::kR, re - r),
                                         std::min<int64_t>(K::kT, te - t));
            }
        }
    }
}

// ---- portable ----------------------------------------------------------------------------

struct WF32
{
    using T = float;
    static float get(const float *p, int64_t k) { return p[k]; }
};
struct WF16
{
    using T = uint16_t;
    static float get(const uint16_t *p, int64_t k) { return f16ToF32(p[k]); }
};
struct WBF16
{
    using T = uint16_t;
    static float get(const uint16_t *p, int64_t k) { return bf16ToF32(p[k]); }
};

template <class WL, class XL> struct ScalarK
{
    static constexpr int kR = 4, kT = 4;
    static constexpr std::size_t kWBytes = sizeof(typename WL::T);
    static constexpr std::size_t kXBytes = sizeof(typename XL::T);
    template <int R, int T> static void tile(const GemmArgs &a, int64_t r, int64_t t)
    {
        const auto *w = static_cast<const typename WL::T *>(a.w) + r * a.cols;
        const auto *x = static_cast<const typename XL::T *>(a.x) + t * a.cols;
        float acc[R][T] = {};
        for (int64_t k = a.k0; k < a.k1; ++k) {
            float xv[T];
            FIREDECK_UNROLL
            for (int j = 0; j < T; ++j)
                xv[j] = XL::get(x + j * a.cols, k);
            FIREDECK_UNROLL
            for (int i = 0; i < R; ++i) {
                const float wv = WL::get(w + i * a.cols, k);
                FIREDECK_UNROLL
                for (int j = 0; j < T; ++j)
                    acc[i][j] += wv * xv[j];
            }
        }
        FIREDECK_UNROLL
        for (int i = 0; i < R; ++i)
            FIREDECK_UNROLL
        for (int j = 0; j < T; ++j) {
            float &o = a.out[(t + j) * a.rows + r + i];
            o = a.accumulate ? o + acc[i][j] : acc[i][j];
        }
    }
};

template <class L>
void attendScalar(const float *q, int64_t heads, int64_t d, const void *kv, const void *vv,
                  int64_t first, int64_t last, float scale, float *out, float *ml, float *scratch)
{
    using W = typename L::T;
    const W *k = static_cast<const W *>(kv), *v = static_cast<const W *>(vv);
    auto widen = [](W e) { return L::get(&e, 0); };
    float *s = scratch; // [kAttendBlock]
    for (int64_t h = 0; h < heads; ++h) {
        float m = -INFINITY, l = 0;
        float *o = out + h * d;
        std::fill(o, o + d, 0.f);
        for (int64_t jb = first; jb <= last; jb += kAttendBlock) {
            const int64_t n = std::min(kAttendBlock, last + 1 - jb);
            float bm = -INFINITY;
            for (int64_t j = 0; j < n; ++j) {
                float dot = 0;
                const W *kr = k + (jb + j) * d;
                for (int64_t i = 0; i < d; ++i)
                    dot += q[h * d + i] * widen(kr[i]);
                s[j] = dot * scale;
                bm = std::max(bm, s[j]);
            }
            const float mNew = std::max(m, bm);
            const float corr = std::exp(m - mNew);
            l *= corr;
            for (int64_t i = 0; i < d; ++i)
                o[i] *= corr;
            for (int64_t j = 0; j < n; ++j) {
                const float p = std::exp(s[j] - mNew);
                l += p;
                const W *vr = v + (jb + j) * d;
                for (int64_t i = 0; i < d; ++i)
                    o[i] += p * widen(vr[i]);
            }
            m = mNew;
        }
        const float inv = 1.0f / l;
        for (int64_t i = 0; i < d; ++i)
            o[i] *= inv;
        if (ml) {
            ml[2 * h] = m;
            ml[2 * h + 1] = l;
        }
    }
}

} // namespace

void gemmPanelScalarF32(const GemmArgs &a, int64_t r0, int64_t r1)
{
    panel<ScalarK<WF32, WF32>>(a, r0, r1);
}
void gemmPanelScalarF16(const GemmArgs &a, int64_t r0, int64_t r1)
{
    panel<ScalarK<WF16, WF32>>(a, r0, r1);
}
void gemmPanelScalarBF16(const GemmArgs &a, int64_t r0, int64_t r1)
{
    panel<ScalarK<WBF16, WF32>>(a, r0, r1);
}
void gemmPanelScalarBF16xBF16(const GemmArgs &a, int64_t r0, int64_t r1)
{
    panel<ScalarK<WBF16, WBF16>>(a, r0, r1);
}
void attendScalarF32(const float *q, int64_t heads, int64_t d, const void *k, const void *v,
                     int64_t first, int64_t last, float scale, float *out, float *ml,
                     float *scratch)
{
    attendScalar<WF32>(q, heads, d, k, v, first, last, scale, out, ml, scratch);
}
void attendScalarBF16(const float *q, int64_t heads, int64_t d, const void *k, const void *v,
                      int64_t first, int64_t last, float scale, float *out, float *ml,
                      float *scratch)
{
    attendScalar<WBF16>(q, heads, d, k, v, first, last, scale, out, ml, scratch);
}
void attendScalarF16(const float *q, int64_t heads, int64_t d, const void *k, const void *v,
                     int64_t first, int64_t last, float scale, float *out, float *ml,
                     float *scratch)
{
    attendScalar<WF16>(q, heads, d, k, v, first, last, scale, out, ml, scratch);
}
namespace {

// One query row at a time through a per-row kernel (the tile of the paths without their own).
template <AttendFn Row>
void attendTileRows(const float *q, int64_t qStride, int64_t tokens, int64_t heads, int64_t d,
                    const void *k, const void *v, int64_t pos0, int64_t window, float scale,
                    float *out, int64_t outStride, float *scratch)
{
    for (int64_t t = 0; t < tokens; ++t) {
        const int64_t pos = pos0 + t;
        const int64_t first = window > 0 ? std::max<int64_t>(0, pos - window + 1) : 0;
        Row(q + t * qStride, heads, d, k, v, first, pos, scale, out + t * outStride, nullptr,
            scratch);
    }
}

} // namespace

void attendTileScalarF32(const float *q, int64_t qStride, int64_t tokens, int64_t heads, int64_t d,
                         const void *k, const void *v, int64_t pos0, int64_t window, float scale,
                         float *out, int64_t outStride, float *scratch)
{
    attendTileRows<attendScalarF32>(q, qStride, tokens, heads, d, k, v, pos0, window, scale, out,
                                    outStride, scratch);
}
void attendTileScalarBF16(const float *q, int64_t qStride, int64_t tokens, int64_t heads, int64_t d,
                          const void *k, const void *v, int64_t pos0, int64_t window, float scale,
                          float *out, int64_t outStride, float *scratch)
{
    attendTileRows<attendScalarBF16>(q, qStride, tokens, heads, d, k, v, pos0, window, scale, out,
                                     outStride, scratch);
}
void attendTileScalarF16(const float *q, int64_t qStride, int64_t tokens, int64_t heads, int64_t d,
                         const void *k, const void *v, int64_t pos0, int64_t window, float scale,
                         float *out, int64_t outStride, float *scratch)
{
    attendTileRows<attendScalarF16>(q, qStride, tokens, heads, d, k, v, pos0, window, scale, out,
                                    outStride, scratch);
}
void attendTileAvx2F32(const float *q, int64_t qStride, int64_t tokens, int64_t heads, int64_t d,
                       const void *k, const void *v, int64_t pos0, int64_t window, float scale,
                       float *out, int64_t outStride, float *scratch)
{
    attendTileRows<attendAvx2F32>(q, qStride, tokens, heads, d, k, v, pos0, window, scale, out,
                                  outStride, scratch);
}
void attendTileAvx2BF16(const float *q, int64_t qStride, int64_t tokens, int64_t heads, int64_t d,
                        const void *k, const void *v, int64_t pos0, int64_t window, float scale,
                        float *out, int64_t outStride, float *scratch)
{
    attendTileRows<attendAvx2BF16>(q, qStride, tokens, heads, d, k, v, pos0, window, scale, out,
                                   outStride, scratch);
}
void attendTileAvx2F16(const float *q, int64_t qStride, int64_t tokens, int64_t heads, int64_t d,
                       const void *k, const void *v, int64_t pos0, int64_t window, float scale,
                       float *out, int64_t outStride, float *scratch)
{
    attendTileRows<attendAvx2F16>(q, qStride, tokens, heads, d, k, v, pos0, window, scale, out,
                                  outStride, scratch);
}

void mergeAttention(const float *part, int64_t partStride, const float *ml, int64_t mlStride,
                    int64_t splits, int64_t heads, int64_t d, float *out)
{
    for (int64_t h = 0; h < heads; ++h) {
        float mMax = -INFINITY;
        for (int64_t s = 0; s < splits; ++s)
            mMax = std::max(mMax, ml[s * mlStride + 2 * h]);
        float wSum = 0;
        float *o = out + h * d;
        std::fill(o, o + d, 0.f);
        for (int64_t s = 0; s < splits; ++s) {
            const float w =
                ml[s * mlStride + 2 * h + 1] * std::exp(ml[s * mlStride + 2 * h] - mMax);
            wSum += w;
            const float *p = part + s * partStride + h * d;
            for (int64_t i = 0; i < d; ++i)
                o[i] += w * p[i];
        }
        const float inv = 1.0f / wSum;
        for (int64_t i = 0; i < d; ++i)
            o[i] *= inv;
    }
}

void swiGluScalar(float *gate, const float *up, int64_t n)
{
    for (int64_t i = 0; i < n; ++i) {
        const float g = gate[i];
        gate[i] = g / (1.0f + std::exp(-g)) * up[i];
    }
}

void toBf16Scalar(const float *in, uint16_t *out, int64_t n)
{
    for (int64_t i = 0; i < n; ++i)
        out[i] = f32ToBf16(in[i]);
}
void toF16Scalar(const float *in, uint16_t *out, int64_t n)
{
    for (int64_t i = 0; i < n; ++i)
        out[i] = f32ToF16(in[i]);
}

#ifdef FIREDECK_X86

// ---- AVX2 + FMA + F16C: 4 rows x 3 tokens of 8 lanes (12 accumulators) -----------------

#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx2,fma,f16c"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx2,fma,f16c")
#endif

namespace {

inline float hsum8(__m256 v)
{
    __m128 lo = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    lo = _mm_add_ps(lo, _mm_movehl_ps(lo, lo));
    lo = _mm_add_ss(lo, _mm_movehdup_ps(lo));
    return _mm_cvtss_f32(lo);
}

struct Avx2F32
{
    using T = float;
    static __m256 load(const float *p) { return _mm256_loadu_ps(p); }
    static float get(const float *p, int64_t k) { return p[k]; }
};
struct Avx2F16
{
    using T = uint16_t;
    static __m256 load(const uint16_t *p)
    {
        return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i *>(p)));
    }
    static float get(const uint16_t *p, int64_t k) { return f16ToF32(p[k]); }
};
struct Avx2BF16
{
    using T = uint16_t;
    static __m256 load(const uint16_t *p)
    {
        const __m128i h = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p));
        return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(h), 16));
    }
    static float get(const uint16_t *p, int64_t k) { return bf16ToF32(p[k]); }
};

template <class WL, class XL> struct Avx2K
{
    static constexpr int kR = 4, kT = 3;
    static constexpr std::size_t kWBytes = sizeof(typename WL::T);
    static constexpr std::size_t kXBytes = sizeof(typename XL::T);
    template <int R, int T> static void tile(const GemmArgs &a, int64_t r, int64_t t)
    {
        const int64_t n = a.cols;
        const auto *w = static_cast<const typename WL::T *>(a.w) + r * n;
        const auto *x = static_cast<const typename XL::T *>(a.x) + t * n;
        __m256 acc[R][T];
        FIREDECK_UNROLL
        for (int i = 0; i < R; ++i)
            FIREDECK_UNROLL
        for (int j = 0; j < T; ++j)
            acc[i][j] = _mm256_setzero_ps();
        int64_t k = a.k0;
        for (; k + 8 <= a.k1; k += 8) {
            __m256 xv[T];
            FIREDECK_UNROLL
            for (int j = 0; j < T; ++j)
                xv[j] = XL::load(x + j * n + k);
            FIREDECK_UNROLL
            for (int i = 0; i < R; ++i) {
                const __m256 wv = WL::load(w + i * n + k);
                FIREDECK_UNROLL
                for (int j = 0; j < T; ++j)
                    acc[i][j] = _mm256_fmadd_ps(wv, xv[j], acc[i][j]);
            }
        }
        FIREDECK_UNROLL
        for (int i = 0; i < R; ++i)
            FIREDECK_UNROLL
        for (int j = 0; j < T; ++j) {
            float s = hsum8(acc[i][j]);
            for (int64_t kk = k; kk < a.k1; ++kk)
                s += WL::get(w + i * n, kk) * XL::get(x + j * n, kk);
            float &o = a.out[(t + j) * a.rows + r + i];
            o = a.accumulate ? o + s : s;
        }
    }
};

} // namespace

void gemmPanelAvx2F32(const GemmArgs &a, int64_t r0, int64_t r1)
{
    panel<Avx2K<Avx2F32, Avx2F32>>(a, r0, r1);
}
void gemmPanelAvx2F16(const GemmArgs &a, int64_t r0, int64_t r1)
{
    panel<Avx2K<Avx2F16, Avx2F32>>(a, r0, r1);
}
void gemmPanelAvx2BF16(const GemmArgs &a, int64_t r0, int64_t r1)
{
    panel<Avx2K<Avx2BF16, Avx2F32>>(a, r0, r1);
}
void gemmPanelAvx2BF16xBF16(const GemmArgs &a, int64_t r0, int64_t r1)
{
    panel<Avx2K<Avx2BF16, Avx2BF16>>(a, r0, r1);
}

namespace {

// exp(x) for x in [-87, 88] (the Cephes polynomial of exp512, 2^n built in the exponent bits).
inline __m256 exp256(__m256 x)
{
    const __m256 n = _mm256_round_ps(_mm256_mul_ps(x, _mm256_set1_ps(1.44269504088896341f)),
                                     _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m256 r = _mm256_fnmadd_ps(n, _mm256_set1_ps(0.693359375f), x);
    r = _mm256_fnmadd_ps(n, _mm256_set1_ps(-2.12194440e-4f), r);
    __m256 p = _mm256_set1_ps(1.9875691500e-4f);
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.3981999507e-3f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(8.3334519073e-3f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(4.1665795894e-2f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.6666665459e-1f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(5.0000001201e-1f));
    p = _mm256_fmadd_ps(p, _mm256_mul_ps(r, r), _mm256_add_ps(r, _mm256_set1_ps(1.0f)));
    const __m256i e =
        _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23);
    return _mm256_mul_ps(p, _mm256_castsi256_ps(e));
}

// exp(x) for x <= 0; 0 below -87 (and for -inf).
inline __m256 expNeg256(__m256 x)
{
    const __m256 lo = _mm256_set1_ps(-87.0f);
    const __m256 keep = _mm256_cmp_ps(x, lo, _CMP_GE_OQ);
    return _mm256_and_ps(keep, exp256(_mm256_max_ps(x, lo)));
}

inline float hmax8(__m256 v)
{
    __m128 m = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    m = _mm_max_ps(m, _mm_movehl_ps(m, m));
    m = _mm_max_ss(m, _mm_movehdup_ps(m));
    return _mm_cvtss_f32(m);
}

// {sum a, sum b, sum c, sum d}
inline __m128 reduce4x8(__m256 a, __m256 b, __m256 c, __m256 d)
{
    const __m256 ab = _mm256_hadd_ps(a, b), cd = _mm256_hadd_ps(c, d);
    const __m256 abcd = _mm256_hadd_ps(ab, cd); // per 128-bit half: {a, b, c, d} partials
    return _mm_add_ps(_mm256_castps256_ps128(abcd), _mm256_extractf128_ps(abcd, 1));
}

// The AVX-512 attention kernel's structure on 8 lanes (head_dim = 8·NV).
template <class KL, int NV>
void attendAvx2(const float *q, int64_t heads, const void *kv, const void *vv, int64_t first,
                int64_t last, float scale, float *out, float *ml, float *scratch)
{
    using E = typename KL::T;
    constexpr int64_t d = 8 * NV, B = kAttendBlock;
    const E *k = static_cast<const E *>(kv), *v = static_cast<const E *>(vv);
    float *s = scratch;
    float *mRun = s + heads * B;
    float *lRun = mRun + heads;
    float *kf = lRun + heads;
    float *vf = kf + B * d;
    for (int64_t h = 0; h < heads; ++h) {
        mRun[h] = -INFINITY;
        lRun[h] = 0;
        std::fill(out + h * d, out + (h + 1) * d, 0.f);
    }
    for (int64_t jb = first; jb <= last; jb += B) {
        const int64_t n = std::min(B, last + 1 - jb);
        for (int64_t j = 0; j < n; ++j) {
            FIREDECK_UNROLL
            for (int i = 0; i < NV; ++i) {
                _mm256_storeu_ps(kf + j * d + i * 8, KL::load(k + (jb + j) * d + i * 8));
                _mm256_storeu_ps(vf + j * d + i * 8, KL::load(v + (jb + j) * d + i * 8));
            }
        }
        for (int64_t h = 0; h < heads; ++h) {
            const float *qh = q + h * d;
            const __m256 sc = _mm256_set1_ps(scale);
            float *sh = s + h * B;
            for (int64_t j = 0; j < n; j += 4) {
                __m256 acc[4];
                FIREDECK_UNROLL
                for (int u = 0; u < 4; ++u) {
                    const float *kr = kf + std::min<int64_t>(j + u, n - 1) * d;
                    acc[u] =
                        _mm256_mul_ps(_mm256_mul_ps(sc, _mm256_loadu_ps(qh)), _mm256_loadu_ps(kr));
                    for (int i = 1; i < NV; ++i)
                        acc[u] = _mm256_fmadd_ps(_mm256_mul_ps(sc, _mm256_loadu_ps(qh + i * 8)),
                                                 _mm256_loadu_ps(kr + i * 8), acc[u]);
                }
                alignas(16) float four[4];
                _mm_store_ps(four, reduce4x8(acc[0], acc[1], acc[2], acc[3]));
                for (int64_t u = 0; u < std::min<int64_t>(4, n - j); ++u)
                    sh[j + u] = four[u];
            }
            for (int64_t j = n; j < B; ++j)
                sh[j] = -INFINITY;
            __m256 sv[4];
            FIREDECK_UNROLL
            for (int u = 0; u < 4; ++u)
                sv[u] = _mm256_loadu_ps(sh + u * 8);
            const float bm =
                hmax8(_mm256_max_ps(_mm256_max_ps(sv[0], sv[1]), _mm256_max_ps(sv[2], sv[3])));
            const float mNew = std::max(mRun[h], bm);
            const __m256 mv = _mm256_set1_ps(mNew);
            __m256 sum = _mm256_setzero_ps();
            FIREDECK_UNROLL
            for (int u = 0; u < 4; ++u) {
                sv[u] = expNeg256(_mm256_sub_ps(sv[u], mv));
                sum = _mm256_add_ps(sum, sv[u]);
                _mm256_storeu_ps(sh + u * 8, sv[u]);
            }
            const float corr = mRun[h] == -INFINITY ? 0.f : std::exp(mRun[h] - mNew);
            lRun[h] = lRun[h] * corr + hsum8(sum);
            mRun[h] = mNew;
            float *o = out + h * d;
            const __m256 cv = _mm256_set1_ps(corr);
            __m256 ov[NV];
            for (int i = 0; i < NV; ++i)
                ov[i] = _mm256_mul_ps(cv, _mm256_loadu_ps(o + i * 8));
            for (int64_t j = 0; j < n; ++j) {
                const __m256 pj = _mm256_set1_ps(sh[j]);
                for (int i = 0; i < NV; ++i)
                    ov[i] = _mm256_fmadd_ps(pj, _mm256_loadu_ps(vf + j * d + i * 8), ov[i]);
            }
            for (int i = 0; i < NV; ++i)
                _mm256_storeu_ps(o + i * 8, ov[i]);
        }
    }
    for (int64_t h = 0; h < heads; ++h) {
        const __m256 inv = _mm256_set1_ps(1.0f / lRun[h]);
        float *o = out + h * d;
        for (int i = 0; i < NV; ++i)
            _mm256_storeu_ps(o + i * 8, _mm256_mul_ps(inv, _mm256_loadu_ps(o + i * 8)));
        if (ml) {
            ml[2 * h] = mRun[h];
            ml[2 * h + 1] = lRun[h];
        }
    }
}

template <class KL>
bool attendAvx2Dispatch(const float *q, int64_t heads, int64_t d, const void *k, const void *v,
                        int64_t first, int64_t last, float scale, float *out, float *ml,
                        float *scratch)
{
    switch (d) {
    case 32:
        attendAvx2<KL, 4>(q, heads, k, v, first, last, scale, out, ml, scratch);
        return true;
    case 64:
        attendAvx2<KL, 8>(q, heads, k, v, first, last, scale, out, ml, scratch);
        return true;
    case 128:
        attendAvx2<KL, 16>(q, heads, k, v, first, last, scale, out, ml, scratch);
        return true;
    default:
        return false;
    }
}

} // namespace

void attendAvx2F32(const float *q, int64_t heads, int64_t d, const void *k, const void *v,
                   int64_t first, int64_t last, float scale, float *out, float *ml, float *scratch)
{
    if (!attendAvx2Dispatch<Avx2F32>(q, heads, d, k, v, first, last, scale, out, ml, scratch))
        attendScalarF32(q, heads, d, k, v, first, last, scale, out, ml, scratch);
}
void attendAvx2BF16(const float *q, int64_t heads, int64_t d, const void *k, const void *v,
                    int64_t first, int64_t last, float scale, float *out, float *ml, float *scratch)
{
    if (!attendAvx2Dispatch<Avx2BF16>(q, heads, d, k, v, first, last, scale, out, ml, scratch))
        attendScalarBF16(q, heads, d, k, v, first, last, scale, out, ml, scratch);
}
void attendAvx2F16(const float *q, int64_t heads, int64_t d, const void *k, const void *v,
                   int64_t first, int64_t last, float scale, float *out, float *ml, float *scratch)
{
    if (!attendAvx2Dispatch<Avx2F16>(q, heads, d, k, v, first, last, scale, out, ml, scratch))
        attendScalarF16(q, heads, d, k, v, first, last, scale, out, ml, scratch);
}
void swiGluAvx2(float *gate, const float *up, int64_t n)
{
    const __m256 one = _mm256_set1_ps(1.0f), lo = _mm256_set1_ps(-87.0f),
                 hi = _mm256_set1_ps(88.0f);
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256 g = _mm256_loadu_ps(gate + i);
        const __m256 e =
            exp256(_mm256_min_ps(hi, _mm256_max_ps(lo, _mm256_sub_ps(_mm256_setzero_ps(), g))));
        _mm256_storeu_ps(gate + i, _mm256_mul_ps(_mm256_div_ps(g, _mm256_add_ps(one, e)),
                                                 _mm256_loadu_ps(up + i)));
    }
    swiGluScalar(gate + i, up + i, n - i);
}
void toF16Avx2(const float *in, uint16_t *out, int64_t n)
{
    const __m256 lim = _mm256_set1_ps(65504.0f), nlim = _mm256_set1_ps(-65504.0f);
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        // max/min return their second operand when one is NaN: NaN passes through.
        const __m256 x = _mm256_min_ps(lim, _mm256_max_ps(nlim, _mm256_loadu_ps(in + i)));
        _mm_storeu_si128(reinterpret_cast<__m128i *>(out + i),
                         _mm256_cvtps_ph(x, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
    }
    toF16Scalar(in + i, out + i, n - i);
}

#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif

// ---- AVX-512F: 4 rows x 4 tokens of 16 lanes, masked tails ------------------------------

#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx512f,avx512bw,avx512vl"))),                 \
                             apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx512f,avx512bw,avx512vl")
#endif

namespace {

// Sums of four vectors: {sum a, sum b, sum c, sum d}.
inline __m128 reduce4x16(__m512 a, __m512 b, __m512 c, __m512 d)
{
    const __m512 ab = _mm512_add_ps(_mm512_unpacklo_ps(a, b), _mm512_unpackhi_ps(a, b));
    const __m512 cd = _mm512_add_ps(_mm512_unpacklo_ps(c, d), _mm512_unpackhi_ps(c, d));
    // per 128-bit lane: {a0+a2, b0+b2, a1+a3, b1+b3} and the same for c, d
    const __m512 abcd = _mm512_add_ps(_mm512_shuffle_ps(ab, cd, _MM_SHUFFLE(1, 0, 1, 0)),
                                      _mm512_shuffle_ps(ab, cd, _MM_SHUFFLE(3, 2, 3, 2)));
    const __m256 h =
        _mm256_add_ps(_mm512_castps512_ps256(abcd),
                      _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(abcd), 1)));
    return _mm_add_ps(_mm256_castps256_ps128(h), _mm256_extractf128_ps(h, 1));
}

struct Z512F32
{
    using T = float;
    static __m512 load(const float *p) { return _mm512_loadu_ps(p); }
    static __m512 loadMasked(const float *p, __mmask16 m) { return _mm512_maskz_loadu_ps(m, p); }
};
struct Z512F16
{
    using T = uint16_t;
    static __m512 load(const uint16_t *p)
    {
        return _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i *>(p)));
    }
    static __m512 loadMasked(const uint16_t *p, __mmask16 m)
    {
        return _mm512_cvtph_ps(_mm256_maskz_loadu_epi16(m, p));
    }
};
struct Z512BF16
{
    using T = uint16_t;
    static __m512 widen(__m256i h)
    {
        return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(h), 16));
    }
    static __m512 load(const uint16_t *p)
    {
        return widen(_mm256_loadu_si256(reinterpret_cast<const __m256i *>(p)));
    }
    static __m512 loadMasked(const uint16_t *p, __mmask16 m)
    {
        return widen(_mm256_maskz_loadu_epi16(m, p));
    }
};

template <int R, int T, class Acc>
inline void storeTile(const GemmArgs &a, int64_t r, int64_t t, Acc &acc)
{
    FIREDECK_UNROLL
    for (int j = 0; j < T; ++j) {
        float *o = a.out + (t + j) * a.rows + r;
        if constexpr (R == 4) {
            __m128 v = reduce4x16(acc[0][j], acc[1][j], acc[2][j], acc[3][j]);
            if (a.accumulate)
                v = _mm_add_ps(v, _mm_loadu_ps(o));
            _mm_storeu_ps(o, v);
        } else {
            FIREDECK_UNROLL
            for (int i = 0; i < R; ++i)
                o[i] = a.accumulate ? o[i] + _mm512_reduce_add_ps(acc[i][j])
                                    : _mm512_reduce_add_ps(acc[i][j]);
        }
    }
}

template <class WL, class XL> struct Avx512K
{
    static constexpr int kR = 4, kT = 4;
    static constexpr std::size_t kWBytes = sizeof(typename WL::T);
    static constexpr std::size_t kXBytes = sizeof(typename XL::T);
    template <int R, int T> static void tile(const GemmArgs &a, int64_t r, int64_t t)
    {
        const int64_t n = a.cols;
        const auto *w = static_cast<const typename WL::T *>(a.w) + r * n;
        const auto *x = static_cast<const typename XL::T *>(a.x) + t * n;
        __m512 acc[R][T];
        FIREDECK_UNROLL
        for (int i = 0; i < R; ++i)
            FIREDECK_UNROLL
        for (int j = 0; j < T; ++j)
            acc[i][j] = _mm512_setzero_ps();
        int64_t k = a.k0;
        for (; k + 16 <= a.k1; k += 16) {
            __m512 xv[T];
            FIREDECK_UNROLL
            for (int j = 0; j < T; ++j)
                xv[j] = XL::load(x + j * n + k);
            FIREDECK_UNROLL
            for (int i = 0; i < R; ++i) {
                const __m512 wv = WL::load(w + i * n + k);
                FIREDECK_UNROLL
                for (int j = 0; j < T; ++j)
                    acc[i][j] = _mm512_fmadd_ps(wv, xv[j], acc[i][j]);
            }
        }
        if (k < a.k1) {
            const __mmask16 m = static_cast<__mmask16>((1u << (a.k1 - k)) - 1);
            __m512 xv[T];
            FIREDECK_UNROLL
            for (int j = 0; j < T; ++j)
                xv[j] = XL::loadMasked(x + j * n + k, m);
            FIREDECK_UNROLL
            for (int i = 0; i < R; ++i) {
                const __m512 wv = WL::loadMasked(w + i * n + k, m);
                FIREDECK_UNROLL
                for (int j = 0; j < T; ++j)
                    acc[i][j] = _mm512_fmadd_ps(wv, xv[j], acc[i][j]);
            }
        }
        storeTile<R, T>(a, r, t, acc);
    }
};

// exp(x) for x in [-87, 88] (Cephes expf: range reduction by ln 2 in two parts, degree-6
// polynomial, 2^n by scalef); about 1 ulp.
inline __m512 exp512(__m512 x)
{
    const __m512 ln2Hi = _mm512_set1_ps(0.693359375f), ln2Lo = _mm512_set1_ps(-2.12194440e-4f);
    const __m512 n = _mm512_roundscale_ps(_mm512_mul_ps(x, _mm512_set1_ps(1.44269504088896341f)),
                                          _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m512 r = _mm512_fnmadd_ps(n, ln2Hi, x);
    r = _mm512_fnmadd_ps(n, ln2Lo, r);
    __m512 p = _mm512_set1_ps(1.9875691500e-4f);
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.3981999507e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(8.3334519073e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(4.1665795894e-2f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.6666665459e-1f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(5.0000001201e-1f));
    p = _mm512_fmadd_ps(p, _mm512_mul_ps(r, r), _mm512_add_ps(r, _mm512_set1_ps(1.0f)));
    return _mm512_scalef_ps(p, n);
}

// exp(x) for x <= 0 (Cephes expf: range reduction by ln 2 in two parts, degree-6
// polynomial, 2^n by scalef); about 1 ulp, exp(-inf) = 0.
inline __m512 expNeg512(__m512 x)
{
    const __m512 ln2Hi = _mm512_set1_ps(0.693359375f), ln2Lo = _mm512_set1_ps(-2.12194440e-4f);
    const __mmask16 tiny = _mm512_cmp_ps_mask(x, _mm512_set1_ps(-87.0f), _CMP_LT_OQ);
    x = _mm512_max_ps(x, _mm512_set1_ps(-87.0f));
    const __m512 n = _mm512_roundscale_ps(_mm512_mul_ps(x, _mm512_set1_ps(1.44269504088896341f)),
                                          _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m512 r = _mm512_fnmadd_ps(n, ln2Hi, x);
    r = _mm512_fnmadd_ps(n, ln2Lo, r);
    __m512 p = _mm512_set1_ps(1.9875691500e-4f);
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.3981999507e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(8.3334519073e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(4.1665795894e-2f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.6666665459e-1f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(5.0000001201e-1f));
    p = _mm512_fmadd_ps(p, _mm512_mul_ps(r, r), _mm512_add_ps(r, _mm512_set1_ps(1.0f)));
    return _mm512_maskz_mov_ps(static_cast<__mmask16>(~tiny), _mm512_scalef_ps(p, n));
}

// Online-softmax attention over blocks of kAttendBlock keys, head_dim = 16·NV. Each block's
// K and V rows are widened to fp32 once into scratch (L1) and then used by every query head of
// the group; q and the output rows of a head stay in registers while a block passes.
template <class KL, int NV>
void attendAvx512(const float *q, int64_t heads, const void *kv, const void *vv, int64_t first,
                  int64_t last, float scale, float *out, float *ml, float *scratch)
{
    using E = typename KL::T;
    constexpr int64_t d = 16 * NV, B = kAttendBlock;
    const E *k = static_cast<const E *>(kv), *v = static_cast<const E *>(vv);
    float *s = scratch;          // [heads][B] scores, then weights
    float *mRun = s + heads * B; // [heads] running max
    float *lRun = mRun + heads;  // [heads] running sum
    float *kf = lRun + heads;    // [B][d] fp32
    float *vf = kf + B * d;      // [B][d] fp32
    for (int64_t h = 0; h < heads; ++h) {
        mRun[h] = -INFINITY;
        lRun[h] = 0;
        std::fill(out + h * d, out + (h + 1) * d, 0.f);
    }
    for (int64_t jb = first; jb <= last; jb += B) {
        const int64_t n = std::min(B, last + 1 - jb);
        for (int64_t j = 0; j < n; ++j) {
            FIREDECK_UNROLL
            for (int i = 0; i < NV; ++i) {
                _mm512_storeu_ps(kf + j * d + i * 16, KL::load(k + (jb + j) * d + i * 16));
                _mm512_storeu_ps(vf + j * d + i * 16, KL::load(v + (jb + j) * d + i * 16));
            }
        }
        for (int64_t h = 0; h < heads; ++h) {
            __m512 qv[NV];
            FIREDECK_UNROLL
            for (int i = 0; i < NV; ++i)
                qv[i] = _mm512_mul_ps(_mm512_loadu_ps(q + h * d + i * 16), _mm512_set1_ps(scale));
            float *sh = s + h * B;
            // Scores four keys at a time: one reduction tree serves four dot products. Rows
            // past n repeat the last one (their scores are dropped).
            for (int64_t j = 0; j < n; j += 4) {
                __m512 acc[4];
                FIREDECK_UNROLL
                for (int u = 0; u < 4; ++u) {
                    const float *kr = kf + std::min<int64_t>(j + u, n - 1) * d;
                    acc[u] = _mm512_mul_ps(qv[0], _mm512_loadu_ps(kr));
                    FIREDECK_UNROLL
                    for (int i = 1; i < NV; ++i)
                        acc[u] = _mm512_fmadd_ps(qv[i], _mm512_loadu_ps(kr + i * 16), acc[u]);
                }
                alignas(16) float four[4];
                _mm_store_ps(four, reduce4x16(acc[0], acc[1], acc[2], acc[3]));
                for (int64_t u = 0; u < std::min<int64_t>(4, n - j); ++u)
                    sh[j + u] = four[u];
            }
            const __mmask16 m0 = static_cast<__mmask16>(n >= 16 ? 0xFFFF : (1u << n) - 1);
            const __mmask16 m1 = static_cast<__mmask16>(n >= 32  ? 0xFFFF
                                                        : n > 16 ? (1u << (n - 16)) - 1
                                                                 : 0);
            const __m512 ninf = _mm512_set1_ps(-INFINITY);
            const __m512 s0 = _mm512_mask_loadu_ps(ninf, m0, sh);
            const __m512 s1 = _mm512_mask_loadu_ps(ninf, m1, sh + 16);
            const float mNew = std::max(mRun[h], _mm512_reduce_max_ps(_mm512_max_ps(s0, s1)));
            const __m512 mv = _mm512_set1_ps(mNew);
            const __m512 p0 = expNeg512(_mm512_sub_ps(s0, mv));
            const __m512 p1 = expNeg512(_mm512_sub_ps(s1, mv));
            _mm512_storeu_ps(sh, p0);
            _mm512_storeu_ps(sh + 16, p1);
            const float corr = mRun[h] == -INFINITY ? 0.f : std::exp(mRun[h] - mNew);
            lRun[h] = lRun[h] * corr + _mm512_reduce_add_ps(_mm512_add_ps(p0, p1));
            mRun[h] = mNew;
            // P · V with the head's output row in registers.
            float *o = out + h * d;
            __m512 ov[NV];
            const __m512 cv = _mm512_set1_ps(corr);
            FIREDECK_UNROLL
            for (int i = 0; i < NV; ++i)
                ov[i] = _mm512_mul_ps(cv, _mm512_loadu_ps(o + i * 16));
            for (int64_t j = 0; j < n; ++j) {
                const __m512 pj = _mm512_set1_ps(sh[j]);
                FIREDECK_UNROLL
                for (int i = 0; i < NV; ++i)
                    ov[i] = _mm512_fmadd_ps(pj, _mm512_loadu_ps(vf + j * d + i * 16), ov[i]);
            }
            FIREDECK_UNROLL
            for (int i = 0; i < NV; ++i)
                _mm512_storeu_ps(o + i * 16, ov[i]);
        }
    }
    for (int64_t h = 0; h < heads; ++h) {
        const __m512 inv = _mm512_set1_ps(1.0f / lRun[h]);
        float *o = out + h * d;
        FIREDECK_UNROLL
        for (int i = 0; i < NV; ++i)
            _mm512_storeu_ps(o + i * 16, _mm512_mul_ps(inv, _mm512_loadu_ps(o + i * 16)));
        if (ml) {
            ml[2 * h] = mRun[h];
            ml[2 * h + 1] = lRun[h];
        }
    }
}

// Prefill: a tile of consecutive query tokens against each 32-key block. The block's K is
// widened and transposed once ([d][32] fp32), so a query row's 32 scores are 2·d FMAs of a
// broadcast (pre-scaled) query element, with no reduction; V is widened once; each (token,
// head) keeps its online-softmax state ({m, l} in scratch, the output row in `out`).
template <class KL, int NV>
void attendTileAvx512(const float *q, int64_t qStride, int64_t tokens, int64_t heads,
                      const void *kv, const void *vv, int64_t pos0, int64_t window, float scale,
                      float *out, int64_t outStride, float *scratch)
{
    using E = typename KL::T;
    constexpr int64_t d = 16 * NV, B = kAttendBlock;
    static_assert(B == 32, "two 16-lane score vectors per key block");
    const E *k = static_cast<const E *>(kv), *v = static_cast<const E *>(vv);
    const int64_t rowsQ = tokens * heads;
    float *mRun = scratch;      // [tokens · heads]
    float *lRun = mRun + rowsQ; // [tokens · heads]
    float *qs = lRun + rowsQ;   // [tokens · heads][d] scaled queries
    float *kf = qs + rowsQ * d; // [B][d] fp32
    float *kT = kf + B * d;     // [d][B] fp32
    float *vf = kT + B * d;     // [B][d] fp32
    const __m512 sc = _mm512_set1_ps(scale);
    for (int64_t t = 0; t < tokens; ++t) {
        std::fill(out + t * outStride, out + t * outStride + heads * d, 0.f);
        for (int64_t h = 0; h < heads; ++h) {
            mRun[t * heads + h] = -INFINITY;
            lRun[t * heads + h] = 0;
            FIREDECK_UNROLL
            for (int i = 0; i < NV; ++i)
                _mm512_storeu_ps(
                    qs + (t * heads + h) * d + i * 16,
                    _mm512_mul_ps(sc, _mm512_loadu_ps(q + t * qStride + h * d + i * 16)));
        }
    }
    const int64_t posLast = pos0 + tokens - 1;
    const int64_t firstAll = window > 0 ? std::max<int64_t>(0, pos0 - window + 1) : 0;
    const __m512 lane = _mm512_setr_ps(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    const __m512 lane1 = _mm512_add_ps(lane, _mm512_set1_ps(16.0f));
    const __m512 ninf = _mm512_set1_ps(-INFINITY);
    for (int64_t jb = firstAll; jb <= posLast; jb += B) {
        const int64_t n = std::min(B, posLast + 1 - jb);
        for (int64_t j = 0; j < n; ++j) {
            FIREDECK_UNROLL
            for (int i = 0; i < NV; ++i) {
                _mm512_storeu_ps(kf + j * d + i * 16, KL::load(k + (jb + j) * d + i * 16));
                _mm512_storeu_ps(vf + j * d + i * 16, KL::load(v + (jb + j) * d + i * 16));
            }
        }
        for (int64_t j = n; j < B; ++j) // rows past the end: zeros (their scores are masked)
            std::fill(kf + j * d, kf + (j + 1) * d, 0.f);
        for (int64_t i = 0; i < d; ++i)
            for (int64_t j = 0; j < B; ++j)
                kT[i * B + j] = kf[j * d + i];
        for (int64_t t = 0; t < tokens; ++t) {
            const int64_t pos = pos0 + t;
            const int64_t first = window > 0 ? std::max<int64_t>(0, pos - window + 1) : 0;
            if (jb > pos || jb + B <= first)
                continue;
            // Keys jb + j are valid for first <= jb + j <= pos.
            const __m512 lo = _mm512_set1_ps(static_cast<float>(first - jb)),
                         hi = _mm512_set1_ps(static_cast<float>(pos - jb));
            const __mmask16 v0 =
                _mm512_cmp_ps_mask(lane, lo, _CMP_GE_OQ) & _mm512_cmp_ps_mask(lane, hi, _CMP_LE_OQ);
            const __mmask16 v1 = _mm512_cmp_ps_mask(lane1, lo, _CMP_GE_OQ) &
                                 _mm512_cmp_ps_mask(lane1, hi, _CMP_LE_OQ);
            const int64_t jBegin = std::max<int64_t>(0, first - jb),
                          jEnd = std::min<int64_t>(B, pos - jb + 1);
            for (int64_t h = 0; h < heads; ++h) {
                const int64_t r = t * heads + h;
                const float *qh = qs + r * d;
                __m512 s0 = _mm512_setzero_ps(), s1 = _mm512_setzero_ps();
                __m512 u0 = _mm512_setzero_ps(), u1 = _mm512_setzero_ps();
                for (int64_t i = 0; i < d; i += 2) {
                    const __m512 qa = _mm512_set1_ps(qh[i]), qb = _mm512_set1_ps(qh[i + 1]);
                    s0 = _mm512_fmadd_ps(qa, _mm512_loadu_ps(kT + i * B), s0);
                    s1 = _mm512_fmadd_ps(qa, _mm512_loadu_ps(kT + i * B + 16), s1);
                    u0 = _mm512_fmadd_ps(qb, _mm512_loadu_ps(kT + (i + 1) * B), u0);
                    u1 = _mm512_fmadd_ps(qb, _mm512_loadu_ps(kT + (i + 1) * B + 16), u1);
                }
                s0 = _mm512_mask_mov_ps(ninf, v0, _mm512_add_ps(s0, u0));
                s1 = _mm512_mask_mov_ps(ninf, v1, _mm512_add_ps(s1, u1));
                const float mNew = std::max(mRun[r], _mm512_reduce_max_ps(_mm512_max_ps(s0, s1)));
                const __m512 mv = _mm512_set1_ps(mNew);
                const __m512 p0 = expNeg512(_mm512_sub_ps(s0, mv));
                const __m512 p1 = expNeg512(_mm512_sub_ps(s1, mv));
                const float corr = mRun[r] == -INFINITY ? 0.f : std::exp(mRun[r] - mNew);
                lRun[r] = lRun[r] * corr + _mm512_reduce_add_ps(_mm512_add_ps(p0, p1));
                mRun[r] = mNew;
                alignas(64) float p[32];
                _mm512_store_ps(p, p0);
                _mm512_store_ps(p + 16, p1);
                float *o = out + t * outStride + h * d;
                __m512 ov[NV];
                const __m512 cv = _mm512_set1_ps(corr);
                FIREDECK_UNROLL
                for (int i = 0; i < NV; ++i)
                    ov[i] = _mm512_mul_ps(cv, _mm512_loadu_ps(o + i * 16));
                for (int64_t j = jBegin; j < jEnd; ++j) {
                    const __m512 pj = _mm512_set1_ps(p[j]);
                    FIREDECK_UNROLL
                    for (int i = 0; i < NV; ++i)
                        ov[i] = _mm512_fmadd_ps(pj, _mm512_loadu_ps(vf + j * d + i * 16), ov[i]);
                }
                FIREDECK_UNROLL
                for (int i = 0; i < NV; ++i)
                    _mm512_storeu_ps(o + i * 16, ov[i]);
            }
        }
    }
    for (int64_t t = 0; t < tokens; ++t)
        for (int64_t h = 0; h < heads; ++h) {
            const __m512 inv = _mm512_set1_ps(1.0f / lRun[t * heads + h]);
            float *o = out + t * outStride + h * d;
            FIREDECK_UNROLL
            for (int i = 0; i < NV; ++i)
                _mm512_storeu_ps(o + i * 16, _mm512_mul_ps(inv, _mm512_loadu_ps(o + i * 16)));
        }
}

template <class KL>
bool attendTileAvx512Dispatch(const float *q, int64_t qStride, int64_t tokens, int64_t heads,
                              int64_t d, const void *k, const void *v, int64_t pos0, int64_t window,
                              float scale, float *out, int64_t outStride, float *scratch)
{
    switch (d) {
    case 32:
        attendTileAvx512<KL, 2>(q, qStride, tokens, heads, k, v, pos0, window, scale, out,
                                outStride, scratch);
        return true;
    case 64:
        attendTileAvx512<KL, 4>(q, qStride, tokens, heads, k, v, pos0, window, scale, out,
                                outStride, scratch);
        return true;
    case 128:
        attendTileAvx512<KL, 8>(q, qStride, tokens, heads, k, v, pos0, window, scale, out,
                                outStride, scratch);
        return true;
    default:
        return false;
    }
}

template <class KL>
bool attendAvx512Dispatch(const float *q, int64_t heads, int64_t d, const void *k, const void *v,
                          int64_t first, int64_t last, float scale, float *out, float *ml,
                          float *scratch)
{
    switch (d) {
    case 16:
        attendAvx512<KL, 1>(q, heads, k, v, first, last, scale, out, ml, scratch);
        return true;
    case 32:
        attendAvx512<KL, 2>(q, heads, k, v, first, last, scale, out, ml, scratch);
        return true;
    case 64:
        attendAvx512<KL, 4>(q, heads, k, v, first, last, scale, out, ml, scratch);
        return true;
    case 80:
        attendAvx512<KL, 5>(q, heads, k, v, first, last, scale, out, ml, scratch);
        return true;
    case 96:
        attendAvx512<KL, 6>(q, heads, k, v, first, last, scale, out, ml, scratch);
        return true;
    case 128:
        attendAvx512<KL, 8>(q, heads, k, v, first, last, scale, out, ml, scratch);
        return true;
    default:
        return false; // other head sizes take the portable kernel
    }
}

} // namespace

void gemmPanelAvx512F32(const GemmArgs &a, int64_t r0, int64_t r1)
{
    panel<Avx512K<Z512F32, Z512F32>>(a, r0, r1);
}
void gemmPanelAvx512F16(const GemmArgs &a, int64_t r0, int64_t r1)
{
    panel<Avx512K<Z512F16, Z512F32>>(a, r0, r1);
}
void gemmPanelAvx512BF16(const GemmArgs &a, int64_t r0, int64_t r1)
{
    panel<Avx512K<Z512BF16, Z512F32>>(a, r0, r1);
}
void gemmPanelAvx512BF16xBF16(const GemmArgs &a, int64_t r0, int64_t r1)
{
    panel<Avx512K<Z512BF16, Z512BF16>>(a, r0, r1);
}
void attendAvx512F32(const float *q, int64_t heads, int64_t d, const void *k, const void *v,
                     int64_t first, int64_t last, float scale, float *out, float *ml,
                     float *scratch)
{
    if (!attendAvx512Dispatch<Z512F32>(q, heads, d, k, v, first, last, scale, out, ml, scratch))
        attendScalarF32(q, heads, d, k, v, first, last, scale, out, ml, scratch);
}
void attendAvx512BF16(const float *q, int64_t heads, int64_t d, const void *k, const void *v,
                      int64_t first, int64_t last, float scale, float *out, float *ml,
                      float *scratch)
{
    if (!attendAvx512Dispatch<Z512BF16>(q, heads, d, k, v, first, last, scale, out, ml, scratch))
        attendScalarBF16(q, heads, d, k, v, first, last, scale, out, ml, scratch);
}
void attendAvx512F16(const float *q, int64_t heads, int64_t d, const void *k, const void *v,
                     int64_t first, int64_t last, float scale, float *out, float *ml,
                     float *scratch)
{
    if (!attendAvx512Dispatch<Z512F16>(q, heads, d, k, v, first, last, scale, out, ml, scratch))
        attendScalarF16(q, heads, d, k, v, first, last, scale, out, ml, scratch);
}
void attendTileAvx512F32(const float *q, int64_t qStride, int64_t tokens, int64_t heads, int64_t d,
                         const void *k, const void *v, int64_t pos0, int64_t window, float scale,
                         float *out, int64_t outStride, float *scratch)
{
    if (!attendTileAvx512Dispatch<Z512F32>(q, qStride, tokens, heads, d, k, v, pos0, window, scale,
                                           out, outStride, scratch))
        attendTileRows<attendAvx512F32>(q, qStride, tokens, heads, d, k, v, pos0, window, scale,
                                        out, outStride, scratch);
}
void attendTileAvx512BF16(const float *q, int64_t qStride, int64_t tokens, int64_t heads, int64_t d,
                          const void *k, const void *v, int64_t pos0, int64_t window, float scale,
                          float *out, int64_t outStride, float *scratch)
{
    if (!attendTileAvx512Dispatch<Z512BF16>(q, qStride, tokens, heads, d, k, v, pos0, window, scale,
                                            out, outStride, scratch))
        attendTileRows<attendAvx512BF16>(q, qStride, tokens, heads, d, k, v, pos0, window, scale,
                                         out, outStride, scratch);
}
void attendTileAvx512F16(const float *q, int64_t qStride, int64_t tokens, int64_t heads, int64_t d,
                         const void *k, const void *v, int64_t pos0, int64_t window, float scale,
                         float *out, int64_t outStride, float *scratch)
{
    if (!attendTileAvx512Dispatch<Z512F16>(q, qStride, tokens, heads, d, k, v, pos0, window, scale,
                                           out, outStride, scratch))
        attendTileRows<attendAvx512F16>(q, qStride, tokens, heads, d, k, v, pos0, window, scale,
                                        out, outStride, scratch);
}
void toF16Avx512(const float *in, uint16_t *out, int64_t n)
{
    const __m512 lim = _mm512_set1_ps(65504.0f), nlim = _mm512_set1_ps(-65504.0f);
    for (int64_t i = 0; i < n; i += 16) {
        const __mmask16 m = static_cast<__mmask16>(n - i >= 16 ? 0xFFFF : (1u << (n - i)) - 1);
        // Saturate (vcvtps2ph would give inf); max/min return their second operand when one
        // is NaN, so NaN passes through.
        __m512 x = _mm512_maskz_loadu_ps(m, in + i);
        x = _mm512_min_ps(lim, _mm512_max_ps(nlim, x));
        const __m256i h = _mm512_cvtps_ph(x, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
        _mm256_mask_storeu_epi16(out + i, m, h);
    }
}
void swiGluAvx512(float *gate, const float *up, int64_t n)
{
    const __m512 one = _mm512_set1_ps(1.0f), lo = _mm512_set1_ps(-87.0f),
                 hi = _mm512_set1_ps(88.0f);
    for (int64_t i = 0; i < n; i += 16) {
        const __mmask16 m = static_cast<__mmask16>(n - i >= 16 ? 0xFFFF : (1u << (n - i)) - 1);
        const __m512 g = _mm512_maskz_loadu_ps(m, gate + i);
        // exp(-g) clamped: for g < -88 the quotient is 0 either way (g / 1.7e38 or g / inf).
        const __m512 e =
            exp512(_mm512_min_ps(hi, _mm512_max_ps(lo, _mm512_sub_ps(_mm512_setzero_ps(), g))));
        const __m512 r = _mm512_mul_ps(_mm512_div_ps(g, _mm512_add_ps(one, e)),
                                       _mm512_maskz_loadu_ps(m, up + i));
        _mm512_mask_storeu_ps(gate + i, m, r);
    }
}

void toBf16Avx512(const float *in, uint16_t *out, int64_t n)
{
    // Round to nearest even in integer arithmetic; denormals to signed zero, NaN quieted.
    const __m512i one = _mm512_set1_epi32(1), bias = _mm512_set1_epi32(0x7FFF);
    const __m512i expMask = _mm512_set1_epi32(0x7F800000), absMask = _mm512_set1_epi32(0x7FFFFFFF);
    int64_t i = 0;
    for (; i < n; i += 16) {
        const __mmask16 m = static_cast<__mmask16>(n - i >= 16 ? 0xFFFF : (1u << (n - i)) - 1);
        const __m512i u = _mm512_castps_si512(_mm512_maskz_loadu_ps(m, in + i));
        __m512i r = _mm512_add_epi32(
            u, _mm512_add_epi32(bias, _mm512_and_si512(_mm512_srli_epi32(u, 16), one)));
        r = _mm512_srli_epi32(r, 16);
        const __mmask16 denorm =
            _mm512_cmpeq_epi32_mask(_mm512_and_si512(u, expMask), _mm512_setzero_si512());
        r = _mm512_mask_mov_epi32(
            r, denorm, _mm512_and_si512(_mm512_srli_epi32(u, 16), _mm512_set1_epi32(0x8000)));
        const __mmask16 nan = _mm512_cmpgt_epi32_mask(_mm512_and_si512(u, absMask), expMask);
        r = _mm512_mask_mov_epi32(
            r, nan, _mm512_or_si512(_mm512_srli_epi32(u, 16), _mm512_set1_epi32(0x40)));
        _mm256_mask_storeu_epi16(out + i, m, _mm512_cvtepi32_epi16(r));
    }
}

#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif

// ---- AVX512_BF16: vdpbf16ps on bf16 pairs, 4 rows x 6 tokens (24 accumulators) ---------

#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx512f,avx512bw,avx512vl,avx512bf16"))),      \
                             apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx512f,avx512bw,avx512vl,avx512bf16")
#endif

namespace {

struct Bf16DpK
{
    static constexpr int kR = 4, kT = 6;
    static constexpr std::size_t kWBytes = 2, kXBytes = 2;
    template <int R, int T> static void tile(const GemmArgs &a, int64_t r, int64_t t)
    {
        const int64_t n = a.cols;
        const auto *w = static_cast<const uint16_t *>(a.w) + r * n;
        const auto *x = static_cast<const uint16_t *>(a.x) + t * n;
        __m512 acc[R][T];
        FIREDECK_UNROLL
        for (int i = 0; i < R; ++i)
            FIREDECK_UNROLL
        for (int j = 0; j < T; ++j)
            acc[i][j] = _mm512_setzero_ps();
        int64_t k = a.k0;
        for (; k + 32 <= a.k1; k += 32) {
            // The next 4 weight rows (the next tile's, usually still in memory at that point)
            // are fetched while these are multiplied: memory and dot products overlap when
            // there are few tokens per weight row.
            FIREDECK_UNROLL
            for (int i = 0; i < 4; ++i)
                _mm_prefetch(reinterpret_cast<const char *>(w + (R + i) * n + k), _MM_HINT_T0);
            __m512bh xv[T];
            FIREDECK_UNROLL
            for (int j = 0; j < T; ++j)
                xv[j] = (__m512bh)_mm512_loadu_si512(x + j * n + k);
            FIREDECK_UNROLL
            for (int i = 0; i < R; ++i) {
                const __m512bh wv = (__m512bh)_mm512_loadu_si512(w + i * n + k);
                FIREDECK_UNROLL
                for (int j = 0; j < T; ++j)
                    acc[i][j] = _mm512_dpbf16_ps(acc[i][j], wv, xv[j]);
            }
        }
        if (k < a.k1) {
            const __mmask32 m = static_cast<__mmask32>((uint64_t(1) << (a.k1 - k)) - 1);
            __m512bh xv[T];
            FIREDECK_UNROLL
            for (int j = 0; j < T; ++j)
                xv[j] = (__m512bh)_mm512_maskz_loadu_epi16(m, x + j * n + k);
            FIREDECK_UNROLL
            for (int i = 0; i < R; ++i) {
                const __m512bh wv = (__m512bh)_mm512_maskz_loadu_epi16(m, w + i * n + k);
                FIREDECK_UNROLL
                for (int j = 0; j < T; ++j)
                    acc[i][j] = _mm512_dpbf16_ps(acc[i][j], wv, xv[j]);
            }
        }
        storeTile<R, T>(a, r, t, acc);
    }
};

} // namespace

void gemmPanelAvx512Bf16Dp(const GemmArgs &a, int64_t r0, int64_t r1)
{
    panel<Bf16DpK>(a, r0, r1);
}

void toBf16Avx512Bf16(const float *in, uint16_t *out, int64_t n)
{
    int64_t i = 0;
    for (; i < n; i += 16) {
        const __mmask16 m = static_cast<__mmask16>(n - i >= 16 ? 0xFFFF : (1u << (n - i)) - 1);
        const __m256bh h = _mm512_cvtneps_pbh(_mm512_maskz_loadu_ps(m, in + i));
        _mm256_mask_storeu_epi16(out + i, m, (__m256i)h);
    }
}

#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif

#endif // FIREDECK_X86

} // namespace engine::cpu::detail
