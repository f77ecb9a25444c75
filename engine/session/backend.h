#pragma once

// The compute backend interface the generation session drives. The CPU backend implements it
// today; a CUDA backend (issue 5) will implement the same calls.

#include <engine/common/result.h>
#include <engine/model/loraadapter.h>
#include <engine/model/model.h>

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
};

} // namespace engine
