#include "simulatedchatprovider.h"

#include <QRegularExpression>

namespace models {

SimulatedChatProvider::SimulatedChatProvider(QObject *parent) : ChatProvider(parent)
{
    m_timer.setInterval(1); // tokens due are sent in bursts, as a coalescing host would
    connect(&m_timer, &QTimer::timeout, this, &SimulatedChatProvider::tick);
    setReply(QStringLiteral("Hello from the simulated model."));
}

void SimulatedChatProvider::setReply(const QString &text)
{
    m_tokens.clear();
    static const QRegularExpression word(QStringLiteral("\\s*\\S+|\\s+"));
    for (auto it = word.globalMatch(text); it.hasNext();)
        m_tokens << it.next().captured();
}

qint64 SimulatedChatProvider::tokensSent(quint64 requestId) const
{
    const auto it = m_running.constFind(requestId);
    return it == m_running.cend() ? 0 : it->sent;
}

QString SimulatedChatProvider::unavailableReason(const ChatTarget &) const
{
    return {};
}

quint64 SimulatedChatProvider::start(const ChatTarget &, const QList<ChatTurn> &,
                                     const ChatParams &, const ChatOptions &, QString *)
{
    const quint64 id = m_nextId++;
    m_running[id].times.start();
    if (m_rate > 0 && !m_timer.isActive())
        m_timer.start();
    return id;
}

void SimulatedChatProvider::cancel(quint64 requestId)
{
    if (m_running.contains(requestId))
        finishNow(requestId, QStringLiteral("cancelled"));
}

void SimulatedChatProvider::sendText(quint64 requestId, const QString &text)
{
    auto it = m_running.find(requestId);
    if (it == m_running.end())
        return;
    it->times.textArrived();
    it->text += text;
    Q_EMIT textReceived(requestId, text);
}

void SimulatedChatProvider::finishNow(quint64 requestId, const QString &finishReason)
{
    auto it = m_running.find(requestId);
    if (it == m_running.end())
        return;
    const Running run = *it;
    m_running.erase(it);
    ChatReply reply;
    reply.text = run.text;
    reply.stats.present = true;
    reply.stats.finishReason = finishReason;
    reply.stats.completionTokens = run.sent;
    run.times.fill(reply.stats);
    reply.stats.where = tr("simulated");
    Q_EMIT finished(requestId, reply);
}

void SimulatedChatProvider::tick()
{
    const qint64 perReply = m_tokenCount > 0 ? m_tokenCount : m_tokens.size();
    const QList<quint64> ids = m_running.keys();
    for (quint64 id : ids) {
        auto it = m_running.find(id);
        if (it == m_running.end())
            continue;
        const qint64 due =
            std::min<qint64>(perReply, qint64(it->times.elapsedMs() / 1e3 * m_rate) + 1);
        QString piece;
        qint64 n = 0;
        for (qint64 i = it->sent; i < due && !m_tokens.isEmpty(); ++i, ++n)
            piece += m_tokens[i % m_tokens.size()];
        if (n > 0) {
            it->sent += n;
            m_total += n;
            sendText(id, piece);
        }
        if (m_running.contains(id) && m_running[id].sent >= perReply)
            finishNow(id);
    }
    if (m_running.isEmpty())
        m_timer.stop();
}

} // namespace models
