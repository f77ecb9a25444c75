// libFuzzer target for the metrics JSONL parser (client/metrics): the whole-file parse and the
// incremental parser fed in random chunks must both survive any bytes and agree on the result.

#include <client/metrics.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size == 0)
        return 0;
    unsigned seed = data[0];
    const QByteArray jsonl(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));

    const client::MetricSeriesSet whole = client::parseMetricsJsonl(jsonl);

    client::MetricsJsonlParser parser;
    qsizetype at = 0;
    while (at < jsonl.size()) {
        seed = seed * 1103515245u + 12345u;
        const qsizetype n = qsizetype((seed >> 16) % 64);
        parser.feed(jsonl.mid(at, n));
        at += n;
    }
    parser.finish();
    const client::MetricSeriesSet &inc = parser.result();
    if (inc.linesRead != whole.linesRead || inc.issues.size() != whole.issues.size() ||
        inc.series.keys() != whole.series.keys())
        std::abort();
    for (auto it = whole.series.cbegin(); it != whole.series.cend(); ++it) {
        if (inc.series.value(it.key()).size() != it.value().size())
            std::abort();
    }
    return 0;
}
