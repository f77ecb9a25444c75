#pragma once

// cudasim: nvcuda::wmma (warp matrix multiply-accumulate) for the 16x16x16 shapes with bf16 /
// fp16 inputs and fp32 accumulators. Every lane of the warp holds the whole tile here (on a
// device each holds a share in an unspecified layout), so element-wise loops over
// `num_elements` / `x[]` give the same tile either way; code that assumes a per-lane layout is
// not portable and is not supported. Each operation is warp-collective, as on a device: the
// lanes meet at a warp barrier, so calling one from divergent code fails the launch, and so do
// the pointer alignment (32 bytes) and leading-dimension rules.

#include <engine/cuda/sim/device.h>

#include <cstdint>
#include <type_traits>

namespace nvcuda::wmma {

struct matrix_a
{
};
struct matrix_b
{
};
struct accumulator
{
};
struct row_major
{
};
struct col_major
{
};
enum layout_t { mem_row_major, mem_col_major };

namespace detail {
template <typename Use, int M, int N, int K> struct Shape;
template <int M, int N, int K> struct Shape<matrix_a, M, N, K>
{
    static constexpr int rows = M, cols = K;
};
template <int M, int N, int K> struct Shape<matrix_b, M, N, K>
{
    static constexpr int rows = K, cols = N;
};
template <int M, int N, int K> struct Shape<accumulator, M, N, K>
{
    static constexpr int rows = M, cols = N;
};
} // namespace detail

//! Storage is the logical tile, row-major: x[r * cols + c].
template <typename Use, int M, int N, int K, typename T, typename Layout = void> struct fragment
{
    static_assert(M == 16 && N == 16 && K == 16, "cudasim implements the m16n16k16 shape");
    static constexpr int rows = detail::Shape<Use, M, N, K>::rows;
    static constexpr int cols = detail::Shape<Use, M, N, K>::cols;
    static constexpr int num_elements = rows * cols;
    T x[num_elements];
};

namespace detail {
inline float widen(float v)
{
    return v;
}
inline float widen(__nv_bfloat16 v)
{
    return __bfloat162float(v);
}
inline float widen(__half v)
{
    return __half2float(v);
}
//! The warp-collective part of every operation, plus its memory rules.
inline void collective(const void *p, unsigned ldm, std::size_t elementBytes, const char *what)
{
    if (p && reinterpret_cast<uintptr_t>(p) % 32 != 0)
        ::cudasim::failLaunch(std::string(what) + ": pointer not 32-byte aligned");
    if (p && (ldm * elementBytes) % 16 != 0)
        ::cudasim::failLaunch(std::string(what) + ": ldm not a multiple of 16 bytes");
    const int token = 0;
    int out = 0;
    ::cudasim::warpExchange(0xffffffffu, &token, &out, sizeof token, ::cudasim::xorLane, 0);
}
template <typename Layout> constexpr bool isColMajor()
{
    return std::is_same_v<Layout, col_major>;
}
} // namespace detail

template <typename Use, int M, int N, int K, typename T, typename Layout>
void fill_fragment(fragment<Use, M, N, K, T, Layout> &f, T value)
{
    detail::collective(nullptr, 0, 1, "fill_fragment");
    for (int i = 0; i < f.num_elements; ++i)
        f.x[i] = value;
}

//! matrix_a / matrix_b: the layout is the fragment's.
template <typename Use, int M, int N, int K, typename T, typename Layout>
void load_matrix_sync(fragment<Use, M, N, K, T, Layout> &f, const T *p, unsigned ldm)
{
    static_assert(!std::is_same_v<Use, accumulator>, "accumulators take a layout_t");
    detail::collective(p, ldm, sizeof(T), "load_matrix_sync");
    using F = fragment<Use, M, N, K, T, Layout>;
    for (int r = 0; r < F::rows; ++r)
        for (int c = 0; c < F::cols; ++c)
            f.x[r * F::cols + c] = detail::isColMajor<Layout>() ? p[c * ldm + r] : p[r * ldm + c];
}

template <int M, int N, int K>
void load_matrix_sync(fragment<accumulator, M, N, K, float> &f, const float *p, unsigned ldm,
                      layout_t layout)
{
    detail::collective(p, ldm, sizeof(float), "load_matrix_sync");
    for (int r = 0; r < M; ++r)
        for (int c = 0; c < N; ++c)
            f.x[r * N + c] = layout == mem_col_major ? p[c * ldm + r] : p[r * ldm + c];
}

template <int M, int N, int K>
void store_matrix_sync(float *p, const fragment<accumulator, M, N, K, float> &f, unsigned ldm,
                       layout_t layout)
{
    detail::collective(p, ldm, sizeof(float), "store_matrix_sync");
    for (int r = 0; r < M; ++r)
        for (int c = 0; c < N; ++c)
            (layout == mem_col_major ? p[c * ldm + r] : p[r * ldm + c]) = f.x[r * N + c];
}

//! d = a · b + c with fp32 accumulation.
template <int M, int N, int K, typename T, typename LA, typename LB>
void mma_sync(fragment<accumulator, M, N, K, float> &d, const fragment<matrix_a, M, N, K, T, LA> &a,
              const fragment<matrix_b, M, N, K, T, LB> &b,
              const fragment<accumulator, M, N, K, float> &c)
{
    detail::collective(nullptr, 0, 1, "mma_sync");
    float out[M * N];
    for (int i = 0; i < M; ++i)
        for (int j = 0; j < N; ++j) {
            float acc = c.x[i * N + j];
            for (int k = 0; k < K; ++k)
                acc += detail::widen(a.x[i * K + k]) * detail::widen(b.x[k * N + j]);
            out[i * N + j] = acc;
        }
    for (int i = 0; i < M * N; ++i)
        d.x[i] = out[i];
}

} // namespace nvcuda::wmma
