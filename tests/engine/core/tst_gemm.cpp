// The prefill GEMM, the bf16 activation rounding and the KV-cache attention of every kernel
// path this CPU supports, against double-precision references with error bounds derived from
// the arithmetic (not tuned to what the kernels happen to produce):
//
// - fp32 accumulation of n products, in any order, with or without FMA: |computed − exact| ≤
//   γ(n)·Σ|w·x|, γ(n) = n·u/(1 − n·u), u = 2⁻²⁴ (Higham, Accuracy and Stability, §3.1).
// - bf16 activations: x is rounded to the nearest bf16, |bf16(x) − x| ≤ 2⁻⁸·|x| (8 significant
//   bits), and a bf16 x bf16 product is exact in fp32 (8 + 8 ≤ 24 bits), so against the
//   unrounded exact sum the bound is (2⁻⁸ + γ(n)·(1 + 2⁻⁸))·Σ|w·x|; against the exact sum of
//   w·bf16(x) it is the plain γ(n) bound, which checks that every path rounds the same way.

#include <engine/cpu/kernels.h>
#include <engine/cpu/reference.h>
#include <engine/safetensors/safetensorswriter.h>

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>
#include <vector>

using namespace engine;

namespace {

constexpr double kU32 = 1.0 / (1 << 24);  // fp32 unit roundoff
constexpr double kUBf16 = 1.0 / (1 << 8); // bf16 unit roundoff

double gamma(int64_t n)
{
    return n * kU32 / (1 - n * kU32);
}

std::vector<unsigned char> encode(const std::vector<float> &v, DType dt)
{
    return encodeFloats(v, dt);
}

std::vector<float> randomVector(std::mt19937 &rng, std::size_t n)
{
    std::normal_distribution<float> d(0.0f, 1.0f);
    std::vector<float> v(n);
    for (float &x : v)
        x = d(rng);
    return v;
}

float bf16RoundScalar(float x)
{
    uint16_t h;
    cpu::dotKernelsFor("scalar")->toBf16(&x, &h, 1);
    const uint32_t u = static_cast<uint32_t>(h) << 16;
    float f;
    std::memcpy(&f, &u, 4);
    return f;
}

struct Shape
{
    int64_t rows, cols, tokens;
};

// Shapes that hit every edge: rows not a multiple of the 4-row tile, tokens not a multiple of
// the 3/4/6-token tiles, cols with vector tails (16, 32 lanes), and panels/token blocks larger
// than one cache block (cols 4864 x 40 tokens: more than one activation block).
const Shape kShapes[] = {{1, 1, 4},     {5, 7, 5},       {13, 33, 7},   {64, 64, 16},
                         {37, 100, 13}, {96, 896, 25},   {130, 129, 6}, {24, 4864, 40},
                         {300, 64, 4},  {8, 4864 + 5, 9}};

} // namespace

TEST(Gemm, everyPathAndDtype_matchesExactSumWithinFp32Bound)
{
    std::mt19937 rng(7);
    cpu::ThreadPool pool(2);
    for (const Shape &s : kShapes) {
        const auto wf = randomVector(rng, static_cast<std::size_t>(s.rows * s.cols));
        const auto x = randomVector(rng, static_cast<std::size_t>(s.tokens * s.cols));
        for (DType dt : {DType::F32, DType::F16, DType::BF16}) {
            const auto wb = encode(wf, dt);
            std::vector<float> wq(wf.size());
            convertToF32(dt, wb.data(), wq.data(), wq.size());
            for (const char *isa : cpu::kIsaNames) {
                const cpu::DotKernels *k = cpu::dotKernelsFor(isa);
                if (!k)
                    continue;
                std::vector<float> out(static_cast<std::size_t>(s.tokens * s.rows), NAN);
                cpu::matmul(pool, *k, Weight{dt, wb.data(), s.rows, s.cols}, x.data(), s.tokens,
                            out.data());
                for (int64_t t = 0; t < s.tokens; ++t)
                    for (int64_t r = 0; r < s.rows; ++r) {
                        double exact = 0, mag = 0;
                        for (int64_t i = 0; i < s.cols; ++i) {
                            const double p = double(wq[r * s.cols + i]) * x[t * s.cols + i];
                            exact += p;
                            mag += std::fabs(p);
                        }
                        const double got = out[t * s.rows + r];
                        ASSERT_LE(std::fabs(got - exact), gamma(s.cols) * mag)
                            << isa << " " << dtypeName(dt) << " " << s.rows << "x" << s.cols << "x"
                            << s.tokens << " at t=" << t << " r=" << r;
                    }
            }
        }
    }
}

TEST(Gemm, bf16Activations_roundLikeTheReferenceOnEveryPath)
{
    std::mt19937 rng(11);
    cpu::ThreadPool pool(2);
    int64_t beyondFp32Bound = 0;
    for (const Shape &s : kShapes) {
        const auto wf = randomVector(rng, static_cast<std::size_t>(s.rows * s.cols));
        const auto x = randomVector(rng, static_cast<std::size_t>(s.tokens * s.cols));
        const auto wb = encode(wf, DType::BF16);
        std::vector<float> wq(wf.size()), xr(x.size());
        convertToF32(DType::BF16, wb.data(), wq.data(), wq.size());
        for (std::size_t i = 0; i < x.size(); ++i)
            xr[i] = cpu::ref::roundToBf16(x[i]);
        for (const char *isa : cpu::kIsaNames) {
            const cpu::DotKernels *k = cpu::dotKernelsFor(isa);
            if (!k)
                continue;
            std::vector<float> out(static_cast<std::size_t>(s.tokens * s.rows), NAN);
            std::vector<uint16_t> scratch(x.size());
            cpu::matmul(pool, *k, Weight{DType::BF16, wb.data(), s.rows, s.cols}, x.data(),
                        s.tokens, out.data(), scratch.data());
            for (int64_t t = 0; t < s.tokens; ++t)
                for (int64_t r = 0; r < s.rows; ++r) {
                    double exact = 0, mag = 0, rounded = 0, magR = 0;
                    for (int64_t i = 0; i < s.cols; ++i) {
                        const double w = wq[r * s.cols + i];
                        exact += w * x[t * s.cols + i];
                        mag += std::fabs(w * x[t * s.cols + i]);
                        rounded += w * xr[t * s.cols + i];
                        magR += std::fabs(w * xr[t * s.cols + i]);
                    }
                    const double got = out[t * s.rows + r];
                    if (s.tokens < cpu::kGemmMinTokens)
                        continue;
                    ASSERT_LE(std::fabs(got - rounded), gamma(s.cols) * magR)
                        << isa << " " << s.rows << "x" << s.cols << "x" << s.tokens << " at t=" << t
                        << " r=" << r << " (bf16-rounded activations)";
                    ASSERT_LE(std::fabs(got - exact), (kUBf16 + gamma(s.cols) * (1 + kUBf16)) * mag)
                        << isa << " at t=" << t << " r=" << r << " (unrounded activations)";
                    beyondFp32Bound += std::fabs(got - exact) > gamma(s.cols) * mag;
                }
        }
    }
    // The rounding is really there: many results are outside what fp32 activations allow.
    EXPECT_GT(beyondFp32Bound, 100);
}

TEST(Gemm, toBf16_isRoundToNearestEvenOnEveryPath)
{
    std::vector<float> v = {0.f,
                            -0.f,
                            1.f,
                            -1.f,
                            1.00390625f /* tie, even down */,
                            1.01171875f /* tie, odd up */,
                            3.4e38f,
                            -3.4e38f,
                            INFINITY,
                            -INFINITY,
                            1e-39f /* denormal */,
                            -1e-39f,
                            1.17549435e-38f};
    uint32_t nanBits = 0x7F800001u; // signalling NaN payload: must stay NaN
    float nan;
    std::memcpy(&nan, &nanBits, 4);
    v.push_back(nan);
    std::mt19937 rng(3);
    for (float f : randomVector(rng, 1000))
        v.push_back(f * 1000);
    for (const char *isa : cpu::kIsaNames) {
        const cpu::DotKernels *k = cpu::dotKernelsFor(isa);
        if (!k)
            continue;
        // Every length up to 40 (vector tails), then all at once.
        for (std::size_t n : {std::size_t(1), std::size_t(17), std::size_t(40), v.size()}) {
            std::vector<uint16_t> got(n, 0xDEAD);
            k->toBf16(v.data(), got.data(), static_cast<int64_t>(n));
            for (std::size_t i = 0; i < n; ++i) {
                uint32_t u;
                std::memcpy(&u, &v[i], 4);
                uint16_t want;
                if ((u & 0x7FFFFFFFu) > 0x7F800000u)
                    want = static_cast<uint16_t>((u >> 16) | 0x40u);
                else if ((u & 0x7F800000u) == 0)
                    want = static_cast<uint16_t>((u >> 16) & 0x8000u);
                else
                    want = static_cast<uint16_t>((u + 0x7FFFu + ((u >> 16) & 1u)) >> 16);
                ASSERT_EQ(got[i], want) << isa << " value " << v[i] << " n=" << n;
            }
        }
    }
    EXPECT_EQ(bf16RoundScalar(1.00390625f), 1.0f);
    EXPECT_EQ(bf16RoundScalar(1.01171875f), 1.015625f);
}

TEST(Gemm, toF16_isRoundToNearestEvenSaturatedOnEveryPath)
{
    std::vector<float> v = {0.f,
                            -0.f,
                            1.f,
                            -1.f,
                            65504.f,
                            65519.f,
                            65520.f,
                            1e6f,
                            -1e6f,
                            INFINITY,
                            -INFINITY,
                            6.1035156e-05f /* 2^-14 */,
                            5.9604645e-08f /* 2^-24 */,
                            2.9802322e-08f /* 2^-25: tie to 0 */,
                            8.940697e-08f /* 1.5 x 2^-24: tie to even 2 */,
                            1e-10f,
                            1.00048828125f /* 1 + 2^-11: tie to even 1 */,
                            1.00146484375f /* 1 + 3 x 2^-11: tie to even up */};
    std::mt19937 rng(5);
    for (float f : randomVector(rng, 2000))
        v.push_back(f * 100);
    for (float f : randomVector(rng, 200))
        v.push_back(f * 1e-5f); // subnormal f16 range
    for (const char *isa : cpu::kIsaNames) {
        const cpu::DotKernels *k = cpu::dotKernelsFor(isa);
        if (!k)
            continue;
        for (std::size_t n : {std::size_t(1), std::size_t(17), v.size()}) {
            std::vector<uint16_t> got(n, 0xDEAD);
            k->toF16(v.data(), got.data(), static_cast<int64_t>(n));
            for (std::size_t i = 0; i < n; ++i) {
                // Nearest f16 by exhaustive comparison over the neighbours of the result.
                float back;
                convertToF32(DType::F16, &got[i], &back, 1);
                const double want = std::clamp(double(v[i]), -65504.0, 65504.0);
                ASSERT_FALSE(std::isinf(back)) << isa << " " << v[i];
                for (int dlt : {-1, 1}) {
                    const uint16_t nb = static_cast<uint16_t>(got[i] + dlt);
                    float other;
                    convertToF32(DType::F16, &nb, &other, 1);
                    if (std::isnan(other) || std::isinf(other) || ((nb ^ got[i]) & 0x8000))
                        continue;
                    const double eb = std::fabs(back - want), eo = std::fabs(other - want);
                    ASSERT_TRUE(eb < eo || (eb == eo && (got[i] & 1) == 0))
                        << isa << " value " << v[i] << " -> " << back << " but " << other
                        << " is nearer (or the even tie)";
                }
            }
        }
    }
}

// Attention over a bf16 (or fp32) cache against a double-precision softmax of the same cached
// values. Bound: each score s_j = scale·q·k_j is off by at most e_s = γ(d)·scale·Σ|q·k_j|; the
// exponentials add 4 fp32 ulps of relative error (argument rounding and the polynomial), so
// each weight p_j = exp(s_j − m) has relative error δ ≤ e^(2·e_s) − 1 + 4u, and the normalized
// output Σ p_j v_j / Σ p_j is off by at most (2δ + γ(n + 2))·max|v| (n keys).
TEST(Attention, everyPathAndCacheDtype_matchesDoubleSoftmax)
{
    std::mt19937 rng(19);
    for (int64_t d : {8, 16, 32, 48, 64, 80, 128}) {
        for (int64_t heads : {1, 3, 7}) {
            for (int64_t nKeys : {1, 5, 31, 32, 33, 100, 700}) {
                const auto q = randomVector(rng, static_cast<std::size_t>(heads * d));
                auto kf = randomVector(rng, static_cast<std::size_t>(nKeys * d));
                auto vf = randomVector(rng, static_cast<std::size_t>(nKeys * d));
                for (float &f : kf)
                    f *= 2.0f; // sharper softmax
                for (DType kvt : {DType::F32, DType::F16, DType::BF16}) {
                    const auto kb = encode(kf, kvt), vb = encode(vf, kvt);
                    std::vector<float> kq(kf.size()), vq(vf.size());
                    convertToF32(kvt, kb.data(), kq.data(), kq.size());
                    convertToF32(kvt, vb.data(), vq.data(), vq.size());
                    const float scale = 1.0f / std::sqrt(float(d));
                    const int64_t first = nKeys > 3 ? 2 : 0, last = nKeys - 1;
                    for (const char *isa : cpu::kIsaNames) {
                        const cpu::DotKernels *k = cpu::dotKernelsFor(isa);
                        if (!k)
                            continue;
                        std::vector<float> out(static_cast<std::size_t>(heads * d), NAN);
                        std::vector<float> scratch(
                            static_cast<std::size_t>(cpu::detail::attendScratchFloats(heads, d)));
                        (kvt == DType::BF16  ? k->attendBF16
                         : kvt == DType::F16 ? k->attendF16
                                             : k->attendF32)(q.data(), heads, d, kb.data(),
                                                             vb.data(), first, last, scale,
                                                             out.data(), nullptr, scratch.data());
                        // The same keys in two ranges, merged with the returned {max, sum}.
                        std::vector<float> merged(out.size(), 0.f);
                        if (last - first >= 1) {
                            const int64_t mid = (first + last) / 2;
                            std::vector<float> o1(out.size()), o2(out.size());
                            std::vector<float> ml1(static_cast<std::size_t>(2 * heads)),
                                ml2(ml1.size());
                            const auto fn = kvt == DType::BF16  ? k->attendBF16
                                            : kvt == DType::F16 ? k->attendF16
                                                                : k->attendF32;
                            fn(q.data(), heads, d, kb.data(), vb.data(), first, mid, scale,
                               o1.data(), ml1.data(), scratch.data());
                            fn(q.data(), heads, d, kb.data(), vb.data(), mid + 1, last, scale,
                               o2.data(), ml2.data(), scratch.data());
                            std::vector<float> parts(o1), mls(ml1);
                            parts.insert(parts.end(), o2.begin(), o2.end());
                            mls.insert(mls.end(), ml2.begin(), ml2.end());
                            cpu::detail::mergeAttention(parts.data(), heads * d, mls.data(),
                                                        2 * heads, 2, heads, d, merged.data());
                        } else {
                            merged = out;
                        }
                        for (int64_t h = 0; h < heads; ++h) {
                            std::vector<double> s(static_cast<std::size_t>(nKeys));
                            double m = -INFINITY, es = 0, vmax = 0;
                            for (int64_t j = first; j <= last; ++j) {
                                double dot = 0, mag = 0;
                                for (int64_t i = 0; i < d; ++i) {
                                    dot += double(q[h * d + i]) * kq[j * d + i];
                                    mag += std::fabs(double(q[h * d + i]) * kq[j * d + i]);
                                }
                                s[j] = dot * scale;
                                m = std::max(m, s[j]);
                                es = std::max(es, gamma(d) * scale * mag + std::fabs(s[j]) * kU32);
                            }
                            double sum = 0;
                            for (int64_t j = first; j <= last; ++j)
                                sum += std::exp(s[j] - m);
                            const double delta = std::expm1(2 * es) + 4 * kU32;
                            for (int64_t i = 0; i < d; ++i) {
                                double o = 0;
                                for (int64_t j = first; j <= last; ++j) {
                                    o += std::exp(s[j] - m) / sum * vq[j * d + i];
                                    vmax = std::max(vmax, std::fabs(double(vq[j * d + i])));
                                }
                                const double tol = (2 * delta + gamma(last - first + 3)) * vmax;
                                ASSERT_LE(std::fabs(out[h * d + i] - o), tol)
                                    << isa << " " << dtypeName(kvt) << " d=" << d
                                    << " heads=" << heads << " keys=" << nKeys << " h=" << h
                                    << " i=" << i;
                                // Merging adds two weightings: a few more roundings.
                                ASSERT_LE(std::fabs(merged[h * d + i] - o), 2 * tol)
                                    << isa << " merged halves " << dtypeName(kvt) << " d=" << d
                                    << " keys=" << nKeys << " h=" << h << " i=" << i;
                            }
                        }
                    }
                }
            }
        }
    }
}

// silu(g)·u on every path against double precision. The vector exp is within 4 fp32 ulps
// (Cephes), then 1 + e, the division and the product round once each: relative error
// ≤ (4 + 3)·u of the result, plus the propagation of exp's error through g / (1 + e), which is
// damped by e / (1 + e) ≤ 1. Past g = −87 the exp argument is clamped at 87 or 88: the
// result is g·u / (1 + e^87) instead of something smaller, an absolute error ≤ |g·u|·e^−87.
TEST(SwiGlu, everyPath_matchesDoublePrecision)
{
    std::mt19937 rng(23);
    auto g = randomVector(rng, 1000), u = randomVector(rng, 1000);
    for (std::size_t i = 0; i < g.size(); i += 50)
        g[i] *= 40; // saturated tails of the sigmoid
    g.insert(g.end(), {0.f, -0.f, 100.f, -100.f, 88.5f, -88.5f});
    u.insert(u.end(), {1.f, 1.f, 1.f, 1.f, 2.f, 2.f});
    for (const char *isa : cpu::kIsaNames) {
        const cpu::DotKernels *k = cpu::dotKernelsFor(isa);
        if (!k)
            continue;
        for (std::size_t n : {std::size_t(1), std::size_t(15), g.size()}) {
            std::vector<float> out(g.begin(), g.begin() + static_cast<std::ptrdiff_t>(n));
            k->swiGlu(out.data(), u.data(), static_cast<int64_t>(n));
            for (std::size_t i = 0; i < n; ++i) {
                const double want = double(g[i]) / (1.0 + std::exp(-double(g[i]))) * u[i];
                ASSERT_LE(std::fabs(out[i] - want),
                          7 * kU32 * std::fabs(want) + std::fabs(g[i] * u[i]) * std::exp(-87.0))
                    << isa << " g=" << g[i] << " u=" << u[i];
            }
        }
    }
}

// q|k|v and gate|up go through matmulGroup: one dispatch over the rows of all of them. Each
// row is computed by the same kernel on the same data as in a lone matmul, so the results are
// identical, for decode (1 token) and prefill, with and without bf16 activations.
TEST(Gemm, matmulGroup_equalsSeparateMatmuls)
{
    std::mt19937 rng(29);
    cpu::ThreadPool pool(2);
    const int64_t cols = 200;
    const int64_t rows[3] = {64, 13, 130};
    std::vector<std::vector<unsigned char>> bytes;
    std::vector<Weight> ws;
    for (int64_t r : rows) {
        bytes.push_back(encode(randomVector(rng, static_cast<std::size_t>(r * cols)), DType::BF16));
        ws.push_back(Weight{DType::BF16, bytes.back().data(), r, cols});
    }
    for (const char *isa : cpu::kIsaNames) {
        const cpu::DotKernels *k = cpu::dotKernelsFor(isa);
        if (!k)
            continue;
        for (int64_t tokens : {1, 3, 9}) {
            const auto x = randomVector(rng, static_cast<std::size_t>(tokens * cols));
            for (bool bf16 : {false, true}) {
                std::vector<uint16_t> scratch(x.size());
                std::vector<std::vector<float>> alone(3), grouped(3);
                cpu::MatmulJob jobs[3];
                for (int j = 0; j < 3; ++j) {
                    alone[j].assign(static_cast<std::size_t>(tokens * rows[j]), NAN);
                    grouped[j].assign(alone[j].size(), NAN);
                    cpu::matmul(pool, *k, ws[j], x.data(), tokens, alone[j].data(),
                                bf16 ? scratch.data() : nullptr);
                    jobs[j] = {&ws[j], grouped[j].data()};
                }
                cpu::matmulGroup(pool, *k, jobs, 3, x.data(), tokens,
                                 bf16 ? scratch.data() : nullptr);
                for (int j = 0; j < 3; ++j)
                    ASSERT_EQ(std::memcmp(alone[j].data(), grouped[j].data(),
                                          alone[j].size() * sizeof(float)),
                              0)
                        << isa << " job " << j << " tokens " << tokens << " bf16 " << bf16;
            }
        }
    }
}

namespace {

// Double-precision softmax attention of one query row over cached keys [first, last], with the
// bound of Attention.everyPathAndCacheDtype_matchesDoubleSoftmax for each output element (the
// query pre-scaled: one more rounding per product, γ(d + 1)).
void referenceAttention(const float *q, int64_t d, const std::vector<float> &kq,
                        const std::vector<float> &vq, int64_t first, int64_t last, float scale,
                        std::vector<double> &out, double &tol)
{
    std::vector<double> s(static_cast<std::size_t>(last + 1));
    double m = -INFINITY, es = 0, vmax = 0, sum = 0;
    for (int64_t j = first; j <= last; ++j) {
        double dot = 0, mag = 0;
        for (int64_t i = 0; i < d; ++i) {
            dot += double(q[i]) * kq[j * d + i];
            mag += std::fabs(double(q[i]) * kq[j * d + i]);
        }
        s[j] = dot * scale;
        m = std::max(m, s[j]);
        es = std::max(es, gamma(d + 1) * scale * mag + std::fabs(s[j]) * kU32);
    }
    for (int64_t j = first; j <= last; ++j)
        sum += std::exp(s[j] - m);
    out.assign(static_cast<std::size_t>(d), 0.0);
    for (int64_t j = first; j <= last; ++j)
        for (int64_t i = 0; i < d; ++i) {
            out[i] += std::exp(s[j] - m) / sum * vq[j * d + i];
            vmax = std::max(vmax, std::fabs(double(vq[j * d + i])));
        }
    tol = (2 * (std::expm1(2 * es) + 4 * kU32) + gamma(last - first + 3)) * vmax;
}

} // namespace

// The prefill attention tile (several consecutive query tokens per call, causal, with and
// without a sliding window) on every path against the double softmax of each token's keys.
TEST(Attention, prefillTile_matchesDoubleSoftmaxPerToken)
{
    std::mt19937 rng(31);
    for (int64_t d : {32, 48, 64, 128}) {
        const int64_t heads = 3, ctx = 150;
        auto kf = randomVector(rng, static_cast<std::size_t>(ctx * d));
        const auto vf = randomVector(rng, static_cast<std::size_t>(ctx * d));
        for (float &f : kf)
            f *= 2.0f;
        for (DType kvt : {DType::F32, DType::F16, DType::BF16}) {
            const auto kb = encode(kf, kvt), vb = encode(vf, kvt);
            std::vector<float> kq(kf.size()), vq(vf.size());
            convertToF32(kvt, kb.data(), kq.data(), kq.size());
            convertToF32(kvt, vb.data(), vq.data(), vq.size());
            const float scale = 1.0f / std::sqrt(float(d));
            for (const char *isa : cpu::kIsaNames) {
                const cpu::DotKernels *k = cpu::dotKernelsFor(isa);
                if (!k)
                    continue;
                const auto fn = kvt == DType::BF16  ? k->attendTileBF16
                                : kvt == DType::F16 ? k->attendTileF16
                                                    : k->attendTileF32;
                for (int64_t window : {0, 5, 40}) {
                    for (auto [pos0, tokens] :
                         {std::pair<int64_t, int64_t>{0, 8}, {3, 1}, {30, 5}, {100, 8}, {141, 8}}) {
                        const int64_t stride = heads * d + 7; // rows need not be packed
                        const auto q = randomVector(rng, static_cast<std::size_t>(tokens * stride));
                        std::vector<float> out(q.size(), NAN);
                        std::vector<float> scratch(
                            static_cast<std::size_t>(cpu::detail::attendScratchFloats(heads, d)));
                        fn(q.data(), stride, tokens, heads, d, kb.data(), vb.data(), pos0, window,
                           scale, out.data(), stride, scratch.data());
                        for (int64_t t = 0; t < tokens; ++t)
                            for (int64_t h = 0; h < heads; ++h) {
                                const int64_t pos = pos0 + t;
                                const int64_t first =
                                    window > 0 ? std::max<int64_t>(0, pos - window + 1) : 0;
                                std::vector<double> want;
                                double tol = 0;
                                referenceAttention(q.data() + t * stride + h * d, d, kq, vq, first,
                                                   pos, scale, want, tol);
                                for (int64_t i = 0; i < d; ++i)
                                    ASSERT_LE(std::fabs(out[t * stride + h * d + i] - want[i]), tol)
                                        << isa << " " << dtypeName(kvt) << " d=" << d
                                        << " window=" << window << " pos0=" << pos0 << " t=" << t
                                        << " h=" << h << " i=" << i;
                            }
                    }
                }
            }
        }
    }
}
