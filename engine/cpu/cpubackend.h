#pragma once

// The multithreaded CPU backend: fp32 activations and KV cache over weights kept in their
// stored dtype. Matmuls are split over output rows and attention over heads, on its own pool.

#include <engine/cpu/kernels.h>
#include <engine/cpu/threadpool.h>
#include <engine/session/backend.h>

#include <memory>
#include <vector>

namespace engine::cpu {

//! Options for CpuBackend::create.
struct CpuBackendOptions
{
    int64_t contextLength = 0; //!< 0 = min(max_position_embeddings, 4096)
    int threads = 0;           //!< 0 = hardware concurrency
    int64_t prefillChunk = 64; //!< tokens processed together during prefill
    const char *isa = nullptr; //!< force "scalar", "avx2" or "avx512" (tests); nullptr = best
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

private:
    CpuBackend() = default;
    void forwardChunk(const int32_t *tokens, int64_t count, int64_t startPos, float *logits,
                      bool allLogits);
    void project(const Weight &w, const float *in, int64_t count, float *out, int64_t layer,
                 LoraTarget target);
    void attention(int64_t layer, int64_t count, int64_t startPos);

    std::shared_ptr<const Model> m_model;
    std::shared_ptr<const LoraAdapter> m_adapter;
    std::unique_ptr<ThreadPool> m_pool;
    const DotKernels *m_kernels = nullptr;
    int64_t m_ctx = 0, m_chunk = 0;
    std::vector<float> m_kCache, m_vCache; //!< [layer][kvHead][position][headDim]
    std::vector<float> m_cos, m_sin;       //!< [position][headDim / 2]
    std::vector<float> m_x, m_xn, m_q, m_k, m_v, m_att, m_gate, m_up, m_tmp, m_scores;
    std::vector<float> m_loraMid, m_loraOut;
};

} // namespace engine::cpu
