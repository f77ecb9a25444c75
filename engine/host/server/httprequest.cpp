#include "httprequest.h"

namespace engineserver {

namespace {

constexpr qsizetype kMaxHeaderBytes = 32 * 1024;

HttpParseResult error(int status, const QString &why)
{
    HttpParseResult r;
    r.status = HttpParseResult::Status::Error;
    r.errorStatus = status;
    r.error = why;
    return r;
}

} // namespace

QByteArray HttpRequest::header(const QByteArray &name) const
{
    for (const auto &[key, value] : headers)
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    return {};
}

bool HttpRequest::keepAlive() const
{
    const QByteArray connection = header("Connection").toLower();
    if (version == "HTTP/1.0")
        return connection.contains("keep-alive");
    return !connection.contains("close");
}

HttpParseResult parseHttpRequest(const QByteArray &buffer, qint64 maxBodyBytes)
{
    const qsizetype headerEnd = buffer.indexOf("\r\n\r\n");
    if (headerEnd < 0) {
        if (buffer.size() > kMaxHeaderBytes)
            return error(431, QStringLiteral("the request headers are larger than %1 bytes")
                                  .arg(kMaxHeaderBytes));
        return {};
    }
    if (headerEnd > kMaxHeaderBytes)
        return error(
            431,
            QStringLiteral("the request headers are larger than %1 bytes").arg(kMaxHeaderBytes));
    const QList<QByteArray> lines = buffer.left(headerEnd).split('\n');
    const QList<QByteArray> requestLine = lines.first().trimmed().split(' ');
    if (requestLine.size() != 3 || requestLine[0].isEmpty() || !requestLine[1].startsWith('/') ||
        !requestLine[2].startsWith("HTTP/1."))
        return error(400, QStringLiteral("malformed HTTP request line"));
    HttpRequest req;
    req.method = requestLine[0];
    req.version = requestLine[2];
    const QByteArray &target = requestLine[1];
    const qsizetype query = target.indexOf('?');
    req.path = query < 0 ? target : target.left(query);
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines[i].trimmed();
        if (line.isEmpty())
            continue;
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            return error(400, QStringLiteral("malformed HTTP header line"));
        req.headers.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
    }
    if (!req.header("Transfer-Encoding").isEmpty())
        return error(411, QStringLiteral("send the request body with a Content-Length header, "
                                         "not a transfer encoding"));
    qint64 length = 0;
    if (const QByteArray cl = req.header("Content-Length"); !cl.isEmpty()) {
        bool ok = false;
        length = cl.toLongLong(&ok);
        if (!ok || length < 0)
            return error(400, QStringLiteral("malformed Content-Length header"));
    }
    if (length > maxBodyBytes)
        return error(413, QStringLiteral("the request body (%1 bytes) is larger than this "
                                         "server's limit of %2 bytes")
                              .arg(length)
                              .arg(maxBodyBytes));
    const qsizetype bodyStart = headerEnd + 4;
    if (buffer.size() - bodyStart < length)
        return {};
    req.body = buffer.mid(bodyStart, length);
    HttpParseResult r;
    r.status = HttpParseResult::Status::Complete;
    r.request = std::move(req);
    r.consumed = bodyStart + length;
    return r;
}

QByteArray httpReasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 204:
        return "No Content";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 411:
        return "Length Required";
    case 413:
        return "Payload Too Large";
    case 421:
        return "Misdirected Request";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    case 503:
        return "Service Unavailable";
    default:
        return "Status";
    }
}

} // namespace engineserver
