// libFuzzer target for client::SseParser. Besides "no crash, no sanitizer report", it checks the
// parser's promise that a stream may be split anywhere: feeding the bytes in random chunks must
// give the same events as feeding them at once.

#include <client/sseparser.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size == 0)
        return 0;
    // The first byte seeds the chunk sizes, the rest is the stream.
    unsigned seed = data[0];
    const QByteArray stream(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));

    client::SseParser whole(4096);
    const QList<client::SseEvent> expected = whole.feed(stream);

    client::SseParser split(4096);
    QList<client::SseEvent> got;
    qsizetype at = 0;
    while (at < stream.size()) {
        seed = seed * 1103515245u + 12345u;
        const qsizetype n = qsizetype((seed >> 16) % 7);
        got += split.feed(stream.mid(at, n));
        at += n;
    }
    // A stream that overflowed the line limit stops at a point that depends on where chunks
    // end; only compare streams both parsers read to the end.
    if (whole.hasError() != split.hasError())
        std::abort();
    if (!whole.hasError() &&
        (got != expected || whole.hasPartialEvent() != split.hasPartialEvent()))
        std::abort();
    return 0;
}
