#include "session.h"

#include <engine/tokenizer/tokenizer.h>

#include <algorithm>
#include <chrono>
#include <optional>

namespace engine {

namespace {
using Clock = std::chrono::steady_clock;
double msSince(Clock::time_point t)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}
} // namespace

Result<void> checkPromptFitsModel(std::span<const int32_t> ids, const Tokenizer &tokenizer,
                                  int64_t modelVocab)
{
    const auto past = std::find_if(ids.begin(), ids.end(),
                                   [&](int32_t id) { return id < 0 || id >= modelVocab; });
    if (past == ids.end())
        return {};
    return makeError(Error::Code::Unsupported,
                     "the tokenizer made token " + std::to_string(*past) + " (\"" +
                         tokenizer.tokenText(*past) + "\") of the prompt, but the model has " +
                         std::to_string(modelVocab) +
                         " tokens (config.json vocab_size): tokenizer.json is another model's "
                         "(its vocabulary has " +
                         std::to_string(tokenizer.vocabSize()) + " tokens)");
}

const char *finishReasonName(FinishReason reason)
{
    switch (reason) {
    case FinishReason::Stop:
        return "stop";
    case FinishReason::Length:
        return "length";
    case FinishReason::Cancelled:
        return "cancelled";
    case FinishReason::Error:
        return "error";
    }
    return "?";
}

GenerationRequest requestFromDefaults(const GenerationDefaults &d)
{
    GenerationRequest r;
    SamplingParams &s = r.sampling;
    s.temperature = static_cast<float>(d.temperature.value_or(1.0));
    if (d.doSample && !*d.doSample && !d.temperature)
        s.temperature = 0;
    s.topK = static_cast<int32_t>(d.topK.value_or(0));
    s.topP = static_cast<float>(d.topP.value_or(1.0));
    s.minP = static_cast<float>(d.minP.value_or(0.0));
    s.repetitionPenalty = static_cast<float>(d.repetitionPenalty.value_or(1.0));
    s.presencePenalty = static_cast<float>(d.presencePenalty.value_or(0.0));
    s.frequencyPenalty = static_cast<float>(d.frequencyPenalty.value_or(0.0));
    if (d.maxTokens)
        r.maxTokens = *d.maxTokens;
    r.stop = d.stop;
    return r;
}

Result<std::unique_ptr<Session>> Session::create(std::shared_ptr<const Model> model,
                                                 const SessionOptions &options)
{
    BackendRequest request;
    request.kind = options.backend;
    request.contextLength = options.contextLength;
    request.threads = options.threads;
    auto selection = selectBackend(std::move(model), request);
    if (!selection)
        return selection.error();
    auto session = std::make_unique<Session>(std::move(selection->backend));
    session->m_backendReason = std::move(selection->reason);
    return session;
}

Session::Session(std::unique_ptr<Backend> backend) : m_backend(std::move(backend))
{
    const auto vocab = static_cast<std::size_t>(m_backend->model().config().vocabSize);
    m_prefillLogits.resize(vocab);
    m_logits.resize(vocab);
}

Result<void> Session::attachAdapter(std::shared_ptr<const LoraAdapter> adapter)
{
    m_cached.clear(); // cached K/V were computed with other weights
    return m_backend->setAdapter(std::move(adapter));
}

void Session::detachAdapter()
{
    m_cached.clear();
    (void)m_backend->setAdapter(nullptr);
}

Result<GenerationResult> Session::generate(std::span<const int32_t> prompt,
                                           const GenerationRequest &req,
                                           const StreamCallback &onToken,
                                           const std::atomic<bool> *cancel,
                                           const TokenTextStreamFactory &textStream)
{
    const auto start = Clock::now();
    const int64_t ctx = m_backend->contextLength();
    const int64_t promptLen = static_cast<int64_t>(prompt.size());
    if (promptLen == 0)
        return makeError(Error::Code::InvalidArgument, "the prompt is empty");
    if (promptLen >= ctx)
        return makeError(Error::Code::ContextLength,
                         "the prompt is " + std::to_string(promptLen) +
                             " tokens but the context limit is " + std::to_string(ctx) +
                             " tokens (including at least one generated token)");
    if (req.n < 1 || req.n > 128)
        return makeError(Error::Code::InvalidArgument,
                         "n must be between 1 and 128, got " + std::to_string(req.n));
    if (req.maxTokens < 0)
        return makeError(Error::Code::InvalidArgument, "max_tokens must not be negative");
    if (req.refuseOverContext && promptLen + req.maxTokens > ctx)
        return makeError(Error::Code::ContextLength,
                         "the prompt is " + std::to_string(promptLen) + " tokens and max_tokens " +
                             std::to_string(req.maxTokens) +
                             ": together over the context limit "
                             "of " +
                             std::to_string(ctx) + " tokens; ask for at most " +
                             std::to_string(ctx - promptLen) + " tokens");
    const SamplingParams &sp = req.sampling;
    if (sp.topK < 0 || sp.topP <= 0 || sp.topP > 1 || sp.minP < 0 || sp.minP > 1 ||
        sp.repetitionPenalty <= 0 || sp.temperature < 0 || sp.topLogprobs < 0 ||
        sp.topLogprobs > 20)
        return makeError(
            Error::Code::InvalidArgument,
            "sampling parameters out of range (top_k >= 0, 0 < top_p <= 1, 0 <= min_p <= 1, "
            "repetition_penalty > 0, temperature >= 0, 0 <= top_logprobs <= 20)");
    const int32_t vocab = static_cast<int32_t>(m_backend->model().config().vocabSize);

    // Prefill, reusing whatever prefix of the prompt is already in the cache.
    std::size_t reuse = 0;
    while (req.reusePrefix && reuse < m_cached.size() && reuse < prompt.size() &&
           m_cached[reuse] == prompt[reuse])
        ++reuse;
    reuse = std::min<std::size_t>(reuse,
                                  prompt.size() - 1); // the last prompt token must run for logits
    m_cached.resize(reuse);
    // Device sampling keeps the logits on the backend; top logprobs need them on the host.
    const bool onDevice = m_backend->samplesOnDevice() && sp.topLogprobs == 0;
    auto pre = m_backend->forward(prompt.subspan(reuse), static_cast<int64_t>(reuse),
                                  onDevice ? nullptr : m_prefillLogits.data(), false);
    if (!pre)
        return pre.error();
    m_cached.assign(prompt.begin(), prompt.end());
    GenerationResult result;
    result.usage.promptTokens = promptLen;
    result.timings.prefillMs = msSince(start);
    const double prefilled = static_cast<double>(prompt.size() - reuse);
    result.timings.prefillTokensPerSecond =
        result.timings.prefillMs > 0 ? prefilled / (result.timings.prefillMs / 1000.0) : 0;

    std::vector<int32_t> stopIds = req.stopTokenIds;
    if (req.stopAtEos)
        for (int32_t id : m_backend->model().defaults().eosTokenIds)
            stopIds.push_back(id);

    Sampler sampler(sp, vocab);
    bool firstToken = true;
    double decodeMs = 0;
    int64_t decodeSteps = 0;
    for (int32_t c = 0; c < req.n; ++c) {
        Choice choice;
        std::optional<Result<SampledToken>> deviceNext; // sampled with the last decode step
        if (onDevice) {
            if (auto r = m_backend->resetSampler(sp, prompt, sp.seed + static_cast<uint64_t>(c));
                !r)
                return r.error();
        } else {
            sampler.reset(prompt, sp.seed + static_cast<uint64_t>(c));
            std::copy(m_prefillLogits.begin(), m_prefillLogits.end(), m_logits.begin());
        }
        std::unique_ptr<TokenTextStream> stream = textStream ? textStream() : nullptr;
        StopMatcher matcher(req.stop);
        m_cached.resize(prompt.size());
        int64_t pos = promptLen;
        choice.finishReason = FinishReason::Length;
        bool done = req.maxTokens == 0;
        while (!done) {
            if (cancel && cancel->load(std::memory_order_relaxed)) {
                choice.finishReason = FinishReason::Cancelled;
                break;
            }
            SampledToken tok;
            if (onDevice) {
                Result<SampledToken> next =
                    deviceNext ? std::move(*deviceNext) : m_backend->sampleNext(-1, 0);
                if (!next) {
                    choice.finishReason = FinishReason::Error;
                    choice.error = next.error().message;
                    choice.errorCode = next.error().code;
                    break;
                }
                tok = std::move(next).value();
            } else {
                tok = sampler.sample(m_logits.data());
            }
            if (firstToken) {
                result.timings.timeToFirstTokenMs = msSince(start);
                firstToken = false;
            }
            ++result.usage.completionTokens;
            if (std::find(stopIds.begin(), stopIds.end(), tok.id) != stopIds.end()) {
                choice.finishReason = FinishReason::Stop;
                if (onToken)
                    onToken(StreamEvent{c, tok.id, {}, nullptr});
                break;
            }
            choice.tokens.push_back(tok.id);
            choice.logprobs.push_back(std::move(tok));
            const std::string piece = stream ? stream->push(choice.tokens.back()) : std::string();
            std::string emit = matcher.push(piece);
            choice.text += emit;
            if (onToken)
                onToken(
                    StreamEvent{c, choice.tokens.back(), std::move(emit), &choice.logprobs.back()});
            if (matcher.stopped()) {
                choice.finishReason = FinishReason::Stop;
                break;
            }
            if (static_cast<int64_t>(choice.tokens.size()) >= req.maxTokens || pos >= ctx) {
                choice.finishReason = FinishReason::Length;
                break;
            }
            const auto stepStart = Clock::now();
            const int32_t id = choice.tokens.back();
            Result<void> step;
            if (onDevice) {
                deviceNext = m_backend->sampleNext(id, pos);
                if (!*deviceNext)
                    step = deviceNext->error();
            } else {
                step = m_backend->forward(std::span<const int32_t>(&id, 1), pos, m_logits.data(),
                                          false);
            }
            decodeMs += msSince(stepStart);
            ++decodeSteps;
            if (!step) {
                choice.finishReason = FinishReason::Error;
                choice.error = step.error().message;
                choice.errorCode = step.error().code;
                break;
            }
            m_cached.push_back(id);
            ++pos;
        }
        if (!matcher.stopped()) {
            std::string tail = stream ? matcher.push(stream->finish()) : std::string();
            if (!matcher.stopped())
                tail += matcher.flush();
            if (!tail.empty()) {
                choice.text += tail;
                if (onToken)
                    onToken(StreamEvent{c, -1, tail, nullptr});
            }
        }
        result.choices.push_back(std::move(choice));
    }
    result.timings.decodeMs = decodeMs;
    result.timings.decodeTokensPerSecond = decodeMs > 0 ? decodeSteps / (decodeMs / 1000.0) : 0;
    return result;
}

} // namespace engine
