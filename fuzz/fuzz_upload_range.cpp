// libFuzzer target for what cloud storage answers a resumable upload (client::ResumableUpload):
// the `Range: bytes=0-N` of a 308 (how much is stored; storedFromRange, file-local in
// client/resumableupload.cpp, so that file is compiled in here) and a session URL kept from an
// earlier run and moved to the fresh start URL's port (sessionOnCurrentOrigin). Byte 0 picks
// the start URL; the rest is the Range header, a NUL, then the session URL. Besides "no crash,
// no sanitizer report": the stored count is -1 (malformed) or a byte count the header names,
// and a session is only ever moved to another port of the same loopback host, never elsewhere.

#include "client/resumableupload.cpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size == 0)
        return 0;
    const QByteArray rest(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    const qsizetype nul = rest.indexOf('\0');
    const QByteArray range = nul < 0 ? rest : rest.left(nul);
    const QByteArray session = nul < 0 ? QByteArray() : rest.mid(nul + 1);

    const qint64 stored = client::storedFromRange(range);
    if (stored < -1 || (stored == 0 && !range.isEmpty()) ||
        (stored > 0 && !range.startsWith("bytes=0-")))
        std::abort();

    static const QUrl starts[] = {
        QUrl(QStringLiteral("http://127.0.0.1:8470/upload/start?sig=1")),
        QUrl(QStringLiteral("http://localhost:9000/upload/start")),
        QUrl(QStringLiteral("https://storage.googleapis.com/bucket/o?upload=1")),
        QUrl(QStringLiteral("http://[::1]:8471/s"))};
    const QUrl &start = starts[data[0] % 4];
    const QUrl kept = QUrl::fromEncoded(session);
    const QUrl moved = client::ResumableUpload::sessionOnCurrentOrigin(kept, start);
    if (moved != kept) {
        // Only the port changes, only to the start URL's, only on the start URL's loopback host.
        QUrl back = moved;
        back.setPort(kept.port());
        if (back != kept || moved.port() != start.port() || moved.host() != start.host() ||
            moved.scheme() != start.scheme())
            std::abort();
        if (moved.host() != QLatin1String("localhost") && !QHostAddress(moved.host()).isLoopback())
            std::abort();
    }
    return 0;
}
