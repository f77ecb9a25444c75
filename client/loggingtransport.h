#pragma once

#include <client/transport.h>

#include <QObject>

namespace client {

//! Logs method, path, status and duration to `client.http`. Never headers or bodies, so
//! keys and secrets cannot reach a log. Counts requests in flight for the status bar.
class LoggingTransport : public QObject, public Transport
{
    Q_OBJECT
public:
    explicit LoggingTransport(Transport *inner, QObject *parent = nullptr); // inner not owned
    TransportReply *send(const HttpRequest &request) override;
    int requestsInFlight() const { return m_inFlight; }

Q_SIGNALS:
    void requestsInFlightChanged(int count);
    //! A request goes out (method and URL without the query, which may hold a signed token).
    void requestSent(const QByteArray &method, const QUrl &url);
    //! The server answered (any HTTP status): it is reachable.
    void serverAnswered(int status);
    //! A request failed; `background` is the request's flag (the app's own look-up).
    void requestFailed(const client::ApiError &error, bool background);

private:
    Transport *m_inner;
    int m_inFlight = 0;
};

} // namespace client
