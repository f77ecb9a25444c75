#pragma once

// The CUDA backend: weights in their stored dtype on the device (q|k|v and gate|up fused into
// one matrix each), fp32 activations, bf16 KV cache. Decode runs hand-written GEMV, norm,
// RoPE, split-K attention and sampling kernels captured into a CUDA graph; prefill uses cuBLAS
// GEMMs and the same attention kernels over all prompt rows. Everything is allocated in
// create(); a token costs one graph launch and one stream synchronisation.

#include <engine/session/backend.h>

#include <memory>

namespace engine::cuda {

//! Options for CudaBackend::create.
struct CudaBackendOptions
{
    int64_t contextLength = 0;  //!< 0 = min(max_position_embeddings, 4096)
    int64_t prefillChunk = 256; //!< prompt tokens per batched forward
    bool graphs = true;         //!< capture the decode step (FIREDECK_CUDA_GRAPHS=0 disables)
};

//! Device bytes create() will allocate for `model` (weights, KV cache, activations, logits,
//! workspaces); the backend selector compares it with the free memory.
uint64_t estimateDeviceBytes(const Model &model, const CudaBackendOptions &options);

class CudaBackend final : public Backend
{
public:
    //! Uploads the model; a device without room returns an OutOfMemory error, never aborts.
    static Result<std::unique_ptr<CudaBackend>> create(std::shared_ptr<const Model> model,
                                                       const CudaBackendOptions &options = {});
    ~CudaBackend() override;

    const char *name() const override { return "cuda"; }
    const Model &model() const override;
    int64_t contextLength() const override;
    Result<void> forward(std::span<const int32_t> tokens, int64_t startPos, float *logits,
                         bool allLogits) override;
    Result<void> setAdapter(std::shared_ptr<const LoraAdapter> adapter) override;
    const LoraAdapter *adapter() const override;

    bool samplesOnDevice() const override { return true; }
    Result<void> resetSampler(const SamplingParams &params, std::span<const int32_t> prompt,
                              uint64_t seed) override;
    Result<SampledToken> sampleNext(int32_t token, int64_t pos) override;

    //! Device name and compute capability, for logs and the bench.
    const std::string &deviceName() const;
    //! Bytes allocated on the device.
    uint64_t deviceBytes() const;

    struct Impl;

private:
    explicit CudaBackend(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace engine::cuda
