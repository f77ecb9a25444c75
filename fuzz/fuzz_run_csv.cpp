// libFuzzer target for models::parseMetricsCsv (a local run's metrics CSV) and
// models::parseMetricsJsonlRun on the same bytes.

#include <models/runfiles.h>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    auto csv = models::parseMetricsCsv(bytes, QStringLiteral("fuzz"));
    (void)csv;
    auto jsonl = models::parseMetricsJsonlRun(bytes, QStringLiteral("fuzz"));
    (void)jsonl;
    return 0;
}
