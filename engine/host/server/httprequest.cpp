#include "httprequest.h"

#include <cctype>

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

constexpr qsizetype kMaxChunkLineBytes = 1024;

//! A `Transfer-Encoding: chunked` body (RFC 9112 §7.1): hexadecimal size lines (extensions
//! ignored), each chunk followed by CRLF, a zero-size chunk, optional trailer lines, CRLF.
HttpParseResult readChunkedBody(const QByteArray &buffer, qsizetype at, qint64 maxBodyBytes,
                                HttpRequest req)
{
    QByteArray body;
    for (;;) {
        const qsizetype lineEnd = buffer.indexOf("\r\n", at);
        if (lineEnd < 0)
            return buffer.size() - at > kMaxChunkLineBytes
                       ? error(400, QStringLiteral("malformed chunk size line"))
                       : HttpParseResult{};
        if (lineEnd - at > kMaxChunkLineBytes)
            return error(400, QStringLiteral("malformed chunk size line"));
        QByteArray sizeText = buffer.mid(at, lineEnd - at);
        if (const qsizetype semicolon = sizeText.indexOf(';'); semicolon >= 0)
            sizeText.truncate(semicolon);
        sizeText = sizeText.trimmed();
        bool ok = !sizeText.isEmpty() && sizeText.size() <= 15;
        for (const char c : sizeText)
            ok = ok && std::isxdigit(static_cast<unsigned char>(c));
        const qint64 size = ok ? sizeText.toLongLong(&ok, 16) : -1;
        if (!ok || size < 0)
            return error(400, QStringLiteral("malformed chunk size line"));
        at = lineEnd + 2;
        if (size == 0)
            break;
        if (body.size() + size > maxBodyBytes)
            return error(413, QStringLiteral("the request body is larger than this server's "
                                             "limit of %1 bytes")
                                  .arg(maxBodyBytes));
        if (buffer.size() - at < size + 2)
            return {};
        if (buffer.mid(at + size, 2) != "\r\n")
            return error(400, QStringLiteral("a chunk does not end where its size says"));
        body += buffer.mid(at, size);
        at += size + 2;
    }
    // Trailer lines (ignored) up to an empty line.
    for (;;) {
        const qsizetype lineEnd = buffer.indexOf("\r\n", at);
        if (lineEnd < 0)
            return buffer.size() - at > kMaxHeaderBytes
                       ? error(431, QStringLiteral("the request trailers are too large"))
                       : HttpParseResult{};
        const bool last = lineEnd == at;
        at = lineEnd + 2;
        if (last)
            break;
    }
    req.body = std::move(body);
    HttpParseResult r;
    r.status = HttpParseResult::Status::Complete;
    r.request = std::move(req);
    r.consumed = at;
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
    const qsizetype bodyStart = headerEnd + 4;
    const bool expectsContinue =
        req.version == "HTTP/1.1" &&
        req.header("Expect").compare("100-continue", Qt::CaseInsensitive) == 0;
    auto needBody = [expectsContinue] {
        HttpParseResult r;
        r.continueWanted = expectsContinue;
        return r;
    };
    if (const QByteArray te = req.header("Transfer-Encoding"); !te.isEmpty()) {
        if (te.toLower() != "chunked")
            return error(501, QStringLiteral("transfer encoding \"%1\" is not supported; send "
                                             "the body as it is, or chunked")
                                  .arg(QString::fromLatin1(te)));
        // Both would let two readers disagree on where the body ends (request smuggling).
        if (!req.header("Content-Length").isEmpty())
            return error(400, QStringLiteral("a request cannot have both Content-Length and "
                                             "Transfer-Encoding"));
        HttpParseResult r = readChunkedBody(buffer, bodyStart, maxBodyBytes, std::move(req));
        r.continueWanted = r.status == HttpParseResult::Status::NeedMore && expectsContinue;
        return r;
    }
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
    if (buffer.size() - bodyStart < length)
        return needBody();
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
