#pragma once

#include <engine/cuda/kernelmath.h>
#include <engine/cuda/launch.h>

#include <cuda_runtime_api.h>

namespace engine::cuda {

//! Device-side sampler state for one sequence (all device pointers, sized for the vocabulary).
struct SamplerBuffers
{
    const kmath::SampleConfig *config = nullptr;
    uint64_t *rng = nullptr;   //!< [4] xoshiro256** state
    int32_t *counts = nullptr; //!< [vocab] generated-token counts
    uint8_t *seen = nullptr;   //!< [vocab] prompt or generated
    float *work = nullptr;     //!< [vocab] scratch: penalised, temperature-scaled logits
    kmath::SampleResult *result = nullptr;
    int32_t *nextToken = nullptr; //!< optional: the chosen id is also written here
};

//! Picks the next token from logits [vocab] fp32 on the device (penalties, temperature, top-k,
//! top-p, min-p, draw) and records it in counts/seen. One block; no host round trip.
Result<void> sampleToken(const float *logits, int32_t vocab, const SamplerBuffers &buffers,
                         cudaStream_t stream);

} // namespace engine::cuda
