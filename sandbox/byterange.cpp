#include "byterange.h"

namespace sandbox {

ByteRange resolveByteRange(const QByteArray &header, qint64 size)
{
    ByteRange whole;
    whole.last = size - 1;
    const QByteArray h = header.trimmed();
    if (!h.startsWith("bytes="))
        return whole;
    const QByteArray spec = h.mid(6).trimmed();
    if (spec.contains(','))
        return whole;
    const qsizetype dash = spec.indexOf('-');
    if (dash < 0)
        return whole;
    const QByteArray a = spec.left(dash).trimmed();
    const QByteArray b = spec.mid(dash + 1).trimmed();
    bool okA = false;
    bool okB = false;
    ByteRange r;
    if (a.isEmpty()) { // suffix: the last K bytes
        const qint64 k = b.toLongLong(&okB);
        if (!okB || k < 0)
            return whole;
        if (k == 0 || size == 0) {
            r.kind = ByteRange::Kind::Unsatisfiable;
            return r;
        }
        r.kind = ByteRange::Kind::Partial;
        r.first = std::max<qint64>(0, size - k);
        r.last = size - 1;
        return r;
    }
    const qint64 first = a.toLongLong(&okA);
    if (!okA || first < 0)
        return whole;
    qint64 last = size - 1;
    if (!b.isEmpty()) {
        last = b.toLongLong(&okB);
        if (!okB || last < first)
            return whole; // syntactically invalid: ignored
    }
    if (first >= size) {
        r.kind = ByteRange::Kind::Unsatisfiable;
        return r;
    }
    r.kind = ByteRange::Kind::Partial;
    r.first = first;
    r.last = std::min(last, size - 1);
    return r;
}

void applyByteRange(const ApiRequest &request, ApiResponse &response)
{
    if (request.method != "GET" || response.status != 200)
        return;
    response.headers.append({QByteArray("Accept-Ranges"), QByteArray("bytes")});
    const QByteArray header = request.header("Range");
    if (header.isEmpty())
        return;
    const qint64 size = response.body.size();
    const ByteRange r = resolveByteRange(header, size);
    switch (r.kind) {
    case ByteRange::Kind::Whole:
        return;
    case ByteRange::Kind::Unsatisfiable: {
        ApiResponse refused = ApiResponse::error(
            "OUT_OF_RANGE", QStringLiteral("the requested range is not satisfiable: the object "
                                           "has %1 bytes")
                                .arg(size));
        refused.status = 416;
        refused.headers = response.headers;
        refused.headers.append(
            {QByteArray("Content-Range"), "bytes */" + QByteArray::number(size)});
        response = refused;
        return;
    }
    case ByteRange::Kind::Partial:
        response.status = 206;
        response.headers.append({QByteArray("Content-Range"),
                                 "bytes " + QByteArray::number(r.first) + '-' +
                                     QByteArray::number(r.last) + '/' + QByteArray::number(size)});
        response.body = response.body.mid(r.first, r.last - r.first + 1);
        return;
    }
}

} // namespace sandbox
