#include "chatsession.h"

#include <models/localchatprovider.h>
#include <models/platformchatprovider.h>

#include <client/apiclient.h>
#include <client/inference.h>

#include <engine/host/enginehost.h>

#include <QJsonDocument>
#include <QJsonObject>

namespace models {

namespace {

constexpr int kFrameMs = 16;

} // namespace

ChatSession::ChatSession(ConversationStore *store, enginehost::EngineHost *host, QObject *parent)
    : QObject(parent), m_store(store), m_host(host), m_local(new LocalChatProvider(host, this))
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
    connectProvider(m_local);
    connect(m_host, &enginehost::EngineHost::adapterChanged, this,
            [this](quint64 id, int handle, const QString &error, enginehost::ErrorKind kind) {
                if (!m_adapterRequests.remove(id))
                    return;
                if (error.isEmpty() && m_target.localHandle == handle)
                    setTarget(handle); // its label and "where it ran" name the adapter now
                Q_EMIT localAdapterChanged(handle, error, kind);
            });
}

bool ChatSession::setLocalAdapter(int handle, const QString &dir)
{
    const quint64 id = m_host->setAdapter(handle, dir);
    if (id)
        m_adapterRequests.insert(id);
    return id != 0;
}

void ChatSession::connectProvider(ChatProvider *provider)
{
    connect(provider, &ChatProvider::textReceived, this, &ChatSession::onText);
    connect(provider, &ChatProvider::tokenProbabilities, this, &ChatSession::onProbabilities);
    connect(provider, &ChatProvider::finished, this, &ChatSession::onFinished);
}

ChatSession::~ChatSession()
{
    if (m_request && m_provider)
        m_provider->cancel(m_request);
}

void ChatSession::setPlatform(client::ApiClient *api)
{
    if (m_remote && m_remote->api() == api)
        return;
    if (m_remote && m_provider == m_remote)
        stop();
    delete m_remote;
    m_remote = new PlatformChatProvider(api, this);
    connectProvider(m_remote);
}

client::ApiClient *ChatSession::platform() const
{
    return m_remote ? m_remote->api() : nullptr;
}

void ChatSession::setProviderOverride(ChatProvider *provider)
{
    if (m_override == provider)
        return;
    if (m_override) {
        if (m_provider == m_override)
            stop();
        m_override->disconnect(this);
    }
    m_override = provider;
    if (provider)
        connectProvider(provider);
}

void ChatSession::setTarget(int handle)
{
    ChatTarget t;
    if (const auto m = handle ? m_host->loadedModel(handle) : std::nullopt) {
        t.kind = ChatTarget::Kind::Local;
        t.localHandle = handle;
        t.localDir = m->dir;
        t.label = m->name;
        t.where = m->where();
        t.contextLength = m->contextLength;
    }
    m_target = t;
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
    if (m_request && m_provider)
        m_provider->cancel(m_request); // its reply is stored when it finishes
    m_conversation = id;
    reload();
}

void ChatSession::reload()
{
    m_messages = m_conversation ? m_store->shownPath(m_conversation) : QList<StoredMessage>();
    Q_EMIT messagesChanged();
}

ChatProvider *ChatSession::providerFor(const ChatTarget &target) const
{
    if (m_override)
        return m_override;
    if (target.kind == ChatTarget::Kind::Platform && m_remote)
        return m_remote;
    return m_local; // says "no model loaded" for a target it cannot serve
}

bool ChatSession::canStart(QString *whyNot) const
{
    QString reason;
    if (!m_conversation)
        reason = tr("No conversation is open.");
    else if (m_request)
        reason = tr("A reply is still streaming; stop it first.");
    else if (m_target.kind == ChatTarget::Kind::Platform && !m_remote && !m_override)
        reason = tr("Platform models cannot be reached from here.");
    else
        reason = providerFor(m_target)->unavailableReason(m_target);
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

QList<ChatTurn> ChatSession::turnsUpTo(const QList<StoredMessage> &path, qint64 lastId) const
{
    QList<ChatTurn> turns;
    const auto info = m_store->conversation(m_conversation);
    if (info && !info->systemPrompt.trimmed().isEmpty())
        turns << ChatTurn{QStringLiteral("system"), info->systemPrompt};
    for (const StoredMessage &m : path) {
        if (m.role == QLatin1String("assistant") && !m.error.isEmpty() && m.content.isEmpty())
            continue; // a failed reply is not part of what the model said
        // A reply's reasoning is not sent back (as chat templates and the platform expect).
        const ReplyParts parts =
            m.role == QLatin1String("assistant") ? splitReasoning(m.content) : ReplyParts{};
        turns << ChatTurn{m.role, parts.hasReasoning ? parts.answer : m.content};
        if (m.id == lastId)
            break;
    }
    return turns;
}

QList<ChatTurn> ChatSession::prompt(const QString &nextUserText) const
{
    QList<ChatTurn> turns = turnsUpTo(m_messages, 0);
    if (!nextUserText.isEmpty())
        turns << ChatTurn{QStringLiteral("user"), nextUserText};
    return turns;
}

ChatParams ChatSession::params() const
{
    const auto info = m_store->conversation(m_conversation);
    return info ? info->params : ChatParams{};
}

std::optional<client::HttpRequest> ChatSession::platformRequest(const QString &nextUserText) const
{
    if (m_target.kind != ChatTarget::Kind::Platform || !platform())
        return std::nullopt;
    QList<ChatTurn> turns = prompt(nextUserText);
    while (nextUserText.isEmpty() && !turns.isEmpty() &&
           turns.last().role == QLatin1String("assistant"))
        turns.removeLast();
    return platform()->inference().chatRequest(
        PlatformChatProvider::request(m_target, turns, params(), m_options), true);
}

std::optional<client::HttpRequest> ChatSession::localServerRequest(const QString &nextUserText,
                                                                   const QString &baseUrl,
                                                                   const QString &modelId,
                                                                   const ChatParams &params) const
{
    if (m_target.kind != ChatTarget::Kind::Local || baseUrl.isEmpty() || modelId.isEmpty())
        return std::nullopt;
    QList<ChatTurn> turns = prompt(nextUserText);
    while (nextUserText.isEmpty() && !turns.isEmpty() &&
           turns.last().role == QLatin1String("assistant"))
        turns.removeLast();
    // The body the platform would get (the server takes the same fields), for the served id.
    ChatTarget served = m_target;
    served.model = modelId;
    client::HttpRequest request;
    request.method = "POST";
    request.url = QUrl(baseUrl + QStringLiteral("/chat/completions"));
    request.setHeader("Content-Type", "application/json");
    request.body = client::InferenceClient::chatBody(
        PlatformChatProvider::request(served, turns, params, m_options), true);
    // The platform's cap of 5 alternatives does not hold here: the local server gives 20.
    if (m_options.topLogprobs > client::kMaxTopLogprobs) {
        QJsonObject body = QJsonDocument::fromJson(request.body).object();
        body.insert(QStringLiteral("top_logprobs"), std::min(m_options.topLogprobs, 20));
        request.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    }
    request.sendCredentials = false;
    return request;
}

ExportedConversation ChatSession::exported() const
{
    ExportedConversation c;
    const auto info = m_store->conversation(m_conversation);
    c.title = info ? info->title : QString();
    c.systemPrompt = info ? info->systemPrompt : QString();
    c.target = m_target.label;
    c.model = m_target.kind == ChatTarget::Kind::Platform ? m_target.model : m_target.localDir;
    c.messages = m_messages;
    return c;
}

qint64 ChatSession::createConversationWith(const QString &title, const QList<ChatTurn> &turns,
                                           const ChatParams &params)
{
    QList<ChatTurn> rest = turns;
    QString system;
    if (!rest.isEmpty() && rest.first().role == QLatin1String("system"))
        system = rest.takeFirst().content;
    const qint64 id = m_store->createConversation(title, m_target.key(), system, params);
    qint64 parent = 0;
    for (const ChatTurn &t : std::as_const(rest)) {
        if (!id)
            break;
        parent = m_store->addMessage(id, parent, t.role, t.content);
        if (!parent)
            return 0;
    }
    return id;
}

bool ChatSession::startReply(qint64 userId)
{
    // The prompt: the system prompt, then the shown path down to (and including) this turn.
    m_store->showVersion(userId);
    const QList<ChatTurn> turns = turnsUpTo(m_store->shownPath(m_conversation), userId);
    const ChatParams chatParams = params();

    m_streamingId =
        m_store->addMessage(m_conversation, userId, QStringLiteral("assistant"), QString());
    m_streamText.clear();
    m_sendToFirstTextMs = 0;
    m_sinceSaved.invalidate();
    if (!m_streamingId)
        return false; // the store refused; lastError() says why
    ChatProvider *provider = providerFor(m_target);
    QString why;
    m_request = provider->start(m_target, turns, chatParams, m_options, &why);
    m_provider = provider;
    m_requestContextLength = m_target.contextLength;
    reload();
    if (!m_request) {
        // The user's turn is stored; the failed reply says why and offers Retry. The target
        // could not take the request (none loaded, no profile): Retry alone cannot help.
        const qint64 failed = std::exchange(m_streamingId, 0);
        ReplyStats refused;
        refused.errorTransient = false;
        m_store->updateMessage(failed, {}, refused, why);
        reload();
        return false;
    }
    return true;
}

void ChatSession::stop()
{
    if (m_request && m_provider)
        m_provider->cancel(m_request);
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

void ChatSession::onText(quint64 requestId, const QString &text)
{
    if (requestId != m_request || sender() != m_provider)
        return;
    m_streamText += text;
    if (m_frame.isActive()) {
        m_framePending = true;
    } else {
        if (m_streamText.size() == text.size()) // the reply's first text
            m_sendToFirstTextMs = double(m_sinceSend.nsecsElapsed()) / 1e6;
        Q_EMIT replyStreamed(m_streamingId, m_streamText);
        m_frame.start();
    }
    // Kept through a crash: the text so far, at the store's pace (after the view got it, so
    // the first token is not held back; an own clock per session, so side-by-side columns
    // sharing the store do not defeat its throttle).
    if (!m_sinceSaved.isValid() ||
        m_sinceSaved.elapsed() >= ConversationStore::streamSaveIntervalMs) {
        m_store->saveStreamed(m_streamingId, m_streamText);
        m_sinceSaved.start();
    }
}

void ChatSession::onProbabilities(quint64 requestId, const QList<TokenProbability> &tokens)
{
    if (requestId != m_request || sender() != m_provider || m_options.topLogprobs <= 0)
        return;
    m_probabilities[m_streamingId] += tokens;
    Q_EMIT tokenProbabilitiesReceived(m_streamingId);
}

void ChatSession::onFinished(quint64 requestId, const ChatReply &reply)
{
    if (requestId != m_request || sender() != m_provider)
        return;
    m_frame.stop();
    if (std::exchange(m_framePending, false)) // so the view ends where the target did
        Q_EMIT replyStreamed(m_streamingId, m_streamText);
    const qint64 id = std::exchange(m_streamingId, 0);
    m_request = 0;
    // The provider's whole text, which the streamed pieces add up to.
    const QString text = reply.text.isEmpty() ? m_streamText : reply.text;
    m_streamText.clear();
    ReplyStats figures = reply.stats;
    if (m_sendToFirstTextMs > 0)
        figures.timeToFirstTokenMs = m_sendToFirstTextMs;
    m_sendToFirstTextMs = 0;
    if (figures.present)
        figures.contextLength = m_requestContextLength;
    m_store->updateMessage(id, text, figures, reply.error);
    reload();
    Q_EMIT replyFinished(id, figures.finishReason);
}

} // namespace models
