#include "localchatprovider.h"

#include <models/chatsession.h>
#include <models/replyfigures.h>

#include <engine/host/enginehost.h>

namespace models {

LocalChatProvider::LocalChatProvider(enginehost::EngineHost *host, QObject *parent)
    : ChatProvider(parent), m_host(host)
{
    connect(m_host, &enginehost::EngineHost::tokensReady, this,
            [this](quint64 id, const QString &text) {
                if (m_requests.contains(id))
                    Q_EMIT textReceived(id, text);
            });
    // Each token's probabilities while the reply streams (the hover works on the tokens
    // shown so far); the host sends them all before generationFinished.
    connect(m_host, &enginehost::EngineHost::tokenLogprobsReady, this,
            [this](quint64 id, const QList<enginehost::TokenLogprob> &tokens) {
                if (!m_requests.contains(id))
                    return;
                QList<TokenProbability> out;
                out.reserve(tokens.size());
                for (const enginehost::TokenLogprob &t : tokens)
                    out.append(TokenProbability{t.token, t.logprob, t.top});
                Q_EMIT tokenProbabilities(id, out);
            });
    connect(m_host, &enginehost::EngineHost::generationFinished, this,
            &LocalChatProvider::onFinished);
}

LocalChatProvider::~LocalChatProvider()
{
    for (quint64 id : std::as_const(m_requests))
        m_host->cancelGeneration(id);
}

QString LocalChatProvider::unavailableReason(const ChatTarget &target) const
{
    if (target.kind != ChatTarget::Kind::Local || !target.localHandle ||
        !m_host->loadedModel(target.localHandle))
        return tr("No local model is loaded. Load one on the Local models page, then pick it "
                  "as the target.");
    return {};
}

quint64 LocalChatProvider::start(const ChatTarget &target, const QList<ChatTurn> &prompt,
                                 const ChatParams &params, const ChatOptions &options,
                                 QString *whyNot)
{
    if (const QString why = unavailableReason(target); !why.isEmpty()) {
        if (whyNot)
            *whyNot = why;
        return 0;
    }
    enginehost::GenerationRequest request;
    for (const ChatTurn &t : prompt)
        request.messages << enginehost::ChatMessage{t.role, t.content};
    request.params = ChatSession::generationParams(params);
    request.templateKwargs = options.templateVariables;
    // The engine keeps the logits on the host for these; asked only when the switch is on.
    request.topLogprobs = options.topLogprobs;
    const quint64 id = m_host->generate(target.localHandle, request);
    if (!id) {
        if (whyNot)
            *whyNot = tr("The model was unloaded before it could reply.");
        return 0;
    }
    m_requests << id;
    return id;
}

void LocalChatProvider::cancel(quint64 requestId)
{
    if (m_requests.contains(requestId))
        m_host->cancelGeneration(requestId);
}

void LocalChatProvider::onFinished(quint64 requestId, const enginehost::GenerationStats &s)
{
    if (!m_requests.removeOne(requestId))
        return;
    ChatReply reply;
    reply.text = s.text;
    reply.stats.present = true;
    reply.stats.timeToFirstTokenMs = s.hostTimeToFirstTokenMs;
    reply.stats.engineTimeToFirstTokenMs = s.engineTimeToFirstTokenMs;
    // The engine's decode time runs from the first token to the last: one rule for every
    // target decides whether it measured a speed (a one-token reply did not).
    reply.stats.tokensPerSecond =
        ReplyFigures::decodeTokensPerSecond(s.completionTokens, s.decodeMs);
    reply.stats.completionTokens = s.completionTokens;
    reply.stats.promptTokens = s.promptTokens;
    reply.stats.finishReason = s.finishReason;
    reply.stats.where = s.where;
    if (s.finishReason == QLatin1String("error")) {
        // Whether asking again may help is the engine host's rule (the local server answers
        // 503, 400 or 500 by it too): a prompt over the context length or a model without a
        // usable chat template fails the same way every time, while memory another process or
        // model held, a busy device or a failed read may be there on the next try.
        reply.stats.errorTransient = enginehost::mayPassOnRetry(s.errorKind);
        reply.error = s.errorKind == enginehost::ErrorKind::OutOfMemory
                          ? tr("The local model ran out of memory: %1. Free some (unload another "
                               "model, close a program), then Retry.")
                                .arg(s.error)
                          : tr("The local model failed: %1").arg(s.error);
    }
    Q_EMIT finished(requestId, reply);
}

} // namespace models
