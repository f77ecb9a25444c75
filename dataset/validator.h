#pragma once

// The dataset validator: one streaming pass over a training file (and optionally its eval
// file) that recognises the format and reports every problem of platform-api.md §5.7 / §5.8
// plus what the platform would only say after upload (bad UTF-8, BOM, CRLF, empty messages,
// role order, a last turn nobody trains on, duplicates, eval rows that are also train rows).
// Memory does not grow with the file, except the duplicate table (~17 bytes per distinct
// example) and at most maxProblemsPerRule stored problems per rule. Cancellable at any record.

#include <dataset/format.h>
#include <dataset/problem.h>
#include <dataset/recordreader.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace dataset {

//! What the validator decided about one record (for the cleaner).
struct RecordVerdict
{
    bool blank = false;       //!< whitespace-only line (not an example)
    bool error = false;       //!< breaks a rule the platform enforces
    bool duplicate = false;   //!< same bytes as an earlier example of the file
    bool evalOverlap = false; //!< an eval record that is also in the training file
    bool eval = false;        //!< the record is from the eval file
};

struct ValidationOptions
{
    std::optional<Format> format; //!< check as this format instead of the detected one
    SourceKind source = SourceKind::Auto;
    CsvMapping csv;
    std::string evalPath; //!< an eval file checked in the same format, and for overlap
    SourceKind evalSource = SourceKind::Auto;
    int epochs = 1; //!< for rows × epochs ≤ maxTrainingRows
    //! Platform limits (platform-api.md §5.7 and the fine-tuning pages it cites); options so
    //! that a test can lower them instead of writing a 3-million-line or 500 MB file.
    uint64_t minTrainingRows = 3;                       //!< SFT/DPO/VLM rows, at least
    uint64_t maxTrainingRows = 3'000'000;               //!< rows, and rows × epochs, at most
    uint64_t maxMultipartBytes = 150ull * 1000 * 1000;  //!< `:upload` in one request, at most
    uint64_t maxBatchInputBytes = 500ull * 1000 * 1000; //!< a batch input is under this
    //! Stored problems per rule; the counts are always complete.
    std::size_t maxProblemsPerRule = 1000;
    bool checkDuplicates = true;
    //! Records read to detect the format before the full pass.
    std::size_t sniffRecords = 1000;
    const std::atomic<bool> *cancel = nullptr; //!< polled before every record
    //! Bytes done of all bytes (train + eval), at least every 4 MiB and at the end.
    std::function<void(uint64_t done, uint64_t total)> progress;
    //! Every stored problem as it is found (on the scanning thread), in the order of
    //! FileReport::problems; `eval` tells which file. For lists that fill while the scan runs.
    std::function<void(const Problem &, bool eval)> onProblem;
    //! Every record after it was checked, in file order.
    std::function<void(const Record &, const RecordVerdict &)> onRecord;
};

struct FileReport
{
    std::string path;
    SourceKind source = SourceKind::Jsonl;
    uint64_t bytes = 0;
    uint64_t records = 0;  //!< lines / elements / CSV rows, blank ones included
    uint64_t examples = 0; //!< records that are not blank
    uint64_t examplesWithErrors = 0;
    uint64_t duplicates = 0;
    Evidence evidence;
    Format detected = Format::Unknown;
    Format checkedAs = Format::Unknown;
    std::vector<Problem> problems; //!< in the order found, at most maxProblemsPerRule per rule
    std::array<uint64_t, kRuleCount> ruleCounts{};
    uint64_t errors = 0;
    uint64_t warnings = 0;
    bool ioFailed = false;

    uint64_t count(Rule rule) const { return ruleCounts[std::size_t(rule)]; }
    bool accepted() const { return errors == 0 && !ioFailed; }
};

struct Report
{
    FileReport train;
    std::optional<FileReport> eval;
    bool cancelled = false;
    //! The platform would accept the file(s): no error anywhere (warnings allowed).
    bool accepted() const { return !cancelled && train.accepted() && (!eval || eval->accepted()); }
};

Report validate(const std::string &path, const ValidationOptions &options = {});

struct Sniff
{
    Format format = Format::Unknown;
    Evidence evidence;
    uint64_t records = 0;
    bool reachedEnd = false;
    SourceKind source = SourceKind::Jsonl;
    std::string error;
};
//! The format of the first maxRecords records (quick: for the wizard's format page).
Sniff sniffFormat(const std::string &path, SourceKind source = SourceKind::Auto,
                  const CsvMapping &csv = {}, std::size_t maxRecords = 1000);

} // namespace dataset
