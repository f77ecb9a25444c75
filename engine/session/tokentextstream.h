#pragma once

// The seam between the session and a detokenizer: the session asks for the text of each new
// token; engine::StreamingDetokenizer (engine_tokenizer) is the real implementation, tests use
// small fakes.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace engine {

//! Turns token ids into text pieces for streaming (a StreamingDetokenizer in practice).
class TokenTextStream
{
public:
    virtual ~TokenTextStream() = default;
    virtual std::string push(int32_t id) = 0;
    virtual std::string finish() = 0;
};
using TokenTextStreamFactory = std::function<std::unique_ptr<TokenTextStream>()>;

} // namespace engine
