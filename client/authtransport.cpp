#include "authtransport.h"

namespace client {

AuthTransport::AuthTransport(Transport *inner, std::function<QString()> apiKey)
    : m_inner(inner), m_apiKey(std::move(apiKey))
{}

TransportReply *AuthTransport::send(const HttpRequest &request)
{
    HttpRequest r = request;
    r.headers.removeIf(
        [](const auto &h) { return h.first.compare("Authorization", Qt::CaseInsensitive) == 0; });
    if (r.sendCredentials) {
        const QString key = m_apiKey ? m_apiKey() : QString();
        if (!key.isEmpty())
            r.setHeader("Authorization", "Bearer " + key.toUtf8());
    }
    return m_inner->send(r);
}

} // namespace client
