#pragma once

#include <client/transport.h>

class QNetworkAccessManager;

namespace client {

//! The production transport: one QNetworkAccessManager, asynchronous, with an inactivity
//! timeout per request. Lives on the thread that created it. It follows redirects itself:
//! 307/308 with the same method and body (a POST or PATCH is sent on, not dropped), 301/302/303
//! for GET and HEAD only (another method fails instead of turning into an empty GET), at most
//! kMaxRedirects hops, never from https to http. To another origin: without Authorization or
//! cookies, and a request with a body only when it went to a URL the platform handed out
//! (sendCredentials false: signed URLs), never a body meant for the platform itself.
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
