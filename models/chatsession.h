#pragma once

// One playground conversation being talked to: sends, regenerates and edits turns, streams
// the reply from its target, and keeps everything in the conversation store (older versions
// included). A target is a model loaded in the local engine host or a platform model; each
// kind is reached through its ChatProvider, so this class (and the page) has one code path
// for both. Streamed text reaches the view at most once per frame.

#include <models/chatprovider.h>
#include <models/conversationexport.h>
#include <models/conversationstore.h>

#include <client/transport.h>

#include <engine/host/hosttypes.h>

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>

namespace client {
class ApiClient;
}
namespace enginehost {
class EngineHost;
}

namespace models {

class LocalChatProvider;
class PlatformChatProvider;

class ChatSession : public QObject
{
    Q_OBJECT
public:
    //! Neither is owned.
    ChatSession(ConversationStore *store, enginehost::EngineHost *host, QObject *parent = nullptr);
    ~ChatSession() override;

    //! Platform targets go through `api` (the app's client for the current profile; not owned).
    void setPlatform(client::ApiClient *api);
    client::ApiClient *platform() const;
    //! Every target is answered by `provider` (not owned; the GUI bench and tests use a
    //! SimulatedChatProvider); nullptr goes back to the local and platform providers.
    void setProviderOverride(ChatProvider *provider);
    bool hasProviderOverride() const { return !m_override.isNull(); }
    enginehost::EngineHost *host() const { return m_host; }
    ConversationStore *store() const { return m_store; }

    void setConversation(qint64 id);
    qint64 conversationId() const { return m_conversation; }
    //! The shown path of the conversation.
    const QList<StoredMessage> &messages() const { return m_messages; }

    void setTarget(const ChatTarget &target) { m_target = target; }
    //! A loaded local model by its engine host handle (0: none).
    void setTarget(int handle);
    const ChatTarget &target() const { return m_target; }

    //! Sends `text` as a new user turn and starts the reply. False (with the reason) when the
    //! target cannot answer or a reply is still streaming; nothing is stored then.
    bool send(const QString &text, QString *whyNot = nullptr);
    //! A new version of the reply `replyId` (the older one stays, as version n-1 of n).
    bool regenerate(qint64 replyId, QString *whyNot = nullptr);
    //! A new version of the user turn `userId` with `text`, then its reply: a branch.
    bool editAndResend(qint64 userId, const QString &text, QString *whyNot = nullptr);
    //! Regenerates the last reply (the Retry under a failed reply).
    bool retry(QString *whyNot = nullptr);
    //! Stops the streaming reply; what came so far stays, with finish reason "cancelled".
    void stop();
    //! Shows the sibling `delta` steps from `messageId` (‹ and ›).
    bool showVersion(qint64 messageId, int delta);

    bool isStreaming() const { return m_request != 0; }
    qint64 streamingMessageId() const { return m_streamingId; }
    QString streamingText() const { return m_streamText; }

    //! What a reply to the shown path would be sent: the system prompt, the shown turns
    //! (failed replies left out) and, when not empty, `nextUserText` as a new user turn.
    QList<ChatTurn> prompt(const QString &nextUserText = {}) const;
    //! The conversation's parameters (defaults when none is open).
    ChatParams params() const;
    //! Template variables and token probabilities for the next replies (the page's switches;
    //! kept for the session, not stored with the conversation).
    void setOptions(const ChatOptions &options) { m_options = options; }
    const ChatOptions &options() const { return m_options; }
    //! The token probabilities of a reply streamed in this session with topLogprobs on
    //! (empty otherwise: they are held in memory only, never stored).
    QList<TokenProbability> tokenProbabilities(qint64 messageId) const
    {
        return m_probabilities.value(messageId);
    }
    //! The HTTP request a Send of `nextUserText` would make now (empty: the last request sent,
    //! the path down to the last user turn); nullopt unless the target is a platform model.
    std::optional<client::HttpRequest> platformRequest(const QString &nextUserText) const;
    //! The same request to the local OpenAI-compatible server at `baseUrl` ("http://127.0.0.1:
    //! 8480/v1") for the model it serves as `modelId` (token probabilities up to its 20
    //! alternatives, not the platform's 5); nullopt unless the target is local.
    //! `params`: the form's (what a Send would store with a new conversation).
    std::optional<client::HttpRequest> localServerRequest(const QString &nextUserText,
                                                          const QString &baseUrl,
                                                          const QString &modelId,
                                                          const ChatParams &params) const;
    //! The open conversation as exported (title, target, system prompt, shown path).
    ExportedConversation exported() const;
    //! A new conversation holding `turns` (a leading system turn becomes its system prompt),
    //! with this session's target; returns its ID (0 on failure, lastError() in the store).
    qint64 createConversationWith(const QString &title, const QList<ChatTurn> &turns,
                                  const ChatParams &params);

    //! Attaches the LoRA adapter folder `dir` to the loaded local model `handle` (replacing
    //! its adapter), or detaches it when `dir` is empty, without reloading the base;
    //! localAdapterChanged follows. False for an unknown handle.
    bool setLocalAdapter(int handle, const QString &dir);

    //! The engine's parameters for a conversation's.
    static enginehost::GenerationParams generationParams(const ChatParams &params);

Q_SIGNALS:
    //! The shown path changed (a turn was added, a version switched, a reply ended).
    void messagesChanged();
    //! The reply so far; at most once per frame while streaming.
    void replyStreamed(qint64 messageId, const QString &textSoFar);
    void replyFinished(qint64 messageId, const QString &finishReason);
    //! A setLocalAdapter() ended; `error` (the engine's words) is empty when it worked, `kind`
    //! says why not (LocalEngine::adapterFailureText words both for people).
    void localAdapterChanged(int handle, const QString &error, enginehost::ErrorKind kind);
    //! More tokens of the streaming reply with their probabilities (topLogprobs on only).
    void tokenProbabilitiesReceived(qint64 messageId);

private:
    ChatProvider *providerFor(const ChatTarget &target) const;
    bool canStart(QString *whyNot) const;
    bool startReply(qint64 userId);
    void reload();
    void onText(quint64 requestId, const QString &text);
    void onProbabilities(quint64 requestId, const QList<TokenProbability> &tokens);
    void connectProvider(ChatProvider *provider);
    void onFinished(quint64 requestId, const ChatReply &reply);
    QList<ChatTurn> turnsUpTo(const QList<StoredMessage> &path, qint64 lastId) const;

    ConversationStore *m_store;               // not owned
    enginehost::EngineHost *m_host;           // not owned
    LocalChatProvider *m_local;               // owned (child)
    PlatformChatProvider *m_remote = nullptr; // owned (child), once setPlatform was called
    QPointer<ChatProvider> m_override;        // not owned
    qint64 m_conversation = 0;
    ChatTarget m_target;
    ChatOptions m_options;
    QSet<quint64> m_adapterRequests; // setLocalAdapter() calls not answered yet
    QHash<qint64, QList<TokenProbability>> m_probabilities; // by reply, topLogprobs on only
    QList<StoredMessage> m_messages;
    QPointer<ChatProvider> m_provider; // the streaming reply's
    quint64 m_request = 0;
    qint64 m_requestContextLength = 0; // the target's context window when m_request started
    qint64 m_streamingId = 0;
    QString m_streamText;
    QTimer m_frame;                    // coalesces streamed text to one update per frame
    bool m_framePending = false;       // text arrived since the last replyStreamed
    mutable QElapsedTimer m_sinceSend; // from the Send (store writes included) to the first text
    double m_sendToFirstTextMs = 0;
    QElapsedTimer m_sinceSaved; // the streaming reply's text so far is stored every 200 ms
};

} // namespace models
