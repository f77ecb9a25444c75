#pragma once

// A generation session: one backend (and its KV cache) driving prefill, sampling and decode,
// streaming each token with its text piece, honouring stop strings, stop ids, max tokens and
// cancellation. Not thread-safe: one generate() at a time; `cancel` may be set from any thread.

#include <engine/common/result.h>
#include <engine/sampler/sampler.h>
#include <engine/session/backend.h>
#include <engine/session/backendselector.h>
#include <engine/session/stopmatcher.h>
#include <engine/session/tokentextstream.h>

#include <atomic>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace engine {

enum class FinishReason { Stop, Length, Cancelled, Error };
const char *finishReasonName(FinishReason reason);

//! One request. Stop ids default to the model's eos ids (generation_config.json).
struct GenerationRequest
{
    SamplingParams sampling;
    int64_t maxTokens = 256;
    std::vector<std::string> stop;
    std::vector<int32_t> stopTokenIds;
    bool stopAtEos = true; //!< also stop at the model's eos ids
    int32_t n = 1;         //!< independent samples sharing one prefill (seeds seed, seed+1, ...)
    //! False: the whole prompt is prefilled even where the cache holds a prefix of it. A reused
    //! prefix runs the rest of the prompt through other kernels (one token rather than a batch),
    //! whose rounding can change a sampled token; a request that names its seed asks for the
    //! same answer every time, whatever ran before it.
    bool reusePrefix = true;
    //! True: a prompt whose maxTokens would pass the context is refused (ContextLength), as
    //! OpenAI does; false: the reply ends at the context (finish reason length), as Fireworks
    //! does unless asked otherwise (its context_length_exceeded_behavior "error").
    bool refuseOverContext = false;
};

//! A request filled from a model's (or adapter's) defaults: generation_config.json sampling
//! values, then fireworks.json `defaults` (which win). do_sample false means greedy.
GenerationRequest requestFromDefaults(const GenerationDefaults &defaults);

class Tokenizer;

//! A prompt the model's own tokenizer made, checked against the model: an id past the model's
//! vocabulary (`modelVocab`, config.json vocab_size) means tokenizer.json belongs to another
//! model. That is Error::Code::Unsupported (the model's files are at fault: neither a retry nor
//! another request helps), where the backend would call it an invalid request.
Result<void> checkPromptFitsModel(std::span<const int32_t> ids, const Tokenizer &tokenizer,
                                  int64_t modelVocab);

//! Streamed once per generated token; `text` is what may be shown now (may be empty while a
//! possible stop string is held back). A matched stop id is reported with empty text; a last
//! event with token -1 carries text released at the end (held-back text, detokenizer tail).
struct StreamEvent
{
    int32_t choice = 0;
    int32_t token = -1;
    std::string text;
    //! The token's log probability (and its top alternatives when asked); null for a matched
    //! stop token. Valid during the callback only.
    const SampledToken *sampled = nullptr;
};
using StreamCallback = std::function<void(const StreamEvent &)>;

//! One of the n samples.
struct Choice
{
    std::vector<int32_t> tokens; //!< generated ids (a matched stop id is not included)
    std::string text;
    FinishReason finishReason = FinishReason::Length;
    std::string error; //!< when finishReason == Error
    //! The kind of error (engine::Error::code), when finishReason == Error.
    Error::Code errorCode = Error::Code::Internal;
    std::vector<SampledToken> logprobs; //!< per token, when requested
};

struct Usage
{
    int64_t promptTokens = 0;
    int64_t completionTokens = 0; //!< over all choices
};

struct Timings
{
    double prefillMs = 0, timeToFirstTokenMs = 0, decodeMs = 0;
    double prefillTokensPerSecond = 0, decodeTokensPerSecond = 0;
};

struct GenerationResult
{
    std::vector<Choice> choices;
    Usage usage;
    Timings timings;
};

//! Options for Session::create.
struct SessionOptions
{
    int64_t contextLength = 0; //!< 0 = min(max_position_embeddings, 4096)
    int threads = 0;           //!< CPU threads (0 = all)
    //! Auto: CUDA when built with it, a device is present and the model fits; else the CPU.
    BackendKind backend = BackendKind::Auto;
};

//! Owns a backend and runs generation requests on it.
class Session
{
public:
    //! A session on the backend selectBackend picks (see backendReason()).
    static Result<std::unique_ptr<Session>> create(std::shared_ptr<const Model> model,
                                                   const SessionOptions &options = {});
    explicit Session(std::unique_ptr<Backend> backend);

    //! Applies a LoRA adapter on top of the base weights (replaces any attached one).
    Result<void> attachAdapter(std::shared_ptr<const LoraAdapter> adapter);
    void detachAdapter();
    Backend &backend() { return *m_backend; }
    int64_t contextLength() const { return m_backend->contextLength(); }
    //! Why this backend was chosen (empty when the session was given its backend).
    const std::string &backendReason() const { return m_backendReason; }

    //! Runs `prompt` then samples up to maxTokens per choice. Errors before generation starts
    //! (empty or too long prompt, bad parameters) are returned as Error; errors during decode
    //! end that choice with FinishReason::Error.
    Result<GenerationResult> generate(std::span<const int32_t> prompt,
                                      const GenerationRequest &request,
                                      const StreamCallback &onToken = {},
                                      const std::atomic<bool> *cancel = nullptr,
                                      const TokenTextStreamFactory &textStream = {});

private:
    std::unique_ptr<Backend> m_backend;
    std::string m_backendReason;
    std::vector<int32_t> m_cached; //!< tokens whose K/V are in the cache, in order
    std::vector<float> m_prefillLogits, m_logits;
};

} // namespace engine
