// libFuzzer target for the dataset validator's CSV reader and prompt/completion mapping.

#include "datasetfile.h"

#include <dataset/validator.h>

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    static const std::string path = fuzzing::scratchPath(".csv");
    if (!fuzzing::writeFile(path, reinterpret_cast<const char *>(data), size))
        std::abort();
    dataset::ValidationOptions options;
    options.maxProblemsPerRule = 16;
    const dataset::Report report = dataset::validate(path, options);
    if (report.train.ioFailed)
        std::abort();
    return 0;
}
