#pragma once

#include <client/transport.h>

class QNetworkAccessManager;

namespace client {

//! The production transport: one QNetworkAccessManager, asynchronous, with an inactivity
//! timeout per request. Lives on the thread that created it. It follows redirects itself:
//! 307/308 with the same method and body (a POST or PATCH is sent on, not dropped), 301/302/303
//! for GET and HEAD only (another method fails instead of turning into an empty GET), at most
//! kMaxRedirects hops, never from https to http, and without Authorization or cookies when the
//! new address is another origin.
class NetworkTransport : public Transport
{
public:
    static constexpr int kMaxRedirects = 5;
    explicit NetworkTransport(QNetworkAccessManager *manager); // not owned
    TransportReply *send(const HttpRequest &request) override;

private:
    QNetworkAccessManager *m_manager;
};

} // namespace client
