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
    void requestFailed(const client::ApiError &error);

private:
    Transport *m_inner;
    int m_inFlight = 0;
};

} // namespace client
