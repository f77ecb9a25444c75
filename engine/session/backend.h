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
#include <string>

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

protected:
    //! What every forward() checks first: tokens present, positions inside the cache, ids
    //! inside the vocabulary; the error says which index or position is wrong.
    static Result<void> checkForwardInput(std::span<const int32_t> tokens, int64_t startPos,
                                          int64_t contextLength, int64_t vocab)
    {
        const int64_t n = static_cast<int64_t>(tokens.size());
        if (n == 0)
            return makeError(Error::Code::InvalidArgument, "forward: no tokens");
        if (startPos < 0 || startPos + n > contextLength)
            return makeError(Error::Code::ContextLength,
                             "forward: positions " + std::to_string(startPos) + ".." +
                                 std::to_string(startPos + n) + " exceed the context of " +
                                 std::to_string(contextLength) + " tokens");
        for (int64_t i = 0; i < n; ++i)
            if (tokens[i] < 0 || tokens[i] >= vocab)
                return makeError(Error::Code::InvalidArgument,
                                 "token id " + std::to_string(tokens[i]) + " at index " +
                                     std::to_string(i) + " is outside the vocabulary (0.." +
                                     std::to_string(vocab - 1) + ")");
        return {};
    }

public:
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
