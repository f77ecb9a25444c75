// libFuzzer target for the Host and Origin checks that keep the local servers to their owner
// (engineserver::LoopbackGuard, used by the OpenAI-compatible server, and sandbox::RequestGuard
// over it): against DNS rebinding and foreign web pages. Byte 0 picks the bound port (any, or
// 8080) and the method (GET or a CORS preflight); the rest is the Host header, a NUL, then the
// Origin header. Besides "no crash, no sanitizer report": an allowed Host names localhost or a
// loopback literal with no port or the bound one; an answered or allowed cross-origin request
// echoes exactly a listed or loopback origin, never "*", and no header value carries a line
// break; a refusal is an error answer.

#include <sandbox/requestguard.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

namespace {

//! The rule, written plainly: what hostAllowed() may accept.
bool plainlyLoopback(const QByteArray &hostHeader, quint16 port)
{
    const QByteArray host = hostHeader.trimmed().toLower();
    if (host.isEmpty())
        return true;
    QByteArray name = host;
    QByteArray portText;
    if (host.startsWith('[')) {
        const qsizetype close = host.indexOf(']');
        name = host.mid(1, close - 1);
        portText = host.mid(close + 2);
    } else if (const qsizetype colon = host.lastIndexOf(':'); colon >= 0) {
        name = host.left(colon);
        portText = host.mid(colon + 1);
    }
    if (!portText.isEmpty() && port != 0 && portText.toUInt() != port)
        return false;
    return name == "localhost" || QHostAddress(QString::fromLatin1(name)).isLoopback();
}

void checkHeaders(const QList<QPair<QByteArray, QByteArray>> &headers)
{
    for (const auto &h : headers)
        if (h.second.contains('\r') || h.second.contains('\n') || h.second == "*")
            std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size == 0)
        return 0;
    const quint16 port = (data[0] & 1) ? 8080 : 0;
    const QByteArray rest(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    const qsizetype nul = rest.indexOf('\0');
    const QByteArray host = nul < 0 ? rest : rest.left(nul);
    const QByteArray origin = nul < 0 ? QByteArray() : rest.mid(nul + 1);
    const QStringList listed{QStringLiteral("http://localhost:5173")};

    const engineserver::LoopbackGuard guard(QHostAddress(QHostAddress::LocalHost), port, listed);
    if (guard.hostAllowed(host) && !plainlyLoopback(host, port))
        std::abort(); // a name a rebinding page could send
    if (guard.originAllowed(origin)) {
        const QByteArray o = origin.trimmed();
        const bool isListed = o.compare("http://localhost:5173", Qt::CaseInsensitive) == 0;
        if (!isListed && (!o.toLower().startsWith("http://") || !plainlyLoopback(o.mid(7), port)))
            std::abort(); // a foreign page's origin
    }

    sandbox::RequestGuard requests(port, listed);
    sandbox::ApiRequest request;
    request.method = (data[0] & 2) ? "OPTIONS" : "GET";
    request.path = QStringLiteral("/v1/accounts/local/models");
    if (!host.isEmpty())
        request.headers.append({QByteArray("Host"), host});
    if (!origin.isEmpty())
        request.headers.append({QByteArray("Origin"), origin});
    const auto answer = requests.check(request);
    const auto cors = requests.corsHeaders(request);
    checkHeaders(cors);
    for (const auto &h : cors)
        if (h.first == "Access-Control-Allow-Origin" && !guard.originAllowed(h.second))
            std::abort();
    if (!answer) {
        if (!guard.hostAllowed(request.header("Host")))
            std::abort(); // served through another name
        const QByteArray o = request.header("Origin");
        if (!o.isEmpty() && !guard.originAllowed(o))
            std::abort(); // served to a foreign page
    } else if (answer->status != 204) {
        if (answer->status < 400 || answer->body.isEmpty())
            std::abort(); // a refusal that does not say so
    } else {
        checkHeaders(answer->headers);
    }
    return 0;
}
