#include "multipart.h"

namespace sandbox {

namespace {

QByteArray headerParam(const QByteArray &header, const QByteArray &param)
{
    // e.g. form-data; name="file"; filename="a.jsonl"
    const QList<QByteArray> items = header.split(';');
    for (QByteArray item : items) {
        item = item.trimmed();
        const qsizetype eq = item.indexOf('=');
        if (eq < 0)
            continue;
        if (item.left(eq).trimmed().toLower() != param)
            continue;
        QByteArray value = item.mid(eq + 1).trimmed();
        if (value.size() >= 2 && value.startsWith('"') && value.endsWith('"'))
            value = value.mid(1, value.size() - 2);
        return value;
    }
    return {};
}

} // namespace

std::optional<QList<MultipartPart>> parseMultipart(const QByteArray &contentTypeHeader,
                                                   const QByteArray &body, QString *error)
{
    if (!contentTypeHeader.trimmed().toLower().startsWith("multipart/form-data")) {
        *error = QStringLiteral("Content-Type must be multipart/form-data");
        return std::nullopt;
    }
    const QByteArray boundary = headerParam(contentTypeHeader, "boundary");
    if (boundary.isEmpty() || boundary.size() > 200) {
        *error = QStringLiteral("multipart body without a valid boundary parameter");
        return std::nullopt;
    }
    const QByteArray delimiter = "--" + boundary;
    QList<MultipartPart> parts;
    qsizetype pos = body.indexOf(delimiter);
    if (pos < 0) {
        *error = QStringLiteral("multipart body does not contain its boundary");
        return std::nullopt;
    }
    for (;;) {
        pos += delimiter.size();
        if (body.mid(pos, 2) == "--")
            return parts; // closing delimiter
        if (body.mid(pos, 2) != "\r\n") {
            *error = QStringLiteral("malformed multipart delimiter line");
            return std::nullopt;
        }
        pos += 2;
        const qsizetype headersEnd = body.indexOf("\r\n\r\n", pos);
        if (headersEnd < 0) {
            *error = QStringLiteral("multipart part without the end of its headers");
            return std::nullopt;
        }
        MultipartPart part;
        for (const QByteArray &line : body.mid(pos, headersEnd - pos).split('\n')) {
            const QByteArray l = line.trimmed();
            const qsizetype colon = l.indexOf(':');
            if (colon < 0)
                continue;
            const QByteArray key = l.left(colon).trimmed().toLower();
            const QByteArray value = l.mid(colon + 1).trimmed();
            if (key == "content-disposition") {
                part.name = QString::fromUtf8(headerParam(value, "name"));
                part.fileName = QString::fromUtf8(headerParam(value, "filename"));
            } else if (key == "content-type") {
                part.contentType = value;
            }
        }
        const qsizetype dataStart = headersEnd + 4;
        const qsizetype next = body.indexOf("\r\n" + delimiter, dataStart);
        if (next < 0) {
            *error = QStringLiteral("multipart body ends without its closing boundary");
            return std::nullopt;
        }
        part.data = body.mid(dataStart, next - dataStart);
        parts.append(part);
        pos = next + 2;
    }
}

} // namespace sandbox
