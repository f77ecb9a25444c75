#include "loopbackguard.h"

#include <algorithm>

namespace engineserver {

LoopbackGuard::LoopbackGuard(QHostAddress bound, quint16 port, QStringList allowedOrigins)
    : m_bound(std::move(bound)), m_port(port), m_allowedOrigins(std::move(allowedOrigins))
{}

bool LoopbackGuard::hostAllowed(const QByteArray &hostHeader) const
{
    const QByteArray host = hostHeader.trimmed().toLower();
    if (host.isEmpty())
        return true;
    // A Host is printable text. Fuzz finding: toUInt and address parsing stop at a NUL, so
    // "localhost:517\0<anything>" passed (and, as an Origin, was echoed back in
    // Access-Control-Allow-Origin with whatever followed, line breaks included).
    if (std::any_of(host.begin(), host.end(), [](char c) { return uchar(c) <= ' ' || c == 0x7f; }))
        return false;
    QByteArray name = host;
    QByteArray port;
    if (host.startsWith('[')) { // [::1]:port
        const qsizetype close = host.indexOf(']');
        if (close < 0)
            return false;
        name = host.mid(1, close - 1);
        const QByteArray rest = host.mid(close + 1);
        if (!rest.isEmpty()) {
            if (!rest.startsWith(':'))
                return false;
            port = rest.mid(1);
        }
    } else if (const qsizetype colon = host.lastIndexOf(':'); colon >= 0) {
        name = host.left(colon);
        port = host.mid(colon + 1);
    }
    if (!port.isEmpty()) {
        const bool digits =
            std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; });
        bool ok = false;
        const uint p = port.toUInt(&ok);
        if (!digits || !ok || p > 65535 || (m_port != 0 && p != m_port))
            return false;
    }
    if (name == "localhost")
        return true;
    // Only literal addresses from here: a name other than localhost is what a rebinding page
    // sends.
    const QHostAddress address(QString::fromLatin1(name));
    if (address.isNull())
        return false;
    if (address.isLoopback())
        return true;
    // Another interface the user chose to serve on (--host 192.168.1.5): its own address. Bound
    // to every interface, any literal address is one of ours (a literal address cannot be
    // rebound; only names can).
    if (m_bound == QHostAddress(QHostAddress::Any) ||
        m_bound == QHostAddress(QHostAddress::AnyIPv4) ||
        m_bound == QHostAddress(QHostAddress::AnyIPv6))
        return true;
    return address.isEqual(m_bound);
}

bool LoopbackGuard::originAllowed(const QByteArray &origin) const
{
    // An allowed origin is echoed in Access-Control-Allow-Origin: printable text only (fuzz
    // finding: "http://\r\r127.0.0.1:8080" passed, as hostAllowed trims what follows
    // "http://", and went back with its carriage returns).
    const QByteArray trimmed = origin.trimmed();
    if (std::any_of(trimmed.begin(), trimmed.end(),
                    [](char c) { return uchar(c) <= ' ' || c == 0x7f; }))
        return false;
    const QString o = QString::fromUtf8(trimmed);
    for (const QString &allowed : m_allowedOrigins)
        if (o.compare(allowed, Qt::CaseInsensitive) == 0)
            return true;
    // The server's own origin is not cross-origin.
    const QByteArray self = origin.trimmed().toLower();
    if (self.startsWith("http://")) {
        const QByteArray host = self.mid(7);
        return !host.isEmpty() && !host.contains('/') && host.contains(':') && hostAllowed(host);
    }
    return false;
}

} // namespace engineserver
