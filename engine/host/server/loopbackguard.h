#pragma once

// Keeps the local OpenAI-compatible server to its owner (issue 17): a request must name the
// address the server is bound to, or a loopback name, in its Host header (a page on
// evil.example that rebinds its name to 127.0.0.1 still sends Host: evil.example), and browser
// requests from another origin are refused unless the user listed the origin. Listed origins
// get exactly their own origin back in Access-Control-Allow-Origin, never "*".

#include <QHostAddress>
#include <QStringList>

namespace engineserver {

class LoopbackGuard
{
public:
    //! `bound`: the address the server listens on; `port`: its port.
    LoopbackGuard(QHostAddress bound = QHostAddress(QHostAddress::LocalHost), quint16 port = 0,
                  QStringList allowedOrigins = {});

    //! True for 127.0.0.1, localhost, [::1] (and the bound address when it is another
    //! interface the user chose), with no port or the bound one. An absent Host (HTTP/1.0
    //! tools) passes: browsers always send one.
    bool hostAllowed(const QByteArray &hostHeader) const;
    //! A listed origin, or the server's own (http://127.0.0.1:PORT and the like).
    bool originAllowed(const QByteArray &origin) const;
    const QStringList &allowedOrigins() const { return m_allowedOrigins; }

private:
    QHostAddress m_bound;
    quint16 m_port;
    QStringList m_allowedOrigins;
};

} // namespace engineserver
