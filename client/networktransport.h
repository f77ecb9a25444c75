#pragma once

#include <client/transport.h>

class QNetworkAccessManager;

namespace client {

//! The production transport: one QNetworkAccessManager, asynchronous, with an inactivity
//! timeout per request. Lives on the thread that created it.
class NetworkTransport : public Transport
{
public:
    explicit NetworkTransport(QNetworkAccessManager *manager); // not owned
    TransportReply *send(const HttpRequest &request) override;

private:
    QNetworkAccessManager *m_manager;
};

} // namespace client
