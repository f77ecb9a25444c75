#include "platformchatprovider.h"

#include <client/apiclient.h>
#include <client/inference.h>
#include <client/transienterror.h>

namespace models {

PlatformChatProvider::PlatformChatProvider(client::ApiClient *api, QObject *parent)
    : ChatProvider(parent), m_api(api)
{}

PlatformChatProvider::~PlatformChatProvider()
{
    for (Running &r : m_running)
        if (r.stream) {
            r.stream->disconnect(this);
            r.stream->abort();
        }
}

QString PlatformChatProvider::unavailableReason(const ChatTarget &target) const
{
    if (!m_api || m_api->baseUrl().isEmpty())
        return tr("No profile is open, so platform models cannot be reached. Open a profile "
                  "in Settings.");
    if (target.kind != ChatTarget::Kind::Platform || target.model.isEmpty())
        return tr("Pick a platform model or deployment as the target.");
    return {};
}

client::ChatRequest PlatformChatProvider::request(const ChatTarget &target,
                                                  const QList<ChatTurn> &prompt,
                                                  const ChatParams &p, const ChatOptions &options)
{
    client::ChatRequest r;
    r.model = target.model;
    for (const ChatTurn &t : prompt)
        r.messages.append(client::ChatMessage{t.role, t.content, {}, {}, {}});
    // The same parameters the local engine gets; neutral values are left out, so the
    // server's own defaults (and its limits on what a model accepts) stay in charge.
    client::SamplingOptions &s = r.sampling;
    s.maxTokens = p.maxTokens;
    s.temperature = p.temperature;
    if (p.topP < 1.0)
        s.topP = p.topP;
    if (p.topK > 0)
        s.topK = p.topK;
    if (p.minP > 0)
        s.minP = p.minP;
    if (p.repetitionPenalty != 1.0)
        s.repetitionPenalty = p.repetitionPenalty;
    if (p.presencePenalty != 0)
        s.presencePenalty = p.presencePenalty;
    if (p.frequencyPenalty != 0)
        s.frequencyPenalty = p.frequencyPenalty;
    if (p.seed)
        s.seed = qint64(*p.seed);
    s.stop = p.stop;
    r.chatTemplateKwargs = QJsonObject::fromVariantMap(options.templateVariables);
    if (options.topLogprobs > 0)
        s.topLogprobs = options.topLogprobs;
    return r;
}

QString PlatformChatProvider::plainError(const client::ApiError &e)
{
    using Kind = client::ApiError::Kind;
    QString sentence;
    switch (e.kind) {
    case Kind::Network:
        sentence = tr("The platform could not be reached.");
        break;
    case Kind::Timeout:
        sentence = tr("The platform did not answer in time.");
        break;
    case Kind::InvalidArgument:
        sentence = tr("The platform refused the request.");
        break;
    case Kind::Unauthorized:
        sentence = tr("The platform did not accept the API key.");
        break;
    case Kind::Forbidden:
        sentence = tr("This account may not use that model.");
        break;
    case Kind::NotFound:
        sentence = tr("The platform does not know that model or deployment (deleted, or not "
                      "deployed).");
        break;
    case Kind::Conflict:
    case Kind::FailedPrecondition:
        // Not "right now": the platform means the request or the target must change (the
        // same request fails the same way, client::isTransient).
        sentence = tr("The model cannot answer this request in its current state.");
        break;
    case Kind::RateLimited:
        sentence = e.retryAfterSeconds ? tr("Too many requests; the platform asks to wait %1 s.")
                                             .arg(*e.retryAfterSeconds, 0, 'f', 0)
                                       : tr("Too many requests; wait a moment.");
        break;
    case Kind::Decode:
        sentence = tr("The platform's answer could not be read.");
        break;
    case Kind::Cancelled:
        sentence = tr("The request was cancelled.");
        break;
    case Kind::Server:
        sentence = tr("The platform failed while answering.");
        break;
    }
    return e.message.isEmpty() ? sentence : tr("%1 The platform said: %2").arg(sentence, e.message);
}

quint64 PlatformChatProvider::start(const ChatTarget &target, const QList<ChatTurn> &prompt,
                                    const ChatParams &params, const ChatOptions &options,
                                    QString *whyNot)
{
    if (const QString why = unavailableReason(target); !why.isEmpty()) {
        if (whyNot)
            *whyNot = why;
        return 0;
    }
    const quint64 id = m_nextId++;
    Running &run = m_running[id];
    run.where = target.where;
    run.times.start();
    client::CompletionStream *stream =
        m_api->inference().chatStream(request(target, prompt, params, options));
    run.stream = stream;
    connect(stream, &client::CompletionStream::deltaReceived, this,
            [this, id](const client::CompletionDelta &d) {
                auto it = m_running.find(id);
                if (it == m_running.end() || d.index != 0)
                    return;
                // reasoning_content deltas become a <think> block ahead of the answer, the
                // form a local reasoning model writes, so one reader shows both collapsed.
                QString piece;
                if (!d.reasoningContent.isEmpty() && (it->inReasoning || it->text.isEmpty())) {
                    if (!it->inReasoning)
                        piece = QStringLiteral("<think>");
                    it->inReasoning = true;
                    piece += d.reasoningContent;
                }
                if (!d.text.isEmpty()) {
                    if (std::exchange(it->inReasoning, false))
                        piece += QStringLiteral("</think>\n\n");
                    piece += d.text;
                }
                if (!d.logprobs.isEmpty()) {
                    QList<TokenProbability> tokens;
                    for (const client::TokenLogprob &t : d.logprobs)
                        tokens.append(TokenProbability{t.token, t.logprob, t.top});
                    Q_EMIT tokenProbabilities(id, tokens);
                }
                if (piece.isEmpty())
                    return;
                it->times.textArrived();
                it->text += piece;
                Q_EMIT textReceived(id, piece);
            });
    connect(stream, &client::PendingCallBase::finished, this, [this, id] { onFinished(id); });
    return id;
}

void PlatformChatProvider::cancel(quint64 requestId)
{
    auto it = m_running.find(requestId);
    if (it == m_running.end() || !it->stream)
        return;
    it->cancelled = true;
    it->stream->abort(); // closing the connection stops generation (and billing)
}

void PlatformChatProvider::onFinished(quint64 id)
{
    auto it = m_running.find(id);
    if (it == m_running.end())
        return;
    Running run = *it;
    m_running.erase(it);
    ChatReply reply;
    reply.text = run.text;
    ReplyStats &s = reply.stats;
    s.present = true;
    s.where = run.where;
    const client::Result<client::Completion> &result = run.stream->result();
    if (result.ok()) {
        const client::Completion &c = result.value();
        if (!c.choices.isEmpty()) {
            const client::Choice &choice = c.choices.first();
            reply.text = choice.reasoningContent.isEmpty()
                             ? choice.text
                             : QStringLiteral("<think>%1</think>\n\n%2")
                                   .arg(choice.reasoningContent, choice.text);
            s.finishReason = c.choices.first().finishReason;
        }
        if (c.usage) {
            s.completionTokens = c.usage->completionTokens;
            s.promptTokens = c.usage->promptTokens;
        }
    } else if (run.cancelled || result.error().kind == client::ApiError::Kind::Cancelled) {
        s.finishReason = QStringLiteral("cancelled");
    } else {
        s.finishReason = QStringLiteral("error");
        reply.error = plainError(result.error());
        s.errorTransient = client::isTransient(result.error());
    }
    // Time to the first text; decode speed: the tokens after the first over the time from the
    // first text to the last.
    run.times.fill(s);
    Q_EMIT finished(id, reply);
}

} // namespace models
