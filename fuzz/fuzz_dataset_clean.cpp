// libFuzzer target for the dataset "fix and split" (dataset::cleanAndSplit: a cleaned JSONL copy
// and a train/eval split of a file the user picked) and the record viewer's reading of one line
// (dataset::readLineAt, dataset::indentJson). Byte 0 picks the options (split mode, drops, eval
// share), byte 1 the offset read back; the rest is the dataset file. Besides "no crash, no
// sanitizer report": the counts add up (kept <= records, the split shares out what was kept),
// and a failed run writes nothing.

#include "datasetfile.h"

#include <dataset/cleaner.h>
#include <dataset/linetext.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size < 2)
        return 0;
    static const std::string source = fuzzing::scratchPath("-clean-source.jsonl");
    static const std::string out = fuzzing::scratchPath("-clean-out.jsonl");
    static const std::string train = fuzzing::scratchPath("-clean-train.jsonl");
    static const std::string eval = fuzzing::scratchPath("-clean-eval.jsonl");
    if (!fuzzing::writeFile(source, reinterpret_cast<const char *>(data + 2), size - 2))
        std::abort();
    for (const std::string *p : {&out, &train, &eval})
        std::filesystem::remove(*p);

    const std::uint8_t pick = data[0];
    dataset::CleanOptions options;
    options.dropInvalid = pick & 1;
    options.dropDuplicates = pick & 2;
    options.outPath = out;
    options.split = static_cast<dataset::SplitMode>((pick >> 2) % 3);
    options.evalPercent = (pick >> 4) * 7.0; // 0 .. 105: past 100 must be refused or capped
    options.seed = pick;
    if (options.split != dataset::SplitMode::None) {
        options.trainPath = train;
        options.evalPath = eval;
    }
    const dataset::CleanResult r = dataset::cleanAndSplit(source, options);
    if (!r.error.empty()) {
        if (!r.written.empty())
            std::abort(); // "nothing was written when set"
    } else {
        if (r.kept > r.records)
            std::abort();
        if (options.split != dataset::SplitMode::None && r.trainRows + r.evalRows != r.kept)
            std::abort();
    }

    const std::uint64_t offset = data[1] * (size - 2) / 256;
    const std::string line = dataset::readLineAt(source, offset, 4096);
    if (line.size() > 4096)
        std::abort();
    bool ok = false;
    const std::string indented = dataset::indentJson(line, &ok);
    if (!ok && indented != line)
        std::abort(); // not JSON: the text unchanged
    return 0;
}
