#pragma once

// "Fix and split": writes a cleaned JSONL copy of a dataset (dropping invalid lines,
// duplicates, blank lines and, with token counts, examples over the max context) and optionally
// a train/eval split (seeded random or the last N %), each to a new file through a temporary
// file in the same folder and a rename, so a cancelled or failed run leaves no half file. The
// source is only ever read; an output path that is the source is refused.

#include <dataset/format.h>
#include <dataset/recordreader.h>
#include <dataset/tokencounter.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace dataset {

enum class SplitMode { None, Random, Last };

struct CleanOptions
{
    std::optional<Format> format; //!< default: detected
    SourceKind source = SourceKind::Auto;
    CsvMapping csv;
    bool dropInvalid = true;    //!< examples with an error (as the validator decides)
    bool dropDuplicates = true; //!< later copies of an example (the first one stays)
    //! Drop examples whose token count (from `tokens`, same file) is over maxTokens.
    const TokenStats *tokens = nullptr;
    uint32_t maxTokens = 0;

    std::string outPath; //!< the cleaned copy; empty: none
    SplitMode split = SplitMode::None;
    double evalPercent = 10; //!< share of the kept examples that go to the eval file
    uint64_t seed = 0;       //!< SplitMode::Random
    std::string trainPath;   //!< split outputs
    std::string evalPath;

    const std::atomic<bool> *cancel = nullptr;
    std::function<void(uint64_t done, uint64_t total)> progress;
};

struct CleanResult
{
    std::string error; //!< nothing was written when set
    bool cancelled = false;
    uint64_t records = 0;
    uint64_t kept = 0;
    uint64_t droppedBlank = 0;
    uint64_t droppedInvalid = 0;
    uint64_t droppedDuplicates = 0;
    uint64_t droppedOverLength = 0;
    uint64_t trainRows = 0;
    uint64_t evalRows = 0;
    std::vector<std::string> written; //!< the files created
};

CleanResult cleanAndSplit(const std::string &path, const CleanOptions &options);

} // namespace dataset
