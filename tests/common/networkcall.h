#pragma once

// One request through a QNetworkAccessManager, waited for with the event loop running (the
// server under test, the sandbox, usually lives on the same thread): for tests that want every
// header of the HTTP exchange, below the app's client.

#include <QByteArray>
#include <QList>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSignalSpy>

namespace testing {

//! What the server answered (status 0 and a network error when nothing came back).
struct NetworkAnswer
{
    int status = 0;
    QByteArray body;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QList<QNetworkReply::RawHeaderPair> headers;

    QByteArray header(const QByteArray &name) const
    {
        for (const auto &[key, value] : headers)
            if (key.compare(name, Qt::CaseInsensitive) == 0)
                return value;
        return {};
    }
};

//! Sends `request` as `method` with `body` and waits up to `timeoutMs` for the answer.
inline NetworkAnswer callAndWait(QNetworkAccessManager &nam, const QNetworkRequest &request,
                                 const QByteArray &method, const QByteArray &body = {},
                                 int timeoutMs = 20000)
{
    QNetworkReply *reply = nam.sendCustomRequest(request, method, body);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!reply->isFinished())
        (void)finished.wait(timeoutMs);
    NetworkAnswer a;
    a.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    a.body = reply->readAll();
    a.error = reply->error();
    a.headers = reply->rawHeaderPairs();
    reply->deleteLater();
    return a;
}

} // namespace testing
