#include "engineinferencebackend.h"

#include <engine/jinja/chattemplate.h>
#include <engine/model/model.h>
#include <engine/session/session.h>
#include <engine/session/tokentextstream.h>
#include <engine/tokenizer/tokenizer.h>

#include <QDir>
#include <QFileInfo>

#include <atomic>

namespace sandbox {

namespace {

class DetokenizerStream : public engine::TokenTextStream
{
public:
    explicit DetokenizerStream(std::shared_ptr<const engine::Tokenizer> t) : m_detok(std::move(t))
    {}
    std::string push(int32_t id) override { return m_detok.push(id); }
    std::string finish() override { return m_detok.finish(); }

private:
    engine::StreamingDetokenizer m_detok;
};

QString engineError(const engine::Error &e)
{
    return QString::fromStdString(e.message);
}

//! The platform's status for an engine failure: the request's fault (a prompt over the
//! context), the model's (its files cannot serve it: asking again fails the same way), memory,
//! or the server's own.
GenerationFailure failureFor(const engine::Error &e)
{
    using Code = engine::Error::Code;
    switch (e.code) {
    case Code::InvalidArgument:
    case Code::ContextLength:
        return {"INVALID_ARGUMENT", engineError(e)};
    case Code::NotFound:
    case Code::Unsupported:
    case Code::Corrupt:
        return {"FAILED_PRECONDITION", engineError(e)};
    case Code::OutOfMemory: // the server's state: asking again may pass
        return {"UNAVAILABLE", engineError(e)};
    case Code::Cancelled:
    case Code::Io:
    case Code::Device:
    case Code::Internal:
        break;
    }
    return {"INTERNAL", engineError(e)};
}

} // namespace

struct EngineInferenceBackend::Loaded
{
    std::shared_ptr<const engine::Model> model;
    std::shared_ptr<const engine::Tokenizer> tokenizer;
    std::optional<engine::ChatTemplate> chatTemplate;
    QString chatTemplateError;
    std::unique_ptr<engine::Session> session;
};

EngineInferenceBackend::EngineInferenceBackend() = default;
EngineInferenceBackend::~EngineInferenceBackend() = default;

QString EngineInferenceBackend::unavailableReason(const InferenceTarget &target) const
{
    if (target.localDir.isEmpty())
        return QStringLiteral("model %1 has no local weights; the Local sandbox serves only models "
                              "uploaded with their files")
            .arg(target.modelName);
    const QDir dir(target.localDir);
    if (!dir.exists(QStringLiteral("config.json")))
        return QStringLiteral(
                   "model %1 is an adapter without its base model's files; the Local sandbox "
                   "cannot serve LoRA uploads yet")
            .arg(target.modelName);
    if (!dir.exists(QStringLiteral("tokenizer.json")))
        return QStringLiteral(
                   "model %1 was uploaded without tokenizer.json; upload it to chat with the model")
            .arg(target.modelName);
    return {};
}

EngineInferenceBackend::Loaded *EngineInferenceBackend::load(const QString &dir,
                                                             GenerationFailure *failure)
{
    const std::string key = dir.toStdString();
    if (auto it = m_loaded.find(key); it != m_loaded.end())
        return it->second.get();
    auto loaded = std::make_unique<Loaded>();
    auto model = engine::Model::load(key);
    if (!model) {
        *failure = failureFor(model.error());
        return nullptr;
    }
    auto tokenizer = engine::Tokenizer::load(key);
    if (!tokenizer) {
        *failure = failureFor(tokenizer.error());
        return nullptr;
    }
    auto session = engine::Session::create(model.value(), {});
    if (!session) {
        *failure = failureFor(session.error());
        return nullptr;
    }
    auto tmpl = engine::ChatTemplate::load(key);
    if (tmpl)
        loaded->chatTemplate = std::move(tmpl.value());
    else
        loaded->chatTemplateError = engineError(tmpl.error());
    loaded->model = model.value();
    loaded->tokenizer = tokenizer.value();
    loaded->session = std::move(session.value());
    return (m_loaded[key] = std::move(loaded)).get();
}

std::optional<GenerationResult>
EngineInferenceBackend::generate(const InferenceTarget &target, const Json &request, bool chat,
                                 const std::function<bool(const GeneratedDelta &)> &onDelta,
                                 GenerationFailure *failure)
{
    Loaded *m = load(target.localDir, failure);
    if (!m)
        return std::nullopt;
    std::string prompt;
    bool addSpecial = true;
    if (chat) {
        if (!m->chatTemplate) {
            *failure = {"FAILED_PRECONDITION",
                        QStringLiteral("model %1 has no usable chat template: %2")
                            .arg(target.modelName, m->chatTemplateError)};
            return std::nullopt;
        }
        const nlohmann::ordered_json messages =
            nlohmann::ordered_json::parse(request["messages"].dump());
        const nlohmann::ordered_json tools =
            request.contains("tools") ? nlohmann::ordered_json::parse(request["tools"].dump())
                                      : nlohmann::ordered_json();
        auto rendered = m->chatTemplate->apply(messages, tools, true);
        if (!rendered) {
            *failure = failureFor(rendered.error());
            return std::nullopt;
        }
        prompt = rendered.value();
        addSpecial = false; // the template already wrote the special tokens
    } else if (request["prompt"].is_string()) {
        prompt = request["prompt"].get<std::string>();
    } else {
        *failure = {"INVALID_ARGUMENT",
                    QStringLiteral("field 'prompt' must be a string for the Local engine")};
        return std::nullopt;
    }
    const std::vector<int32_t> ids = m->tokenizer->encode(prompt, addSpecial);
    if (auto fits = engine::checkPromptFitsModel(ids, *m->tokenizer, m->model->config().vocabSize);
        !fits) {
        *failure = failureFor(fits.error());
        return std::nullopt;
    }

    engine::GenerationRequest req = engine::requestFromDefaults(m->model->defaults());
    if (request.contains("max_tokens") && request["max_tokens"].is_number_integer())
        req.maxTokens = request["max_tokens"].get<int64_t>();
    // The platform shortens max_tokens to the context unless asked to refuse (its default).
    req.refuseOverContext = request.value("context_length_exceeded_behavior", Json()) == "error";
    if (request.contains("temperature") && request["temperature"].is_number())
        req.sampling.temperature = request["temperature"].get<float>();
    if (request.contains("top_p") && request["top_p"].is_number())
        req.sampling.topP = request["top_p"].get<float>();
    if (request.contains("top_k") && request["top_k"].is_number_integer())
        req.sampling.topK = request["top_k"].get<int32_t>();
    if (request.contains("min_p") && request["min_p"].is_number())
        req.sampling.minP = request["min_p"].get<float>();
    const bool seeded = request.contains("seed") && request["seed"].is_number_integer();
    req.sampling.seed = seeded ? request["seed"].get<uint64_t>() : engine::freshSeed();
    req.reusePrefix = !seeded; // a named seed repeats its answer whatever ran before
    if (request.contains("n") && request["n"].is_number_integer())
        req.n = std::clamp(request["n"].get<int32_t>(), 1, 16);
    if (request.contains("stop")) {
        if (request["stop"].is_string())
            req.stop = {request["stop"].get<std::string>()};
        else if (request["stop"].is_array())
            for (const auto &s : request["stop"])
                if (s.is_string())
                    req.stop.push_back(s.get<std::string>());
    }
    if (auto eos = m->tokenizer->eosId())
        req.stopTokenIds.push_back(*eos);

    std::atomic<bool> cancel{false};
    auto tokenizer = m->tokenizer;
    auto result = m->session->generate(
        ids, req,
        [&](const engine::StreamEvent &e) {
            if (e.text.empty() || cancel)
                return;
            if (!onDelta({e.choice, QString::fromStdString(e.text), {}}))
                cancel = true; // the client went away: stop within one token
        },
        &cancel, [tokenizer] { return std::make_unique<DetokenizerStream>(tokenizer); });
    if (!result) {
        *failure = failureFor(result.error());
        return std::nullopt;
    }
    for (std::size_t i = 0; i < result.value().choices.size(); ++i) {
        const auto &c = result.value().choices[i];
        const QString reason = c.finishReason == engine::FinishReason::Stop ? QStringLiteral("stop")
                               : c.finishReason == engine::FinishReason::Length
                                   ? QStringLiteral("length")
                                   : QStringLiteral("error");
        onDelta({int(i), QString(), reason});
    }
    return GenerationResult{int(result.value().usage.promptTokens),
                            int(result.value().usage.completionTokens)};
}

} // namespace sandbox
