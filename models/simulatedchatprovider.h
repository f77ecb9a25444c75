#pragma once

// A chat provider that answers every target with a fixed text streamed at a chosen rate, one
// word-sized token at a time, without any model: the playground's GUI benchmark and tests that
// need a reply in flight use it through ChatSession::setProviderOverride().

#include <models/chatprovider.h>
#include <models/replyfigures.h>

#include <QHash>
#include <QTimer>

namespace models {

class SimulatedChatProvider : public ChatProvider
{
    Q_OBJECT
public:
    explicit SimulatedChatProvider(QObject *parent = nullptr);

    //! The reply, cut into tokens at word boundaries (a token keeps its leading space).
    void setReply(const QString &text);
    //! Tokens per second (default 1500); 0 sends nothing until finishNow() (a reply in flight).
    void setTokensPerSecond(double rate) { m_rate = rate; }
    //! When > 0, the reply is repeated until this many tokens were sent.
    void setTokenCount(qint64 tokens) { m_tokenCount = tokens; }
    qint64 tokensSent(quint64 requestId) const;
    //! Tokens emitted by all requests so far (what the bench compares the view with).
    qint64 totalTokensSent() const { return m_total; }

    QString unavailableReason(const ChatTarget &target) const override;
    quint64 start(const ChatTarget &target, const QList<ChatTurn> &prompt, const ChatParams &params,
                  const ChatOptions &options, QString *whyNot) override;
    void cancel(quint64 requestId) override;
    //! Sends `text` of a running request now (tests drive the stream by hand with rate 0).
    void sendText(quint64 requestId, const QString &text);
    void finishNow(quint64 requestId, const QString &finishReason = QStringLiteral("stop"));

private:
    struct Running
    {
        ReplyTimes times;
        qint64 sent = 0;
        QString text;
    };
    void tick();

    QStringList m_tokens;
    double m_rate = 1500;
    qint64 m_tokenCount = 0;
    qint64 m_total = 0;
    quint64 m_nextId = 1;
    QHash<quint64, Running> m_running;
    QTimer m_timer;
};

} // namespace models
