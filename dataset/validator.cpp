#include "validator.h"

#include "linehashtable.h"
#include "rowchecker_p.h"

#include <algorithm>

namespace dataset {

namespace {

constexpr uint64_t kProgressStep = 4u << 20;

std::string_view trimmed(const Record &r)
{
    const char *b = r.data;
    const char *e = r.data + r.size;
    while (b < e && (*b == ' ' || *b == '\t' || *b == '\r'))
        ++b;
    while (e > b && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
        --e;
    return {b, std::size_t(e - b)};
}

// "512 MB" (decimal, as the platform's pages count), or the bytes below one MB.
std::string byteSize(uint64_t bytes)
{
    if (bytes >= 1000 * 1000)
        return groupThousands(bytes / (1000 * 1000)) + " MB";
    return groupThousands(bytes) + (bytes == 1 ? " byte" : " bytes");
}

uint32_t line32(uint64_t line)
{
    return uint32_t(std::min<uint64_t>(line, UINT32_MAX));
}

struct Scan
{
    const ValidationOptions &options;
    Format format;
    bool isEval = false;
    LineHashTable *own = nullptr;         // duplicates within this file
    const LineHashTable *train = nullptr; // the training file's examples (eval overlap)
    uint64_t progressBase = 0;
    uint64_t progressTotal = 0;
    bool cancelled = false;
};

void scanFile(const std::string &path, SourceKind source, FileReport &report, Scan &scan)
{
    const ValidationOptions &options = scan.options;
    report.path = path;
    report.checkedAs = scan.format;
    detail::Sink sink(report, options.maxProblemsPerRule);
    if (options.onProblem)
        sink.onStored = [&options, eval = scan.isEval](const Problem &p) {
            options.onProblem(p, eval);
        };
    RecordReader reader;
    std::string openError;
    if (!reader.open(path, source, options.csv, &openError)) {
        report.ioFailed = true;
        sink.add(Rule::IoError, 0, 0, "", openError);
        return;
    }
    report.source = reader.kind();
    report.bytes = reader.fileSize();
    detail::RowChecker checker(scan.format, sink);
    Record record;
    uint64_t nextProgress = kProgressStep;
    for (;;) {
        if (options.cancel && options.cancel->load(std::memory_order_relaxed)) {
            scan.cancelled = true;
            break;
        }
        if (!reader.next(record))
            break;
        ++report.records;
        RecordVerdict verdict;
        verdict.eval = scan.isEval;
        // Only a JSONL file goes up as it is: a CSV or a JSON array becomes a new JSONL file
        // (Fix & split, `clean`), written without the mark, so its BOM is no problem (a
        // spreadsheet's "CSV UTF-8" always has one).
        if (record.bom && report.source == SourceKind::Jsonl)
            sink.add(Rule::Bom, record, "",
                     "the file starts with a UTF-8 byte order mark (BOM); save it as UTF-8 "
                     "without BOM");
        if (record.crlf)
            sink.add(Rule::Crlf, record, "",
                     "the line ends with CRLF (\\r\\n); JSONL lines end with \\n");
        // The BOM is the file's problem, not this example's: a cleaned copy keeps the line.
        sink.rowError = false;
        const std::string_view bytes = trimmed(record);
        if (bytes.empty()) {
            verdict.blank = true;
            sink.add(Rule::BlankLine, record, "", "an empty line (the platform skips it)");
        } else {
            ++report.examples;
            if (!record.shapeProblem.empty())
                sink.add(Rule::CsvColumns, record, "", std::string(record.shapeProblem));
            const auto outcome = checker.check(record, report.evidence);
            if (outcome.object && options.checkDuplicates) {
                const uint64_t hash = LineHashTable::hashBytes(bytes);
                if (const uint32_t first = scan.own->insert(hash, line32(record.line))) {
                    verdict.duplicate = true;
                    ++report.duplicates;
                    sink.add(Rule::Duplicate, record, "",
                             "the same example as line " + std::to_string(first));
                }
                if (scan.train) {
                    if (const uint32_t trainLine = scan.train->lookup(hash)) {
                        verdict.evalOverlap = true;
                        sink.add(Rule::EvalOverlap, record, "",
                                 "the same example is line " + std::to_string(trainLine) +
                                     " of the training file: the eval score would be inflated");
                    }
                }
            }
            if (sink.rowError)
                ++report.examplesWithErrors;
        }
        verdict.error = sink.rowError;
        if (options.onRecord)
            options.onRecord(record, verdict);
        if (options.progress && reader.bytesRead() >= nextProgress) {
            nextProgress = reader.bytesRead() + kProgressStep;
            options.progress(scan.progressBase + reader.bytesRead(), scan.progressTotal);
        }
    }
    for (const Problem &p : reader.structuralProblems()) {
        sink.add(p.rule, p.line, p.offset, p.field, p.message);
        report.ioFailed = report.ioFailed || p.rule == Rule::IoError;
    }
    report.detected = detectFormat(report.evidence);
    if (scan.cancelled)
        return;
    checker.finish(report.evidence.objects);
    // A CSV header without the mapped columns stops the read: no row count to judge.
    if (!scan.isEval && isTrainingFormat(scan.format) && report.count(Rule::CsvColumns) == 0) {
        if (report.examples < options.minTrainingRows)
            sink.add(Rule::TooFewRows, 0, 0, "",
                     "a training dataset needs at least " +
                         groupThousands(options.minTrainingRows) + " examples; this one has " +
                         std::to_string(report.examples));
        if (report.examples > options.maxTrainingRows)
            sink.add(Rule::TooManyRows, 0, 0, "",
                     "a dataset may hold at most " + groupThousands(options.maxTrainingRows) +
                         " examples; this one has " + groupThousands(report.examples));
        else if (report.examples * uint64_t(std::max(1, options.epochs)) > options.maxTrainingRows)
            sink.add(Rule::RowsTimesEpochs, 0, 0, "",
                     groupThousands(report.examples) + " examples × " +
                         groupThousands(uint64_t(std::max(1, options.epochs))) +
                         " epochs is over the platform's " +
                         groupThousands(options.maxTrainingRows) + " limit");
    }
    if (scan.format == Format::Batch && report.bytes >= options.maxBatchInputBytes)
        sink.add(Rule::FileTooLarge, 0, 0, "",
                 "a batch inference input must be under " + byteSize(options.maxBatchInputBytes) +
                     "; this file has " + byteSize(report.bytes));
    else if (report.bytes > options.maxMultipartBytes)
        sink.add(Rule::LargeUpload, 0, 0, "",
                 "the file is over " + byteSize(options.maxMultipartBytes) +
                     ": it is uploaded through signed URLs, not one request");
}

} // namespace

Sniff sniffFormat(const std::string &path, SourceKind source, const CsvMapping &csv,
                  std::size_t maxRecords)
{
    Sniff sniff;
    RecordReader reader;
    if (!reader.open(path, source, csv, &sniff.error))
        return sniff;
    sniff.source = reader.kind();
    FileReport unused;
    detail::Sink sink(unused, 0);
    detail::RowChecker checker(Format::Unknown, sink);
    Record record;
    sniff.reachedEnd = true;
    while (reader.next(record)) {
        if (trimmed(record).empty())
            continue;
        checker.collect(record, sniff.evidence);
        if (++sniff.records >= maxRecords) {
            sniff.reachedEnd = !reader.next(record);
            break;
        }
    }
    sniff.format = detectFormat(sniff.evidence);
    return sniff;
}

Report validate(const std::string &path, const ValidationOptions &options)
{
    Report report;
    Format format = Format::SftChat;
    if (options.format) {
        format = *options.format;
    } else {
        const Sniff sniff = sniffFormat(path, options.source, options.csv, options.sniffRecords);
        if (sniff.format != Format::Unknown)
            format = sniff.format;
    }
    uint64_t total = 0;
    RecordReader sizes;
    if (sizes.open(path, SourceKind::Jsonl))
        total += sizes.fileSize();
    if (!options.evalPath.empty()) {
        RecordReader evalSize;
        if (evalSize.open(options.evalPath, SourceKind::Jsonl))
            total += evalSize.fileSize();
    }
    LineHashTable trainExamples;
    Scan scan{options, format};
    scan.own = &trainExamples;
    scan.progressTotal = total;
    scanFile(path, options.source, report.train, scan);
    if (!scan.cancelled && !options.evalPath.empty()) {
        LineHashTable evalExamples;
        Scan evalScan{options, format, true, &evalExamples, &trainExamples};
        evalScan.progressBase = report.train.bytes;
        evalScan.progressTotal = total;
        report.eval.emplace();
        scanFile(options.evalPath, options.evalSource, *report.eval, evalScan);
        scan.cancelled = evalScan.cancelled;
    }
    report.cancelled = scan.cancelled;
    if (options.progress && !report.cancelled)
        options.progress(total, total);
    return report;
}

} // namespace dataset
