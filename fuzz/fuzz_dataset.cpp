// libFuzzer target for the dataset validator library (dataset/): JSONL or a JSON array (the
// validator tells them apart by the first byte). A NUL byte splits the input into a training
// file and an eval file, so the eval checks and the train/eval overlap are reached too.

#include "datasetfile.h"

#include <dataset/validator.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    static const std::string train = fuzzing::scratchPath("-train.jsonl");
    static const std::string eval = fuzzing::scratchPath("-eval.jsonl");
    const char *bytes = reinterpret_cast<const char *>(data);
    const void *nul = std::memchr(bytes, 0, size);
    const std::size_t trainSize = nul ? std::size_t(static_cast<const char *>(nul) - bytes) : size;
    if (!fuzzing::writeFile(train, bytes, trainSize))
        std::abort();
    dataset::ValidationOptions options;
    options.maxProblemsPerRule = 16;
    if (nul) {
        if (!fuzzing::writeFile(eval, bytes + trainSize + 1, size - trainSize - 1))
            std::abort();
        options.evalPath = eval;
    }
    const dataset::Report report = dataset::validate(train, options);
    if (report.train.ioFailed)
        std::abort(); // the file was just written: failing to read it is a bug
    (void)dataset::sniffFormat(train);
    return 0;
}
