// libFuzzer target for a training job's trainer log as Firedeck tails it (models/logtail): the
// bytes come from a signed storage URL in pieces cut anywhere (a Range poll ends where the
// writer was), so a line, a '\r\n' or a UTF-8 character may be split between two pieces. Byte 0
// picks the piece size; the rest is the log. Whatever the cut, the lines must be the same as
// when the whole log arrives at once, one per '\n', and the bytes after the last '\n' must wait.

#include <models/logtail.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

namespace {

bool sameLines(const QList<models::LogLine> &a, const QList<models::LogLine> &b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i)
        if (a[i].text != b[i].text || a[i].level != b[i].level)
            return false;
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size == 0)
        return 0;
    const qsizetype piece = qsizetype(data[0] % 16) + 1;
    const QByteArray log(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));

    QByteArray wholePartial;
    const QList<models::LogLine> whole = models::takeCompleteLogLines(wholePartial, log);

    QByteArray partial;
    QList<models::LogLine> pieces;
    for (qsizetype at = 0; at < log.size(); at += piece)
        pieces += models::takeCompleteLogLines(partial, log.mid(at, piece));

    if (whole.size() != log.count('\n'))
        std::abort();
    if (!sameLines(whole, pieces) || partial != wholePartial)
        std::abort();
    const qsizetype lastNewline = log.lastIndexOf('\n');
    if (partial != log.mid(lastNewline + 1))
        std::abort();
    for (const models::LogLine &line : whole) {
        // One '\r' before the '\n' is the line end ("\r\n"); any other stays, as written.
        if (line.text.contains(QLatin1Char('\n')) || line.level != models::parseLogLevel(line.text))
            std::abort();
    }
    return 0;
}
