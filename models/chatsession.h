#pragma once

// One playground conversation being talked to: sends, regenerates and edits turns, streams
// the reply from a loaded local model through the engine host, and keeps everything in the
// conversation store (older versions included). Streamed text reaches the view at most once
// per frame.

#include <models/conversationstore.h>

#include <engine/host/hosttypes.h>

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

namespace enginehost {
class EngineHost;
}

namespace models {

class ChatSession : public QObject
{
    Q_OBJECT
public:
    //! Neither is owned.
    ChatSession(ConversationStore *store, enginehost::EngineHost *host, QObject *parent = nullptr);
    ~ChatSession() override;

    void setConversation(qint64 id);
    qint64 conversationId() const { return m_conversation; }
    //! The shown path of the conversation.
    const QList<StoredMessage> &messages() const { return m_messages; }

    //! The loaded model replies come from (an engine host handle; 0: none).
    void setTarget(int handle) { m_target = handle; }
    int target() const { return m_target; }

    //! Sends `text` as a new user turn and starts the reply. False (with the reason) when no
    //! model is loaded or a reply is still streaming; nothing is stored then.
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

    //! The engine's parameters for a conversation's.
    static enginehost::GenerationParams generationParams(const ChatParams &params);

Q_SIGNALS:
    //! The shown path changed (a turn was added, a version switched, a reply ended).
    void messagesChanged();
    //! The reply so far; at most once per frame while streaming.
    void replyStreamed(qint64 messageId, const QString &textSoFar);
    void replyFinished(qint64 messageId, const QString &finishReason);

private:
    bool canStart(QString *whyNot) const;
    bool startReply(qint64 userId);
    void reload();
    void onTokens(quint64 requestId, const QString &text);
    void onFinished(quint64 requestId, const enginehost::GenerationStats &stats);

    ConversationStore *m_store;     // not owned
    enginehost::EngineHost *m_host; // not owned
    qint64 m_conversation = 0;
    int m_target = 0;
    QList<StoredMessage> m_messages;
    quint64 m_request = 0;
    qint64 m_streamingId = 0;
    QString m_streamText;
    QTimer m_frame;                    // coalesces streamed text to one update per frame
    bool m_framePending = false;       // text arrived since the last replyStreamed
    mutable QElapsedTimer m_sinceSend; // from the Send (store writes included) to the first text
    double m_sendToFirstTextMs = 0;
};

} // namespace models
