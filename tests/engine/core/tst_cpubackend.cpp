// CPU backend internals: every ISA's dot kernels agree with the scalar path for each dtype,
// the thread pool covers ranges exactly once, and a decode step allocates nothing.

#include <engine/cpu/cpubackend.h>
#include <engine/model/randommodel.h>
#include <engine/safetensors/safetensorswriter.h>

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <new>
#include <random>
#include <unistd.h>

// Counting replacement of the global operator new (paired with free; GCC cannot see that).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

namespace {
std::atomic<long> g_allocations{0};
std::atomic<bool> g_counting{false};
} // namespace

void *operator new(std::size_t n)
{
    if (g_counting.load(std::memory_order_relaxed))
        g_allocations.fetch_add(1, std::memory_order_relaxed);
    if (void *p = std::malloc(n ? n : 1))
        return p;
    throw std::bad_alloc();
}
void operator delete(void *p) noexcept
{
    std::free(p);
}
void operator delete(void *p, std::size_t) noexcept
{
    std::free(p);
}

using namespace engine;

namespace {

TEST(CpuKernels, everyIsa_matchesScalarForEveryDtype)
{
    std::mt19937 rng(5);
    std::normal_distribution<float> nd;
    for (int64_t n : {1, 7, 16, 33, 64, 100, 896, 4864 + 5}) {
        std::vector<float> w(static_cast<std::size_t>(n)), x(static_cast<std::size_t>(n));
        for (auto &v : w)
            v = nd(rng);
        for (auto &v : x)
            v = nd(rng);
        for (DType dt : {DType::F32, DType::F16, DType::BF16}) {
            const auto bytes = encodeFloats(w, dt);
            const float ref = cpu::dotKernelsFor("scalar")->forDType(dt)(bytes.data(), x.data(), n);
            double exact = 0;
            std::vector<float> wq(w.size());
            convertToF32(dt, bytes.data(), wq.data(), wq.size());
            for (int64_t i = 0; i < n; ++i)
                exact += double(wq[i]) * x[i];
            EXPECT_NEAR(ref, exact, 1e-4 * std::sqrt(double(n))) << dtypeName(dt) << " n=" << n;
            {
                // Four tokens at once agree with four single dots.
                std::vector<float> x4(static_cast<std::size_t>(4 * n));
                for (auto &v : x4)
                    v = nd(rng);
                for (const char *isa : {"scalar", "avx2", "avx512"}) {
                    const cpu::DotKernels *k = cpu::dotKernelsFor(isa);
                    if (!k)
                        continue;
                    float four[4];
                    k->forDType4(dt)(bytes.data(), x4.data(), n, n, four);
                    for (int j = 0; j < 4; ++j)
                        EXPECT_NEAR(four[j], k->forDType(dt)(bytes.data(), x4.data() + j * n, n),
                                    1e-4 * std::sqrt(double(n)))
                            << isa << " dot4 " << dtypeName(dt) << " n=" << n;
                }
            }
            for (const char *isa : {"avx2", "avx512"}) {
                const cpu::DotKernels *k = cpu::dotKernelsFor(isa);
                if (!k)
                    continue;
                EXPECT_NEAR(k->forDType(dt)(bytes.data(), x.data(), n), exact,
                            1e-4 * std::sqrt(double(n)))
                    << isa << " " << dtypeName(dt) << " n=" << n;
            }
        }
    }
}

TEST(ThreadPool, parallelFor_coversEachIndexOnce)
{
    for (int threads : {1, 2, 3, 8}) {
        cpu::ThreadPool pool(threads);
        for (int64_t n : {1, 2, 5, 1000}) {
            std::vector<std::atomic<int>> hits(static_cast<std::size_t>(n));
            for (int rep = 0; rep < 20; ++rep)
                pool.parallelFor(n, [&](int64_t b, int64_t e, int t) {
                    EXPECT_LT(t, pool.size());
                    for (int64_t i = b; i < e; ++i)
                        hits[static_cast<std::size_t>(i)]++;
                });
            for (auto &h : hits)
                EXPECT_EQ(h.load(), 20);
        }
    }
}

TEST(CpuBackend, decodeStep_allocatesNothing)
{
    const std::string dir =
        (std::filesystem::temp_directory_path() / ("fd-noalloc-" + std::to_string(::getpid())))
            .string();
    const char *config =
        R"({"model_type":"qwen3","hidden_size":32,"intermediate_size":64,"num_hidden_layers":2,
        "num_attention_heads":4,"num_key_value_heads":2,"head_dim":8,"vocab_size":50,"max_position_embeddings":64,
        "tie_word_embeddings":false})";
    ASSERT_TRUE(writeRandomModel(config, dir, DType::BF16));
    auto model = Model::load(dir);
    ASSERT_TRUE(model) << model.error().message;
    auto b = cpu::CpuBackend::create(model.value(), {32, 2});
    ASSERT_TRUE(b);
    std::vector<float> logits(50);
    const std::vector<int32_t> prompt{1, 2, 3, 4};
    ASSERT_TRUE(b.value()->forward(prompt, 0, logits.data(), false));
    g_allocations = 0;
    g_counting = true;
    for (int32_t step = 0; step < 8; ++step) {
        const int32_t tok = step + 5;
        auto r =
            b.value()->forward(std::span<const int32_t>(&tok, 1), 4 + step, logits.data(), false);
        if (!r)
            break;
    }
    g_counting = false;
    EXPECT_EQ(g_allocations.load(), 0);
    std::filesystem::remove_all(dir);
}

} // namespace

namespace {

// F16 and BF16 weights through the whole forward pass equal an fp32 copy of the same weights
// (conversion is exact, so only summation order may differ).
TEST(CpuBackend, halfPrecisionWeights_matchFp32Copy)
{
    for (DType dt : {DType::F16, DType::BF16}) {
        const std::string dir =
            (std::filesystem::temp_directory_path() / ("fd-half-" + std::to_string(::getpid())))
                .string();
        const std::string config =
            std::string(R"({"model_type":"mistral","hidden_size":64,"intermediate_size":96,
            "num_hidden_layers":2,"num_attention_heads":4,"num_key_value_heads":1,"vocab_size":40,
            "max_position_embeddings":64,"sliding_window":4,"tie_word_embeddings":false,"torch_dtype":")") +
            (dt == DType::F16 ? "float16" : "bfloat16") + "\"}";
        ASSERT_TRUE(writeRandomModel(config, dir, dt, 3));
        auto model = Model::load(dir);
        ASSERT_TRUE(model) << model.error().message;
        EXPECT_EQ(model.value()->config().slidingWindow, 4);
        auto copy = Model::cloneAsF32(model.value());
        // fp32 activations: with bf16 ones the BF16 model would round where the F32 copy
        // does not (that rounding is engine.gemm's and engine.golden's subject).
        cpu::CpuBackendOptions opts{32, 2};
        opts.bf16Activations = false;
        auto a = cpu::CpuBackend::create(model.value(), opts);
        auto b = cpu::CpuBackend::create(copy, opts);
        ASSERT_TRUE(a && b);
        const std::vector<int32_t> ids{3, 1, 4, 1, 5, 9, 2, 6, 5, 3};
        std::vector<float> la(ids.size() * 40), lb(la.size());
        ASSERT_TRUE(a.value()->forward(ids, 0, la.data(), true));
        ASSERT_TRUE(b.value()->forward(ids, 0, lb.data(), true));
        for (std::size_t i = 0; i < la.size(); ++i)
            ASSERT_NEAR(la[i], lb[i], 1e-4) << dtypeName(dt) << " at " << i;
        std::filesystem::remove_all(dir);
    }
}

} // namespace

namespace {

// With one layer and RoPE (relative positions only), the last position under a window of W
// sees exactly the last W tokens, so it equals a fresh run of those W tokens from position 0.
TEST(CpuBackend, slidingWindow_attendsToLastWTokensOnly)
{
    const std::string dir =
        (std::filesystem::temp_directory_path() / ("fd-window-" + std::to_string(::getpid())))
            .string();
    const char *config =
        R"({"model_type":"mistral","hidden_size":32,"intermediate_size":64,"num_hidden_layers":1,
        "num_attention_heads":4,"num_key_value_heads":2,"vocab_size":30,"max_position_embeddings":64,
        "sliding_window":4,"tie_word_embeddings":true,"torch_dtype":"float32"})";
    ASSERT_TRUE(writeRandomModel(config, dir, DType::F32, 11));
    auto model = Model::load(dir);
    ASSERT_TRUE(model) << model.error().message;
    auto b = cpu::CpuBackend::create(model.value(), {32, 2});
    ASSERT_TRUE(b);
    const std::vector<int32_t> ids{7, 3, 9, 12, 5, 1, 8, 2, 6, 4};
    std::vector<float> full(30), tail(30), noWindow(30);
    ASSERT_TRUE(b.value()->forward(ids, 0, full.data(), false));
    const std::vector<int32_t> last4(ids.end() - 4, ids.end());
    ASSERT_TRUE(b.value()->forward(last4, 0, tail.data(), false));
    for (int i = 0; i < 30; ++i)
        EXPECT_NEAR(full[static_cast<std::size_t>(i)], tail[static_cast<std::size_t>(i)], 1e-4);
    // Tokens inside the window matter, tokens before it do not.
    std::vector<int32_t> changed = ids;
    changed[5] = 20; // position 5: outside the window of position 9
    ASSERT_TRUE(b.value()->forward(changed, 0, noWindow.data(), false));
    for (int i = 0; i < 30; ++i)
        EXPECT_NEAR(full[static_cast<std::size_t>(i)], noWindow[static_cast<std::size_t>(i)], 1e-5);
    changed[6] = 20; // position 6: inside
    ASSERT_TRUE(b.value()->forward(changed, 0, noWindow.data(), false));
    double diff = 0;
    for (int i = 0; i < 30; ++i)
        diff = std::max(diff, double(std::fabs(full[static_cast<std::size_t>(i)] -
                                               noWindow[static_cast<std::size_t>(i)])));
    EXPECT_GT(diff, 1e-4);
    std::filesystem::remove_all(dir);
}

} // namespace

namespace {

// A decode step at a long context splits each KV head's keys across the threads and merges
// the partial softmaxes; with one thread it does not split. Same cache, same kernels
// otherwise, so the logits agree to fp32 rounding.
TEST(CpuBackend, decodeKeySplit_matchesUnsplitDecode)
{
    const std::string dir =
        (std::filesystem::temp_directory_path() / ("fd-split-" + std::to_string(::getpid())))
            .string();
    const char *config =
        R"({"model_type":"llama","hidden_size":64,"intermediate_size":96,"num_hidden_layers":2,
        "num_attention_heads":4,"num_key_value_heads":1,"head_dim":64,"vocab_size":40,
        "max_position_embeddings":4096,"tie_word_embeddings":false,"torch_dtype":"bfloat16"})";
    ASSERT_TRUE(writeRandomModel(config, dir, DType::BF16, 13));
    auto model = Model::load(dir);
    ASSERT_TRUE(model) << model.error().message;
    std::vector<int32_t> prompt(1500);
    for (std::size_t i = 0; i < prompt.size(); ++i)
        prompt[i] = static_cast<int32_t>((i * 7 + 3) % 40);
    std::vector<float> one(40), two(40);
    for (auto [threads, logits] : {std::pair{1, &one}, std::pair{2, &two}}) {
        auto b = cpu::CpuBackend::create(model.value(), {2048, threads});
        ASSERT_TRUE(b);
        ASSERT_TRUE(b.value()->forward(prompt, 0, logits->data(), false));
        const int32_t tok = 5;
        ASSERT_TRUE(b.value()->forward(std::span<const int32_t>(&tok, 1),
                                       static_cast<int64_t>(prompt.size()), logits->data(), false));
    }
    for (int i = 0; i < 40; ++i)
        EXPECT_NEAR(one[i], two[i], 1e-4 * (1 + std::fabs(one[i]))) << i;
    std::filesystem::remove_all(dir);
}

} // namespace
