#pragma once

// The compute backend interface the generation session drives (cpu::CpuBackend,
// cuda::CudaBackend).

#include <engine/common/result.h>
#include <engine/model/loraadapter.h>
#include <engine/model/model.h>
#include <engine/sampler/sampler.h>

#include <cstdint>
#include <memory>
#include <span>

namespace engine {

//! Runs the model over tokens with a KV cache it owns, sized at creation.
class Backend
{
public:
    virtual ~Backend() = default;
    virtual const char *name() const = 0;
    virtual const Model &model() const = 0;
    //! Positions the KV cache holds.
    virtual int64_t contextLength() const = 0;
    //! Processes `tokens` at positions [startPos, startPos + tokens.size()), writing their K/V
    //! into the cache. Writes vocab logits for the last token to `logits`, or for every token
    //! (row-major [tokens][vocab]) when `allLogits`. Positions at or after startPos are
    //! overwritten, so rewinding is just calling again with a smaller startPos.
    virtual Result<void> forward(std::span<const int32_t> tokens, int64_t startPos, float *logits,
                                 bool allLogits) = 0;
    //! Applies `adapter` on top of the base weights from the next forward on (nullptr detaches).
    virtual Result<void> setAdapter(std::shared_ptr<const LoraAdapter> adapter) = 0;
    virtual const LoraAdapter *adapter() const = 0;

    //! True when the backend samples on the device (resetSampler / sampleNext), so that only
    //! the chosen token crosses to the host. The session then calls forward with null logits
    //! for the prompt (the backend keeps its last-token logits) and sampleNext per token.
    virtual bool samplesOnDevice() const { return false; }
    //! Starts a sequence: `prompt` counts as seen for the repetition penalty, generated counts
    //! are cleared, the random stream is seeded with `seed`.
    virtual Result<void> resetSampler(const SamplingParams &params, std::span<const int32_t> prompt,
                                      uint64_t seed)
    {
        return makeError(Error::Code::Unsupported,
                         std::string(name()) + " backend does not sample on the device");
    }
    //! Runs `token` at `pos` and samples the next token on the device; token < 0 samples from
    //! the logits the last forward(..., nullptr, false) left on the device (pos is ignored).
    //! Only the id and its logprob are returned (no top alternatives).
    virtual Result<SampledToken> sampleNext(int32_t token, int64_t pos)
    {
        return makeError(Error::Code::Unsupported,
                         std::string(name()) + " backend does not sample on the device");
    }
};

} // namespace engine
