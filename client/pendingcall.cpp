#include "pendingcall.h"

#include <QTimer>

namespace client {

PendingCallBase::PendingCallBase(QObject *parent) : QObject(parent) {}

void PendingCallBase::attach(TransportReply *reply)
{
    if (!reply)
        return;
    m_reply = reply;
    reply->setParent(this);
    connect(reply, &TransportReply::uploadProgress, this, &PendingCallBase::progress);
    connect(reply, &TransportReply::finished, this, [this] {
        if (m_reply)
            onReplyFinished(m_reply->response());
    });
}

void PendingCallBase::abort()
{
    if (m_finished)
        return;
    if (m_reply && !m_reply->isFinished())
        m_reply->abort(); // finishes with a Cancelled transport error
}

void PendingCallBase::complete()
{
    if (m_finished)
        return;
    m_finished = true;
    // A call that failed before sending completes inside its creator; let the caller connect.
    QTimer::singleShot(0, this, [this] {
        Q_EMIT finished();
        deleteLater();
    });
}

} // namespace client
