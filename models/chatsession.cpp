#include "chatsession.h"

#include <engine/host/enginehost.h>

namespace models {

namespace {

constexpr int kFrameMs = 16;

ReplyStats replyStats(const enginehost::GenerationStats &s)
{
    ReplyStats r;
    r.present = true;
    r.timeToFirstTokenMs = s.hostTimeToFirstTokenMs;
    r.engineTimeToFirstTokenMs = s.engineTimeToFirstTokenMs;
    r.tokensPerSecond = s.tokensPerSecond;
    r.completionTokens = s.completionTokens;
    r.promptTokens = s.promptTokens;
    r.finishReason = s.finishReason;
    r.where = s.where;
    return r;
}

} // namespace

ChatSession::ChatSession(ConversationStore *store, enginehost::EngineHost *host, QObject *parent)
    : QObject(parent), m_store(store), m_host(host)
{
    m_frame.setSingleShot(true);
    m_frame.setInterval(kFrameMs);
    // Leading-edge throttle: the first text of a quiet period goes out at once (so the first
    // token is not held back a frame), the rest at most once per frame.
    connect(&m_frame, &QTimer::timeout, this, [this] {
        if (!std::exchange(m_framePending, false))
            return;
        Q_EMIT replyStreamed(m_streamingId, m_streamText);
        m_frame.start();
    });
    connect(m_host, &enginehost::EngineHost::tokensReady, this, &ChatSession::onTokens);
    connect(m_host, &enginehost::EngineHost::generationFinished, this, &ChatSession::onFinished);
}

ChatSession::~ChatSession()
{
    if (m_request)
        m_host->cancelGeneration(m_request);
}

enginehost::GenerationParams ChatSession::generationParams(const ChatParams &c)
{
    enginehost::GenerationParams p;
    p.temperature = c.temperature;
    p.topP = c.topP;
    p.minP = c.minP;
    p.topK = c.topK;
    p.maxTokens = c.maxTokens;
    p.repetitionPenalty = c.repetitionPenalty;
    p.presencePenalty = c.presencePenalty;
    p.frequencyPenalty = c.frequencyPenalty;
    p.seed = c.seed;
    p.stop = c.stop;
    return p;
}

void ChatSession::setConversation(qint64 id)
{
    if (m_request) {
        m_host->cancelGeneration(m_request); // its reply is stored when it finishes
    }
    m_conversation = id;
    reload();
}

void ChatSession::reload()
{
    m_messages = m_conversation ? m_store->shownPath(m_conversation) : QList<StoredMessage>();
    Q_EMIT messagesChanged();
}

bool ChatSession::canStart(QString *whyNot) const
{
    QString reason;
    if (!m_conversation)
        reason = tr("No conversation is open.");
    else if (m_request)
        reason = tr("A reply is still streaming; stop it first.");
    else if (!m_target || !m_host->loadedModel(m_target))
        reason = tr("No local model is loaded. Load one on the Local models page, then pick it "
                    "as the target.");
    if (whyNot)
        *whyNot = reason;
    if (reason.isEmpty())
        m_sinceSend.start();
    return reason.isEmpty();
}

bool ChatSession::send(const QString &text, QString *whyNot)
{
    if (!canStart(whyNot))
        return false;
    const qint64 parent = m_messages.isEmpty() ? 0 : m_messages.last().id;
    const qint64 user = m_store->addMessage(m_conversation, parent, QStringLiteral("user"), text);
    if (!user) {
        if (whyNot)
            *whyNot = tr("The conversation could not be saved: %1").arg(m_store->lastError());
        return false;
    }
    return startReply(user);
}

bool ChatSession::regenerate(qint64 replyId, QString *whyNot)
{
    if (!canStart(whyNot))
        return false;
    const auto reply = m_store->message(replyId);
    if (!reply || reply->role != QLatin1String("assistant"))
        return false;
    return startReply(reply->parentId);
}

bool ChatSession::editAndResend(qint64 userId, const QString &text, QString *whyNot)
{
    if (!canStart(whyNot))
        return false;
    const auto user = m_store->message(userId);
    if (!user || user->role != QLatin1String("user"))
        return false;
    const qint64 edited =
        m_store->addMessage(m_conversation, user->parentId, QStringLiteral("user"), text);
    return edited && startReply(edited);
}

bool ChatSession::retry(QString *whyNot)
{
    for (qsizetype i = m_messages.size() - 1; i >= 0; --i)
        if (m_messages[i].role == QLatin1String("assistant"))
            return regenerate(m_messages[i].id, whyNot);
    if (!m_messages.isEmpty() && m_messages.last().role == QLatin1String("user"))
        return canStart(whyNot) && startReply(m_messages.last().id);
    return false;
}

bool ChatSession::startReply(qint64 userId)
{
    // The prompt: the system prompt, then the shown path down to (and including) this turn.
    m_store->showVersion(userId);
    const QList<StoredMessage> path = m_store->shownPath(m_conversation);
    enginehost::GenerationRequest request;
    const auto info = m_store->conversation(m_conversation);
    if (info && !info->systemPrompt.trimmed().isEmpty())
        request.messages << enginehost::ChatMessage{QStringLiteral("system"), info->systemPrompt};
    for (const StoredMessage &m : path) {
        if (m.role == QLatin1String("assistant") && !m.error.isEmpty() && m.content.isEmpty())
            continue; // a failed reply is not part of what the model said
        request.messages << enginehost::ChatMessage{m.role, m.content};
        if (m.id == userId)
            break;
    }
    if (info)
        request.params = generationParams(info->params);

    m_streamingId =
        m_store->addMessage(m_conversation, userId, QStringLiteral("assistant"), QString());
    m_streamText.clear();
    m_sendToFirstTextMs = 0;
    if (!m_streamingId)
        return false; // the store refused; lastError() says why
    m_request = m_host->generate(m_target, request);
    reload();
    if (!m_request) {
        const qint64 failed = std::exchange(m_streamingId, 0);
        m_store->updateMessage(failed, {}, {}, tr("The model was unloaded before it could reply."));
        reload();
        return false;
    }
    return true;
}

void ChatSession::stop()
{
    if (m_request)
        m_host->cancelGeneration(m_request);
}

bool ChatSession::showVersion(qint64 messageId, int delta)
{
    if (m_request)
        return false; // the streaming reply would vanish from view
    const qint64 sibling = m_store->siblingOf(messageId, delta);
    if (!sibling || !m_store->showVersion(sibling))
        return false;
    reload();
    return true;
}

void ChatSession::onTokens(quint64 requestId, const QString &text)
{
    if (requestId != m_request)
        return;
    m_streamText += text;
    if (m_frame.isActive()) {
        m_framePending = true;
        return;
    }
    if (m_streamText.size() == text.size()) // the reply's first text
        m_sendToFirstTextMs = double(m_sinceSend.nsecsElapsed()) / 1e6;
    Q_EMIT replyStreamed(m_streamingId, m_streamText);
    m_frame.start();
}

void ChatSession::onFinished(quint64 requestId, const enginehost::GenerationStats &stats)
{
    if (requestId != m_request)
        return;
    m_frame.stop();
    if (std::exchange(m_framePending, false)) // so the view ends where the engine did
        Q_EMIT replyStreamed(m_streamingId, m_streamText);
    const qint64 id = std::exchange(m_streamingId, 0);
    m_request = 0;
    QString error;
    if (stats.finishReason == QLatin1String("error"))
        error = tr("The local model failed: %1").arg(stats.error);
    // The engine's own text, which the streamed pieces add up to.
    const QString text = stats.text.isEmpty() ? m_streamText : stats.text;
    m_streamText.clear();
    ReplyStats figures = replyStats(stats);
    if (m_sendToFirstTextMs > 0)
        figures.timeToFirstTokenMs = m_sendToFirstTextMs;
    m_sendToFirstTextMs = 0;
    m_store->updateMessage(id, text, figures, error);
    reload();
    Q_EMIT replyFinished(id, stats.finishReason);
}

} // namespace models
