#pragma once

// The playground's provider for models loaded in the local engine host.

#include <models/chatprovider.h>

namespace enginehost {
class EngineHost;
struct GenerationParams;
struct GenerationStats;
} // namespace enginehost

namespace models {

class LocalChatProvider : public ChatProvider
{
    Q_OBJECT
public:
    //! `host` is not owned and must outlive this object.
    explicit LocalChatProvider(enginehost::EngineHost *host, QObject *parent = nullptr);
    ~LocalChatProvider() override;

    QString unavailableReason(const ChatTarget &target) const override;
    quint64 start(const ChatTarget &target, const QList<ChatTurn> &prompt, const ChatParams &params,
                  const ChatOptions &options, QString *whyNot) override;
    void cancel(quint64 requestId) override;

private:
    void onFinished(quint64 requestId, const enginehost::GenerationStats &stats);

    enginehost::EngineHost *m_host; // not owned
    QList<quint64> m_requests;      // started here and not finished
};

} // namespace models
