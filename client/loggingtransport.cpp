#include "loggingtransport.h"

#include <QElapsedTimer>
#include <QLoggingCategory>

#include <memory>

Q_LOGGING_CATEGORY(lcHttp, "client.http", QtInfoMsg)

namespace client {

LoggingTransport::LoggingTransport(Transport *inner, QObject *parent)
    : QObject(parent), m_inner(inner)
{}

TransportReply *LoggingTransport::send(const HttpRequest &request)
{
    TransportReply *reply = m_inner->send(request);
    ++m_inFlight;
    Q_EMIT requestsInFlightChanged(m_inFlight);
    auto timer = std::make_shared<QElapsedTimer>();
    timer->start();
    // The path only: signed URLs carry their token in the query.
    const QString what =
        QString::fromLatin1(request.method) + QLatin1Char(' ') + request.url.path();
    QUrl withoutQuery = request.url;
    withoutQuery.setQuery(QString());
    Q_EMIT requestSent(request.method, withoutQuery);
    const bool background = request.background;
    QObject::connect(
        reply, &TransportReply::finished, this, [this, reply, timer, what, background] {
            --m_inFlight;
            Q_EMIT requestsInFlightChanged(m_inFlight);
            const HttpResponse &r = reply->response();
            if (r.transportError) {
                qCInfo(lcHttp).noquote() << what << "failed:" << r.transportError->message
                                         << "after" << timer->elapsed() << "ms";
                if (r.transportError->kind != ApiError::Kind::Cancelled)
                    Q_EMIT requestFailed(*r.transportError, background);
            } else {
                qCDebug(lcHttp).noquote() << what << r.status << timer->elapsed() << "ms";
                Q_EMIT serverAnswered(r.status);
                if (r.status >= 400)
                    Q_EMIT requestFailed(
                        apiErrorFromHttp(r.status, r.body,
                                         QString::fromLatin1(r.header("x-request-id")),
                                         retryAfterSeconds(r)),
                        background);
            }
        });
    return reply;
}

} // namespace client
