// libFuzzer target for the sandbox's dataset validator (the Local platform's check of uploaded
// JSONL files).

#include <sandbox/datasetvalidator.h>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    auto r = sandbox::validateDatasetJsonl(
        QByteArray(reinterpret_cast<const char *>(data), qsizetype(size)));
    (void)sandbox::datasetKindName(r.kind);
    return 0;
}
