// libFuzzer target for parseRftMetrics (client/metrics): an RFT job's outputMetrics and
// outputStats JSON strings. The input is split at the first NUL byte into the two strings.

#include <client/metrics.h>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    const qsizetype nul = input.indexOf('\0');
    const QByteArray metrics = nul < 0 ? input : input.left(nul);
    const QByteArray stats = nul < 0 ? QByteArray() : input.mid(nul + 1);
    auto r = client::parseRftMetrics(QString::fromUtf8(metrics), QString::fromUtf8(stats));
    (void)r;
    return 0;
}
