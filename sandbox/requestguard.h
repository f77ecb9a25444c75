#pragma once

// Keeps the sandbox's local ports to their owner (issue 17, after the DNS-rebinding and open-CORS
// reports against local LLM servers): a request must name a loopback host in its Host header (a
// page on evil.example that rebinds its name to 127.0.0.1 still sends Host: evil.example), and a
// browser request from another origin is refused unless the user listed that origin. Listed
// origins get exactly their own origin back in Access-Control-Allow-Origin, never "*".
// The Host and Origin rules themselves are the local OpenAI-compatible server's
// (engineserver::LoopbackGuard), so both servers refuse the same requests.

#include <sandbox/apirequest.h>

#include <engine/host/server/loopbackguard.h>

#include <QStringList>

#include <optional>

namespace sandbox {

class RequestGuard
{
public:
    //! `port`: the port the server is bound to; `allowedOrigins`: e.g. "http://localhost:5173".
    RequestGuard(quint16 port = 0, QStringList allowedOrigins = {})
        : m_guard(QHostAddress(QHostAddress::LocalHost), port, std::move(allowedOrigins))
    {}
    void setPort(quint16 port)
    {
        m_guard = engineserver::LoopbackGuard(QHostAddress(QHostAddress::LocalHost), port,
                                              m_guard.allowedOrigins());
    }

    //! True when `host` (a Host header) names 127.0.0.1, localhost or [::1], with no port or
    //! the bound one. An absent Host (HTTP/1.0 tools) passes: browsers always send one.
    bool hostAllowed(const QByteArray &host) const { return m_guard.hostAllowed(host); }
    //! An answer for a request that must not be served (wrong Host, foreign Origin) or for a
    //! CORS preflight; nothing when the request may go on.
    std::optional<ApiResponse> check(const ApiRequest &request) const;
    //! Headers an answer to an allowed cross-origin request carries (none otherwise).
    QList<QPair<QByteArray, QByteArray>> corsHeaders(const ApiRequest &request) const;

private:
    bool originAllowed(const QByteArray &origin) const { return m_guard.originAllowed(origin); }

    engineserver::LoopbackGuard m_guard;
};

} // namespace sandbox
