// libFuzzer target for the sandbox's HTTP byte ranges (sandbox/byterange: the `Range` header of a
// signed-URL download, as a client tailing a growing file sends it). Byte 0 and 1 give the body's
// size (0..65535, the body itself is not random), the rest is the Range header. Besides "no
// crash, no sanitizer report": a partial answer is 206 with a slice of the body that its
// Content-Range names exactly, an unsatisfiable one 416 with `bytes */SIZE`, anything else the
// whole 200 answer untouched.

#include <sandbox/byterange.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size < 2)
        return 0;
    const qint64 bodySize = qint64(data[0]) << 8 | data[1];
    const QByteArray header(reinterpret_cast<const char *>(data + 2), qsizetype(size - 2));
    QByteArray body(bodySize, '\0');
    for (qint64 i = 0; i < bodySize; ++i)
        body[i] = char('a' + i % 26);

    const sandbox::ByteRange r = sandbox::resolveByteRange(header, bodySize);
    switch (r.kind) {
    case sandbox::ByteRange::Kind::Partial:
        if (r.first < 0 || r.last < r.first || r.last >= bodySize)
            std::abort();
        break;
    case sandbox::ByteRange::Kind::Whole:
        if (r.first != 0 || r.last != bodySize - 1)
            std::abort();
        break;
    case sandbox::ByteRange::Kind::Unsatisfiable:
        break;
    }

    sandbox::ApiRequest request;
    request.method = "GET";
    request.headers.append({QByteArray("Range"), header});
    sandbox::ApiResponse response;
    response.body = body;
    sandbox::applyByteRange(request, response);
    QByteArray contentRange;
    for (const auto &h : response.headers)
        if (h.first == "Content-Range")
            contentRange = h.second;
    if (header.isEmpty() || r.kind == sandbox::ByteRange::Kind::Whole) {
        if (response.status != 200 || response.body != body || !contentRange.isEmpty())
            std::abort();
    } else if (r.kind == sandbox::ByteRange::Kind::Unsatisfiable) {
        if (response.status != 416 || contentRange != "bytes */" + QByteArray::number(bodySize))
            std::abort();
    } else {
        const QByteArray expected = "bytes " + QByteArray::number(r.first) + '-' +
                                    QByteArray::number(r.last) + '/' + QByteArray::number(bodySize);
        if (response.status != 206 || contentRange != expected ||
            response.body != body.mid(r.first, r.last - r.first + 1))
            std::abort();
    }
    return 0;
}
