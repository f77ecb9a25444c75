#include "kernels.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string_view>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#include <immintrin.h>
#define FIREDECK_X86 1
#endif

namespace engine::cpu {

namespace {

inline float bf16(uint16_t v)
{
    const uint32_t bits = static_cast<uint32_t>(v) << 16;
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
}

float dotF32Scalar(const void *wv, const float *x, int64_t n)
{
    const float *w = static_cast<const float *>(wv);
    float acc[4] = {0, 0, 0, 0};
    int64_t i = 0;
    for (; i + 4 <= n; i += 4)
        for (int j = 0; j < 4; ++j)
            acc[j] += w[i + j] * x[i + j];
    for (; i < n; ++i)
        acc[0] += w[i] * x[i];
    return (acc[0] + acc[1]) + (acc[2] + acc[3]);
}

float dotBF16Scalar(const void *wv, const float *x, int64_t n)
{
    const uint16_t *w = static_cast<const uint16_t *>(wv);
    float acc[4] = {0, 0, 0, 0};
    int64_t i = 0;
    for (; i + 4 <= n; i += 4)
        for (int j = 0; j < 4; ++j)
            acc[j] += bf16(w[i + j]) * x[i + j];
    for (; i < n; ++i)
        acc[0] += bf16(w[i]) * x[i];
    return (acc[0] + acc[1]) + (acc[2] + acc[3]);
}

float dotF16Scalar(const void *wv, const float *x, int64_t n)
{
    const uint16_t *w = static_cast<const uint16_t *>(wv);
    float acc = 0;
    float tmp;
    for (int64_t i = 0; i < n; ++i) {
        convertToF32(DType::F16, &w[i], &tmp, 1);
        acc += tmp * x[i];
    }
    return acc;
}

template <DotFn Dot>
void dot4Generic(const void *w, const float *x, int64_t stride, int64_t n, float *out)
{
    for (int j = 0; j < 4; ++j)
        out[j] = Dot(w, x + j * stride, n);
}

#ifdef FIREDECK_X86

// AVX2: 8 lanes, four independent accumulators (32 elements per step) hide the FMA latency.
__attribute__((target("avx2,fma,f16c"))) inline float hsum256(__m256 v)
{
    __m128 lo = _mm256_castps256_ps128(v), hi = _mm256_extractf128_ps(v, 1);
    lo = _mm_add_ps(lo, hi);
    lo = _mm_hadd_ps(lo, lo);
    lo = _mm_hadd_ps(lo, lo);
    return _mm_cvtss_f32(lo);
}

__attribute__((target("avx2,fma,f16c"))) inline __m256 loadBF16x8(const uint16_t *p)
{
    __m128i h = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p));
    return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(h), 16));
}

__attribute__((target("avx2,fma,f16c"))) inline __m256 loadF16x8(const uint16_t *p)
{
    return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i *>(p)));
}

__attribute__((target("avx2,fma,f16c"))) inline __m256 loadF32x8(const float *p)
{
    return _mm256_loadu_ps(p);
}

#define FIREDECK_AVX2_DOT(NAME, ELEM, LOAD, SCALAR)                                                \
    __attribute__((target("avx2,fma,f16c"))) float NAME(const void *wv, const float *x, int64_t n) \
    {                                                                                              \
        const ELEM *w = static_cast<const ELEM *>(wv);                                             \
        __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps(), a2 = _mm256_setzero_ps(),       \
               a3 = _mm256_setzero_ps();                                                           \
        int64_t i = 0;                                                                             \
        for (; i + 32 <= n; i += 32) {                                                             \
            a0 = _mm256_fmadd_ps(LOAD(w + i), _mm256_loadu_ps(x + i), a0);                         \
            a1 = _mm256_fmadd_ps(LOAD(w + i + 8), _mm256_loadu_ps(x + i + 8), a1);                 \
            a2 = _mm256_fmadd_ps(LOAD(w + i + 16), _mm256_loadu_ps(x + i + 16), a2);               \
            a3 = _mm256_fmadd_ps(LOAD(w + i + 24), _mm256_loadu_ps(x + i + 24), a3);               \
        }                                                                                          \
        for (; i + 8 <= n; i += 8)                                                                 \
            a0 = _mm256_fmadd_ps(LOAD(w + i), _mm256_loadu_ps(x + i), a0);                         \
        float s = hsum256(_mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3)));            \
        if (i < n)                                                                                 \
            s += SCALAR(w + i, x + i, n - i);                                                      \
        return s;                                                                                  \
    }

FIREDECK_AVX2_DOT(dotF32Avx2, float, loadF32x8, dotF32Scalar)
FIREDECK_AVX2_DOT(dotBF16Avx2, uint16_t, loadBF16x8, dotBF16Scalar)
FIREDECK_AVX2_DOT(dotF16Avx2, uint16_t, loadF16x8, dotF16Scalar)

// Four tokens per weight load: 4 accumulators (one per token) of 8 lanes.
#define FIREDECK_AVX2_DOT4(NAME, ELEM, LOAD, SCALAR)                                               \
    __attribute__((target("avx2,fma,f16c"))) void NAME(const void *wv, const float *x,             \
                                                       int64_t stride, int64_t n, float *out)      \
    {                                                                                              \
        const ELEM *w = static_cast<const ELEM *>(wv);                                             \
        const float *x0 = x, *x1 = x + stride, *x2 = x + 2 * stride, *x3 = x + 3 * stride;         \
        __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps(), a2 = _mm256_setzero_ps(),       \
               a3 = _mm256_setzero_ps();                                                           \
        int64_t i = 0;                                                                             \
        for (; i + 8 <= n; i += 8) {                                                               \
            const __m256 wv8 = LOAD(w + i);                                                        \
            a0 = _mm256_fmadd_ps(wv8, _mm256_loadu_ps(x0 + i), a0);                                \
            a1 = _mm256_fmadd_ps(wv8, _mm256_loadu_ps(x1 + i), a1);                                \
            a2 = _mm256_fmadd_ps(wv8, _mm256_loadu_ps(x2 + i), a2);                                \
            a3 = _mm256_fmadd_ps(wv8, _mm256_loadu_ps(x3 + i), a3);                                \
        }                                                                                          \
        out[0] = hsum256(a0);                                                                      \
        out[1] = hsum256(a1);                                                                      \
        out[2] = hsum256(a2);                                                                      \
        out[3] = hsum256(a3);                                                                      \
        if (i < n)                                                                                 \
            for (int j = 0; j < 4; ++j)                                                            \
                out[j] += SCALAR(w + i, x + j * stride + i, n - i);                                \
    }

FIREDECK_AVX2_DOT4(dot4F32Avx2, float, loadF32x8, dotF32Scalar)
FIREDECK_AVX2_DOT4(dot4BF16Avx2, uint16_t, loadBF16x8, dotBF16Scalar)
FIREDECK_AVX2_DOT4(dot4F16Avx2, uint16_t, loadF16x8, dotF16Scalar)

// AVX-512: 16 lanes, four accumulators = 64 elements per step (one 128-byte bf16 row chunk).
__attribute__((target("avx512f,avx512bw"))) inline __m512 loadBF16x16(const uint16_t *p)
{
    __m256i h = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(p));
    return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(h), 16));
}

__attribute__((target("avx512f,avx512bw"))) inline __m512 loadF16x16(const uint16_t *p)
{
    return _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i *>(p)));
}

__attribute__((target("avx512f,avx512bw"))) inline __m512 loadF32x16(const float *p)
{
    return _mm512_loadu_ps(p);
}

#define FIREDECK_AVX512_DOT(NAME, ELEM, LOAD, SCALAR)                                              \
    __attribute__((target("avx512f,avx512bw"))) float NAME(const void *wv, const float *x,         \
                                                           int64_t n)                              \
    {                                                                                              \
        const ELEM *w = static_cast<const ELEM *>(wv);                                             \
        __m512 a0 = _mm512_setzero_ps(), a1 = _mm512_setzero_ps(), a2 = _mm512_setzero_ps(),       \
               a3 = _mm512_setzero_ps();                                                           \
        int64_t i = 0;                                                                             \
        for (; i + 64 <= n; i += 64) {                                                             \
            a0 = _mm512_fmadd_ps(LOAD(w + i), _mm512_loadu_ps(x + i), a0);                         \
            a1 = _mm512_fmadd_ps(LOAD(w + i + 16), _mm512_loadu_ps(x + i + 16), a1);               \
            a2 = _mm512_fmadd_ps(LOAD(w + i + 32), _mm512_loadu_ps(x + i + 32), a2);               \
            a3 = _mm512_fmadd_ps(LOAD(w + i + 48), _mm512_loadu_ps(x + i + 48), a3);               \
        }                                                                                          \
        for (; i + 16 <= n; i += 16)                                                               \
            a0 = _mm512_fmadd_ps(LOAD(w + i), _mm512_loadu_ps(x + i), a0);                         \
        float s =                                                                                  \
            _mm512_reduce_add_ps(_mm512_add_ps(_mm512_add_ps(a0, a1), _mm512_add_ps(a2, a3)));     \
        if (i < n)                                                                                 \
            s += SCALAR(w + i, x + i, n - i);                                                      \
        return s;                                                                                  \
    }

FIREDECK_AVX512_DOT(dotF32Avx512, float, loadF32x16, dotF32Scalar)
FIREDECK_AVX512_DOT(dotBF16Avx512, uint16_t, loadBF16x16, dotBF16Scalar)
FIREDECK_AVX512_DOT(dotF16Avx512, uint16_t, loadF16x16, dotF16Scalar)

// Four tokens per weight load: 4 accumulators (one per token) of 16 lanes.
#define FIREDECK_AVX512_DOT4(NAME, ELEM, LOAD, SCALAR)                                             \
    __attribute__((target("avx512f,avx512bw"))) void NAME(const void *wv, const float *x,          \
                                                          int64_t stride, int64_t n, float *out)   \
    {                                                                                              \
        const ELEM *w = static_cast<const ELEM *>(wv);                                             \
        const float *x0 = x, *x1 = x + stride, *x2 = x + 2 * stride, *x3 = x + 3 * stride;         \
        __m512 a0 = _mm512_setzero_ps(), a1 = _mm512_setzero_ps(), a2 = _mm512_setzero_ps(),       \
               a3 = _mm512_setzero_ps();                                                           \
        int64_t i = 0;                                                                             \
        for (; i + 16 <= n; i += 16) {                                                             \
            const __m512 wv16 = LOAD(w + i);                                                       \
            a0 = _mm512_fmadd_ps(wv16, _mm512_loadu_ps(x0 + i), a0);                               \
            a1 = _mm512_fmadd_ps(wv16, _mm512_loadu_ps(x1 + i), a1);                               \
            a2 = _mm512_fmadd_ps(wv16, _mm512_loadu_ps(x2 + i), a2);                               \
            a3 = _mm512_fmadd_ps(wv16, _mm512_loadu_ps(x3 + i), a3);                               \
        }                                                                                          \
        out[0] = _mm512_reduce_add_ps(a0);                                                         \
        out[1] = _mm512_reduce_add_ps(a1);                                                         \
        out[2] = _mm512_reduce_add_ps(a2);                                                         \
        out[3] = _mm512_reduce_add_ps(a3);                                                         \
        if (i < n)                                                                                 \
            for (int j = 0; j < 4; ++j)                                                            \
                out[j] += SCALAR(w + i, x + j * stride + i, n - i);                                \
    }

FIREDECK_AVX512_DOT4(dot4F32Avx512, float, loadF32x16, dotF32Scalar)
FIREDECK_AVX512_DOT4(dot4BF16Avx512, uint16_t, loadBF16x16, dotBF16Scalar)
FIREDECK_AVX512_DOT4(dot4F16Avx512, uint16_t, loadF16x16, dotF16Scalar)

#endif

using namespace detail;

DotKernels makeScalar()
{
    DotKernels k;
    k.isa = "scalar";
    k.f32 = dotF32Scalar;
    k.f16 = dotF16Scalar;
    k.bf16 = dotBF16Scalar;
    k.f32x4 = dot4Generic<dotF32Scalar>;
    k.f16x4 = dot4Generic<dotF16Scalar>;
    k.bf16x4 = dot4Generic<dotBF16Scalar>;
    k.gemmF32 = gemmPanelScalarF32;
    k.gemmF16 = gemmPanelScalarF16;
    k.gemmBF16 = gemmPanelScalarBF16;
    k.gemmBF16xBF16 = gemmPanelScalarBF16xBF16;
    k.attendF32 = attendScalarF32;
    k.attendBF16 = attendScalarBF16;
    k.attendF16 = attendScalarF16;
    k.attendTileF32 = attendTileScalarF32;
    k.attendTileBF16 = attendTileScalarBF16;
    k.attendTileF16 = attendTileScalarF16;
    k.toBf16 = toBf16Scalar;
    k.toF16 = toF16Scalar;
    k.swiGlu = swiGluScalar;
    return k;
}
const DotKernels kScalar = makeScalar();
#ifdef FIREDECK_X86
DotKernels makeAvx2()
{
    DotKernels k = makeScalar();
    k.isa = "avx2";
    k.f32 = dotF32Avx2;
    k.f16 = dotF16Avx2;
    k.bf16 = dotBF16Avx2;
    k.f32x4 = dot4F32Avx2;
    k.f16x4 = dot4F16Avx2;
    k.bf16x4 = dot4BF16Avx2;
    k.gemmF32 = gemmPanelAvx2F32;
    k.gemmF16 = gemmPanelAvx2F16;
    k.gemmBF16 = gemmPanelAvx2BF16;
    k.gemmBF16xBF16 = gemmPanelAvx2BF16xBF16;
    k.attendF32 = attendAvx2F32;
    k.attendBF16 = attendAvx2BF16;
    k.attendF16 = attendAvx2F16;
    k.attendTileF32 = attendTileAvx2F32;
    k.attendTileBF16 = attendTileAvx2BF16;
    k.attendTileF16 = attendTileAvx2F16;
    k.swiGlu = swiGluAvx2;
    k.toF16 = toF16Avx2;
    return k;
}
DotKernels makeAvx512()
{
    DotKernels k;
    k.isa = "avx512";
    k.f32 = dotF32Avx512;
    k.f16 = dotF16Avx512;
    k.bf16 = dotBF16Avx512;
    k.f32x4 = dot4F32Avx512;
    k.f16x4 = dot4F16Avx512;
    k.bf16x4 = dot4BF16Avx512;
    k.gemmF32 = gemmPanelAvx512F32;
    k.gemmF16 = gemmPanelAvx512F16;
    k.gemmBF16 = gemmPanelAvx512BF16;
    k.gemmBF16xBF16 = gemmPanelAvx512BF16xBF16;
    k.attendF32 = attendAvx512F32;
    k.attendBF16 = attendAvx512BF16;
    k.attendF16 = attendAvx512F16;
    k.attendTileF32 = attendTileAvx512F32;
    k.attendTileBF16 = attendTileAvx512BF16;
    k.attendTileF16 = attendTileAvx512F16;
    k.toBf16 = toBf16Avx512;
    k.toF16 = toF16Avx512;
    k.swiGlu = swiGluAvx512;
    return k;
}
DotKernels makeAvx512Bf16()
{
    DotKernels k = makeAvx512();
    k.isa = "avx512bf16";
    k.gemmBF16xBF16 = gemmPanelAvx512Bf16Dp;
    k.toBf16 = toBf16Avx512Bf16;
    return k;
}
const DotKernels kAvx2 = makeAvx2();
const DotKernels kAvx512 = makeAvx512();
const DotKernels kAvx512Bf16 = makeAvx512Bf16();
#endif

} // namespace

#ifdef FIREDECK_X86
//! F16C from CPUID leaf 1 (clang's __builtin_cpu_supports does not know "f16c").
static bool cpuHasF16c()
{
    unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
    return __get_cpuid(1, &eax, &ebx, &ecx, &edx) && (ecx & bit_F16C) != 0;
}
#endif

const DotKernels *dotKernelsFor(const char *isa)
{
    const std::string_view name(isa);
    if (name == "scalar")
        return &kScalar;
#ifdef FIREDECK_X86
    __builtin_cpu_init();
    const bool avx512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                        __builtin_cpu_supports("avx512vl");
    if (name == "avx2" && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") &&
        cpuHasF16c())
        return &kAvx2;
    if (name == "avx512" && avx512)
        return &kAvx512;
    if (name == "avx512bf16" && avx512 && __builtin_cpu_supports("avx512bf16"))
        return &kAvx512Bf16;
#endif
    return nullptr;
}

const DotKernels &bestDotKernels()
{
    static const DotKernels *best = [] {
        if (const char *forced = std::getenv("FIREDECK_ENGINE_ISA"))
            if (const DotKernels *k = dotKernelsFor(forced))
                return k;
        for (const char *isa : kIsaNames)
            if (const DotKernels *k = dotKernelsFor(isa))
                return k;
        return &kScalar;
    }();
    return *best;
}

void matmul(ThreadPool &pool, const DotKernels &k, const Weight &w, const float *x, int64_t tokens,
            float *out, uint16_t *xBf16)
{
    const MatmulJob job{&w, out};
    matmulGroup(pool, k, &job, 1, x, tokens, xBf16);
}

void matmulGroup(ThreadPool &pool, const DotKernels &k, const MatmulJob *jobs, int count,
                 const float *x, int64_t tokens, uint16_t *xBf16)
{
    constexpr int kMaxJobs = 8;
    if (count > kMaxJobs) {
        matmulGroup(pool, k, jobs, kMaxJobs, x, tokens, xBf16);
        matmulGroup(pool, k, jobs + kMaxJobs, count - kMaxJobs, x, tokens, xBf16);
        return;
    }
    if (count <= 0)
        return;
    const int64_t cols = jobs[0].w->cols;
    // Work items over the concatenated rows of every job: groups of 4 rows (the GEMM's
    // register tile height) for prefill, single rows for decode. ends[j] = first item past job j.
    const bool gemm = tokens >= kGemmMinTokens;
    const int64_t unit = gemm ? 4 : 1;
    int64_t ends[kMaxJobs], macs = 0;
    for (int j = 0; j < count; ++j) {
        ends[j] = (j ? ends[j - 1] : 0) + (jobs[j].w->rows + unit - 1) / unit;
        macs += jobs[j].w->rows * cols * tokens;
    }
    // Below ~64K multiply-adds a dispatch costs more than it saves (tiny models, LoRA A/B).
    const bool small = macs < (int64_t(1) << 16);
    auto forItems = [&](auto &&fn) {
        auto body = [&](int64_t b, int64_t e, int) {
            for (int j = 0; j < count && b < e; ++j) {
                const int64_t start = j ? ends[j - 1] : 0;
                if (b >= ends[j])
                    continue;
                const int64_t stop = std::min(e, ends[j]);
                fn(jobs[j], b - start, stop - start);
                b = stop;
            }
        };
        if (small)
            body(0, ends[count - 1], 0);
        else
            pool.parallelFor(ends[count - 1], body);
    };
    if (gemm) {
        // Prefill: the blocked GEMM; each thread blocks its rows and the tokens for the caches
        // itself. Activations are rounded to bf16 once for every job with bf16 weights.
        bool bf16 = false;
        for (int j = 0; j < count; ++j)
            bf16 = bf16 || (xBf16 && jobs[j].w->dtype == DType::BF16);
        if (bf16) {
            auto convert = [&](int64_t b, int64_t e, int) {
                k.toBf16(x + b * cols, xBf16 + b * cols, (e - b) * cols);
            };
            if (small)
                convert(0, tokens, 0);
            else
                pool.parallelFor(tokens, convert);
        }
        forItems([&](const MatmulJob &job, int64_t gb, int64_t ge) {
            const Weight &w = *job.w;
            detail::GemmArgs a{w.data, w.rows, cols, x, tokens, job.out};
            detail::GemmPanelFn fn = k.gemmForDType(w.dtype);
            if (bf16 && w.dtype == DType::BF16) {
                a.x = xBf16;
                fn = k.gemmBF16xBF16;
            }
            fn(a, gb * 4, std::min(w.rows, ge * 4));
        });
        return;
    }
    // Decode: rows are split across threads; each weight row is read from memory once.
    forItems([&](const MatmulJob &job, int64_t rb, int64_t re) {
        const Weight &w = *job.w;
        const DotFn dot = k.forDType(w.dtype);
        const Dot4Fn dot4 = k.forDType4(w.dtype);
        const std::size_t rowBytes = static_cast<std::size_t>(cols) * dtypeSize(w.dtype);
        const auto *base = static_cast<const unsigned char *>(w.data);
        float *out = job.out;
        for (int64_t r = rb; r < re; ++r) {
            const void *row = base + static_cast<std::size_t>(r) * rowBytes;
            int64_t t = 0;
            float four[4];
            for (; t + 4 <= tokens; t += 4) {
                dot4(row, x + t * cols, cols, cols, four);
                for (int j = 0; j < 4; ++j)
                    out[(t + j) * w.rows + r] = four[j];
            }
            for (; t < tokens; ++t)
                out[t * w.rows + r] = dot(row, x + t * cols, cols);
        }
    });
}

void rmsnorm(const float *x, const float *weight, float *out, int64_t n, float eps)
{
    double ss = 0;
    for (int64_t i = 0; i < n; ++i)
        ss += double(x[i]) * x[i];
    const float inv = 1.0f / std::sqrt(static_cast<float>(ss / n) + eps);
    for (int64_t i = 0; i < n; ++i)
        out[i] = weight[i] * (x[i] * inv);
}

} // namespace engine::cpu
