#pragma once

// The playground's provider for platform targets: serverless models, dedicated deployments
// and LoRAs deployed on them, through the client core's streaming chat completions. The
// conversation's parameters go in the request as the local engine gets them; the figures
// under the reply are measured here (time to the first text, decode tokens/s from the usage).

#include <models/chatprovider.h>
#include <models/replyfigures.h>

#include <QHash>
#include <QPointer>

namespace client {
class ApiClient;
class CompletionStream;
struct ApiError;
struct ChatRequest;
} // namespace client

namespace models {

class PlatformChatProvider : public ChatProvider
{
    Q_OBJECT
public:
    //! `api` (the app's client for the current profile) is not owned; null: no platform.
    explicit PlatformChatProvider(client::ApiClient *api, QObject *parent = nullptr);
    ~PlatformChatProvider() override;

    client::ApiClient *api() const { return m_api; }

    QString unavailableReason(const ChatTarget &target) const override;
    quint64 start(const ChatTarget &target, const QList<ChatTurn> &prompt, const ChatParams &params,
                  const ChatOptions &options, QString *whyNot) override;
    void cancel(quint64 requestId) override;

    //! The request start() sends for `target`, `prompt` and `params`.
    static client::ChatRequest request(const ChatTarget &target, const QList<ChatTurn> &prompt,
                                       const ChatParams &params, const ChatOptions &options = {});
    //! A failed call in plain words, with the server's message.
    static QString plainError(const client::ApiError &error);

private:
    struct Running
    {
        QPointer<client::CompletionStream> stream;
        ReplyTimes times;
        QString text;
        QString where;
        bool cancelled = false;
        bool inReasoning = false; // reasoning_content streamed, no content yet
    };
    void onFinished(quint64 id);

    client::ApiClient *m_api; // not owned
    QHash<quint64, Running> m_running;
    quint64 m_nextId = 1;
};

} // namespace models
