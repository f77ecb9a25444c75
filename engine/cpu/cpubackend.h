#pragma once

// The multithreaded CPU backend over weights kept in their stored dtype: fp32 activations
// (rounded to bf16 at the input of the bf16 prefill GEMMs), an f16 (or bf16, fp32) KV cache.
// Matmuls are split over output rows and attention over KV heads and tokens, on its own pool.

#include <engine/cpu/kernels.h>
#include <engine/cpu/threadpool.h>
#include <engine/session/backend.h>

#include <initializer_list>
#include <memory>
#include <vector>

namespace engine::cpu {

//! Options for CpuBackend::create.
struct CpuBackendOptions
{
    int64_t contextLength = 0;  //!< 0 = min(max_position_embeddings, 4096)
    int threads = 0;            //!< 0 = hardware concurrency
    int64_t prefillChunk = 256; //!< tokens processed together during prefill
    //! force "scalar", "avx2", "avx512" or "avx512bf16" (tests); nullptr = best
    const char *isa = nullptr;
    DType kvDType = DType::F16; //!< KV cache element: F16 (default), BF16 or F32
    //! Prefill GEMMs on BF16 weights round the activations to bf16 (vdpbf16ps where the CPU
    //! has AVX512_BF16; the same rounding, widened, elsewhere). false keeps them fp32.
    bool bf16Activations = true;
};

//! CPU implementation of Backend. All buffers are allocated in create().
class CpuBackend final : public Backend
{
public:
    static Result<std::unique_ptr<CpuBackend>> create(std::shared_ptr<const Model> model,
                                                      const CpuBackendOptions &options = {});

    const char *name() const override { return "cpu"; }
    const Model &model() const override { return *m_model; }
    int64_t contextLength() const override { return m_ctx; }
    Result<void> forward(std::span<const int32_t> tokens, int64_t startPos, float *logits,
                         bool allLogits) override;
    Result<void> setAdapter(std::shared_ptr<const LoraAdapter> adapter) override;
    const LoraAdapter *adapter() const override { return m_adapter.get(); }
    int threads() const { return m_pool->size(); }
    ThreadPool &pool() { return *m_pool; }
    const char *isa() const { return m_kernels->isa; }
    DType kvDType() const { return m_kvDType; }
    bool bf16Activations() const { return m_bf16Activations; }

private:
    CpuBackend() = default;
    void forwardChunk(const int32_t *tokens, int64_t count, int64_t startPos, float *logits,
                      bool allLogits);
    struct Projection
    {
        const Weight *w;
        float *out;
        LoraTarget target;
    };
    //! The projections of one input (at most 8) as one matmulGroup, then their LoRA terms.
    void project(std::initializer_list<Projection> projections, const float *in, int64_t count,
                 int64_t layer);
    void attention(int64_t layer, int64_t count, int64_t startPos);

    std::shared_ptr<const Model> m_model;
    std::shared_ptr<const LoraAdapter> m_adapter;
    std::unique_ptr<ThreadPool> m_pool;
    const DotKernels *m_kernels = nullptr;
    int64_t m_ctx = 0, m_chunk = 0;
    DType m_kvDType = DType::F16;
    bool m_bf16Activations = true;
    //! [layer][kvHead][position][headDim]: the 16-bit pair for F16/BF16, else the fp32 one
    std::vector<uint16_t> m_kCache16, m_vCache16;
    std::vector<float> m_kCacheF32, m_vCacheF32;
    std::vector<uint16_t> m_xBf16;   //!< [chunk][max(hidden, inter, qDim)] bf16
    std::vector<float> m_cos, m_sin; //!< [position][headDim / 2]
    std::vector<float> m_x, m_xn, m_q, m_k, m_v, m_att, m_gate, m_up, m_tmp, m_scores;
    std::vector<float> m_loraMid, m_loraOut;
    static constexpr int64_t kMaxKeySplits = 16; //!< decode attention: key ranges per KV head
    std::vector<float> m_attPartial; //!< [kMaxKeySplits][numHeads * headDim] partial outputs
    std::vector<float> m_attMl;      //!< [kMaxKeySplits][numHeads][2] softmax max and sum
};

} // namespace engine::cpu
