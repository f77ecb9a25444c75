#include "modelworker_p.h"

#include "engineerror_p.h"

#include <engine/jinja/chattemplate.h>
#include <engine/model/loraadapter.h>
#include <engine/model/model.h>
#include <engine/session/session.h>
#include <engine/session/tokentextstream.h>
#include <engine/tokenizer/tokenizer.h>

#include <algorithm>

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QRegularExpression>

namespace enginehost::detail {

Q_LOGGING_CATEGORY(lcLoad, "engine.load")

namespace {

//! Where each generated token's text starts in the detokenized text, so that a token's log
//! probabilities travel with its text. The detokenizer holds tokens back while a character is
//! incomplete; the piece it then returns is the text of all of them, so they share the start.
struct TokenTextOffsets
{
    std::vector<std::size_t> starts; // by token, once its piece came out
    std::size_t pushed = 0;          // tokens given to the detokenizer
    std::size_t textBytes = 0;       // the detokenized text so far

    void piece(const std::string &text)
    {
        if (text.empty())
            return; // the tokens since the last piece wait for the next one
        starts.resize(pushed, textBytes);
        textBytes += text.size();
    }
};

class DetokenizerStream : public engine::TokenTextStream
{
public:
    DetokenizerStream(std::shared_ptr<const engine::Tokenizer> t, TokenTextOffsets *offsets)
        : m_detok(std::move(t)), m_offsets(offsets)
    {}
    std::string push(int32_t id) override
    {
        ++m_offsets->pushed;
        std::string out = m_detok.push(id);
        m_offsets->piece(out);
        return out;
    }
    std::string finish() override
    {
        std::string out = m_detok.finish();
        m_offsets->piece(out);
        return out;
    }

private:
    engine::StreamingDetokenizer m_detok;
    TokenTextOffsets *m_offsets; // the generate() call's
};

QString engineText(const engine::Error &e)
{
    return QString::fromStdString(e.message);
}

engine::BackendKind backendKind(BackendChoice choice)
{
    switch (choice) {
    case BackendChoice::Cpu:
        return engine::BackendKind::Cpu;
    case BackendChoice::Cuda:
        return engine::BackendKind::Cuda;
    case BackendChoice::Auto:
        break;
    }
    return engine::BackendKind::Auto;
}

//! A load the engine refused, with its words and the kind of its code (what may help).
LoadOutcome failed(const engine::Error &e)
{
    LoadOutcome o;
    o.error = engineText(e);
    o.errorKind = errorKind(e.code);
    return o;
}

LoadOutcome adapterFailed(const engine::Error &e)
{
    LoadOutcome o = failed(e);
    o.adapterFailed = true;
    return o;
}

LoadOutcome cancelled()
{
    LoadOutcome o;
    o.cancelled = true;
    o.error = QStringLiteral("loading was cancelled");
    o.errorKind = ErrorKind::Cancelled;
    return o;
}

nlohmann::ordered_json toJson(const QVariantMap &map)
{
    const QByteArray text = QJsonDocument(QJsonObject::fromVariantMap(map)).toJson();
    return nlohmann::ordered_json::parse(text.constData(), nullptr, false);
}

//! The known extra variables a chat template reads, found in the text of every file a template
//! can come from (the identifiers survive the JSON escaping of tokenizer_config.json).
QStringList templateVariables(const QString &dir, const std::string &fireworksTemplate)
{
    QByteArray text = QByteArray::fromStdString(fireworksTemplate);
    for (const char *file : {"chat_template.jinja", "tokenizer_config.json", "fireworks.json"}) {
        QFile f(QDir(dir).filePath(QLatin1String(file)));
        if (f.open(QIODevice::ReadOnly))
            text += f.readAll();
    }
    QStringList found;
    for (const char *name : {"enable_thinking", "reasoning_effort", "thinking_budget"}) {
        const QRegularExpression word(QStringLiteral("\\b%1\\b").arg(QLatin1String(name)));
        if (word.match(QString::fromUtf8(text)).hasMatch())
            found << QLatin1String(name);
    }
    return found;
}

} // namespace

ModelWorker::ModelWorker() = default;
ModelWorker::~ModelWorker() = default;

LoadOutcome ModelWorker::load(const QString &dir, const LoadOptions &options,
                              const LoadState &state, const Progress &progress)
{
    // Model::load maps the file and validates tensors in one call, so progress is reported
    // per stage and cancel is honoured between stages.
    const int total = options.adapterDir.isEmpty() ? 4 : 5;
    int done = 0;
    const std::string dirStd = dir.toStdString();

    progress(done, total, QStringLiteral("mapping the weights"));
    if (state.cancel)
        return cancelled();
    auto model = engine::Model::load(dirStd);
    if (!model)
        return failed(model.error());
    progress(++done, total, QStringLiteral("reading the tokenizer"));
    if (state.cancel)
        return cancelled();
    auto tokenizer = engine::Tokenizer::load(dirStd);
    if (!tokenizer)
        return failed(tokenizer.error());
    progress(++done, total, QStringLiteral("reading the chat template"));
    if (state.cancel)
        return cancelled();
    const engine::GenerationDefaults &d = model.value()->defaults();
    // fireworks.json's conversation_config template wins over tokenizer_config.json's, as in
    // firedeck-engine chat.
    auto tmpl =
        d.chatTemplate.empty()
            ? engine::ChatTemplate::load(dirStd)
            : engine::ChatTemplate::fromSource(
                  d.chatTemplate, d.bosToken.empty() ? tokenizer.value()->bosToken() : d.bosToken,
                  d.eosToken.empty() ? tokenizer.value()->eosToken() : d.eosToken);
    progress(++done, total, QStringLiteral("creating the backend"));
    if (state.cancel)
        return cancelled();
    engine::SessionOptions so;
    so.contextLength = options.contextLength;
    so.threads = options.threads;
    so.backend = backendKind(options.backend);
    auto session = engine::Session::create(model.value(), so);
    if (!session) {
        LoadOutcome o = failed(session.error());
        // CUDA asked for where it cannot run (a build without CUDA, a GPU older than the
        // kernels) is the request's to change (Auto or the CPU), not the model's fault.
        if (options.backend == BackendChoice::Cuda && o.errorKind == ErrorKind::Unsupported)
            o.errorKind = ErrorKind::InvalidArgument;
        return o;
    }
    if (!options.adapterDir.isEmpty()) {
        progress(++done, total, QStringLiteral("applying the LoRA adapter"));
        if (state.cancel)
            return cancelled();
        auto adapter =
            engine::LoraAdapter::load(options.adapterDir.toStdString(), model.value()->config());
        if (!adapter)
            return adapterFailed(adapter.error());
        if (auto r = session.value()->attachAdapter(adapter.value()); !r)
            return adapterFailed(r.error());
        m_adapter = adapter.value();
    }
    if (state.cancel)
        return cancelled();

    m_model = model.value();
    m_tokenizer = tokenizer.value();
    m_session = std::move(session).value();
    LoadedModel &info = m_info;
    info.dir = dir;
    info.name = QFileInfo(dir).fileName();
    info.architecture = QString::fromLatin1(engine::architectureName(m_model->config().arch));
    info.adapterDir = options.adapterDir;
    info.backendName = QString::fromLatin1(m_session->backend().name());
    info.backendReason = QString::fromStdString(m_session->backendReason());
    info.contextLength = m_session->contextLength();
    info.loadedAtSecs = QDateTime::currentSecsSinceEpoch();
    if (tmpl) {
        m_template = std::make_unique<engine::ChatTemplate>(std::move(tmpl).value());
        info.hasChatTemplate = true;
        info.templateVariables = templateVariables(dir, d.chatTemplate);
    } else {
        info.chatTemplateError = engineText(tmpl.error());
    }
    qCDebug(lcLoad) << "loaded" << dir << "on" << info.backendName << info.backendReason;
    progress(total, total, QStringLiteral("loaded"));
    LoadOutcome o;
    o.ok = true;
    o.model = info;
    return o;
}

ModelWorker::AdapterOutcome ModelWorker::setAdapter(const QString &dir)
{
    if (!m_session)
        return {QStringLiteral("the model is not loaded"), ErrorKind::None};
    if (dir.isEmpty()) {
        m_session->detachAdapter();
        m_adapter.reset();
        m_info.adapterDir.clear();
        return {};
    }
    auto adapter = engine::LoraAdapter::load(dir.toStdString(), m_model->config());
    if (!adapter)
        return {engineText(adapter.error()), errorKind(adapter.error().code)};
    if (auto r = m_session->attachAdapter(adapter.value()); !r)
        return {engineText(r.error()), errorKind(r.error().code)};
    m_adapter = adapter.value();
    m_info.adapterDir = dir;
    qCDebug(lcLoad) << "adapter" << dir << "attached to" << m_info.dir;
    return {};
}

GenerationStats ModelWorker::generate(const GenerationRequest &request, RequestState &state,
                                      const OnText &onText)
{
    GenerationStats stats;
    stats.where = m_info.where();
    auto fail = [&stats](ErrorKind kind, const QString &error) {
        stats.finishReason = QStringLiteral("error");
        stats.error = error;
        stats.errorKind = kind;
        return stats;
    };
    auto failWith = [&fail](const engine::Error &e) {
        return fail(errorKind(e.code), engineText(e));
    };
    if (!m_session)
        return fail(ErrorKind::NotFound, QStringLiteral("the model is not loaded"));

    QElapsedTimer preparing;
    preparing.start();
    std::string prompt;
    bool addSpecial = true;
    if (request.usesRawPrompt) {
        prompt = request.rawPrompt.toStdString();
    } else {
        if (!m_template)
            return fail(ErrorKind::Unsupported, QStringLiteral("%1 has no usable chat template: %2")
                                                    .arg(m_info.name, m_info.chatTemplateError));
        nlohmann::ordered_json messages = nlohmann::ordered_json::array();
        for (const ChatMessage &m : request.messages)
            messages.push_back(
                {{"role", m.role.toStdString()}, {"content", m.content.toStdString()}});
        nlohmann::ordered_json extra = toJson(request.templateKwargs);
        if (extra.is_discarded())
            extra = nlohmann::ordered_json::object();
        auto rendered = m_template->apply(messages, nlohmann::ordered_json(), true, extra);
        if (!rendered)
            return failWith(rendered.error());
        prompt = std::move(rendered).value();
        addSpecial = false; // the template wrote the special tokens itself
    }
    const std::vector<int32_t> ids = m_tokenizer->encode(prompt, addSpecial);
    if (auto fits = engine::checkPromptFitsModel(ids, *m_tokenizer, m_model->config().vocabSize);
        !fits)
        return failWith(fits.error());
    stats.promptPreparationMs = double(preparing.nsecsElapsed()) / 1e6;

    engine::GenerationRequest req = engine::requestFromDefaults(m_model->defaults());
    if (m_adapter) {
        // An adapter's fireworks.json defaults override the base model's.
        const engine::GenerationDefaults &ad = m_adapter->fireworksDefaults();
        const engine::GenerationRequest fromAdapter = engine::requestFromDefaults(ad);
        if (ad.temperature)
            req.sampling.temperature = fromAdapter.sampling.temperature;
        if (ad.topP)
            req.sampling.topP = fromAdapter.sampling.topP;
        if (ad.topK)
            req.sampling.topK = fromAdapter.sampling.topK;
        if (ad.maxTokens)
            req.maxTokens = fromAdapter.maxTokens;
        if (!ad.stop.empty())
            req.stop = ad.stop;
    }
    const GenerationParams &p = request.params;
    if (p.temperature)
        req.sampling.temperature = float(*p.temperature);
    if (p.topP)
        req.sampling.topP = float(*p.topP);
    if (p.topK)
        req.sampling.topK = *p.topK;
    if (p.minP)
        req.sampling.minP = float(*p.minP);
    if (p.repetitionPenalty)
        req.sampling.repetitionPenalty = float(*p.repetitionPenalty);
    if (p.presencePenalty)
        req.sampling.presencePenalty = float(*p.presencePenalty);
    if (p.frequencyPenalty)
        req.sampling.frequencyPenalty = float(*p.frequencyPenalty);
    req.sampling.seed = p.seed ? *p.seed : engine::freshSeed();
    req.reusePrefix = !p.seed; // a named seed repeats its answer whatever ran before
    req.sampling.topLogprobs = std::clamp(request.topLogprobs, 0, 20);
    if (p.maxTokens)
        req.maxTokens = *p.maxTokens;
    req.refuseOverContext = p.refuseOverContext;
    for (const QString &s : p.stop)
        if (!s.isEmpty())
            req.stop.push_back(s.toStdString());
    if (auto eos = m_tokenizer->eosId())
        req.stopTokenIds.push_back(*eos);

    auto tokenizer = m_tokenizer;
    const bool withLogprobs = req.sampling.topLogprobs > 0;
    // A token's log probabilities go out with the first piece of text that carries (some of)
    // its text, not before it: a token that completes a character split over several, or whose
    // text the stop matcher held back, waits with its text. Tokens whose text a stop sequence
    // cut off are never sent, as their text is not (the non-streamed answer leaves them out too).
    TokenTextOffsets offsets;
    QList<TokenLogprob> unsent; // produced, text not out yet
    std::size_t sentBytes = 0;  // text handed to onText so far
    std::size_t sentTokens = 0; // tokens whose log probabilities went out
    auto takeReleased = [&] {
        QList<TokenLogprob> out;
        while (!unsent.isEmpty() && sentTokens < offsets.starts.size() &&
               offsets.starts[sentTokens] < sentBytes) {
            out.append(unsent.takeFirst());
            ++sentTokens;
        }
        stats.tokens += out;
        return out;
    };
    auto result = m_session->generate(
        ids, req,
        [&](const engine::StreamEvent &e) {
            if (e.token >= 0)
                ++state.generated;
            if (!withLogprobs) {
                if (!e.text.empty())
                    onText(e.text, {});
                return;
            }
            if (e.sampled)
                unsent.append(tokenLogprob(*e.sampled));
            sentBytes += e.text.size();
            const QList<TokenLogprob> released = takeReleased();
            if (!e.text.empty() || !released.isEmpty())
                onText(e.text, released);
        },
        &state.cancel,
        [tokenizer, &offsets] { return std::make_unique<DetokenizerStream>(tokenizer, &offsets); });
    // Tokens that brought no text at the end (their piece was empty) go out with nothing, unless
    // a stop sequence cut the text: then whatever was not sent belongs to the cut part.
    if (withLogprobs && !unsent.isEmpty() && sentBytes >= offsets.textBytes) {
        stats.tokens += unsent;
        onText({}, std::exchange(unsent, {}));
    }
    if (!result)
        return failWith(result.error());
    const engine::Choice &c = result->choices.front();
    stats.text = QString::fromStdString(c.text);
    stats.finishReason = QString::fromLatin1(engine::finishReasonName(c.finishReason));
    if (c.finishReason == engine::FinishReason::Error) {
        stats.error = QString::fromStdString(c.error);
        stats.errorKind = errorKind(c.errorCode);
    }
    stats.promptTokens = result->usage.promptTokens;
    stats.completionTokens = result->usage.completionTokens;
    stats.engineTimeToFirstTokenMs = result->timings.timeToFirstTokenMs;
    stats.prefillMs = result->timings.prefillMs;
    stats.decodeMs = result->timings.decodeMs;
    stats.tokensPerSecond = result->timings.decodeTokensPerSecond;
    return stats; // stats.tokens: every token sent above, in order
}

TokenLogprob ModelWorker::tokenLogprob(const engine::SampledToken &t) const
{
    auto text = [this](int32_t id) {
        return QString::fromStdString(m_tokenizer->decode(std::span<const int32_t>(&id, 1)));
    };
    TokenLogprob out;
    out.token = text(t.id);
    out.logprob = t.logprob;
    for (const auto &[id, lp] : t.top)
        out.top.append({text(id), double(lp)});
    return out;
}

} // namespace enginehost::detail
