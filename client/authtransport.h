#pragma once

#include <client/transport.h>

#include <functional>

namespace client {

//! Adds `Authorization: Bearer <key>` to requests that may carry credentials (never to
//! signed URLs). The key is read per request so a profile switch takes effect at once.
class AuthTransport : public Transport
{
public:
    AuthTransport(Transport *inner, std::function<QString()> apiKey); // inner not owned
    TransportReply *send(const HttpRequest &request) override;

private:
    Transport *m_inner;
    std::function<QString()> m_apiKey;
};

} // namespace client
