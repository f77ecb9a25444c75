#include "cleaner.h"

#include "validator.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <random>

#include <fcntl.h>
#include <unistd.h>

namespace dataset {

namespace {

namespace fs = std::filesystem;

//! A new file written through `<name>.tmp-<pid>-<n>` in the same folder and renamed into place on
//! commit(); destroyed without commit() it leaves nothing behind.
class OutputFile
{
public:
    ~OutputFile() { discard(); }

    bool open(const std::string &path, std::string &error)
    {
        m_path = path;
        // Created with 0666 less the umask, as any new file of the user's (mkstemp's 0600 left
        // a dataset that only its owner could read); O_EXCL with a new name on a clash.
        static std::atomic<unsigned> serial{0};
        int fd = -1;
        for (int attempt = 0; attempt < 100 && fd < 0; ++attempt) {
            m_tmp = path + ".tmp-" + std::to_string(::getpid()) + "-" +
                    std::to_string(serial.fetch_add(1));
            fd = ::open(m_tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
            if (fd < 0 && errno != EEXIST)
                break;
        }
        if (fd < 0) {
            m_tmp.clear();
            error = "cannot create " + path + ": " + std::strerror(errno);
            return false;
        }
        m_file = ::fdopen(fd, "wb");
        if (!m_file) {
            ::close(fd);
            error = "cannot write " + path + ": " + std::strerror(errno);
            return false;
        }
        std::setvbuf(m_file, nullptr, _IOFBF, 1 << 20);
        return true;
    }
    void writeLine(const char *data, std::size_t size)
    {
        // An element of a pretty-printed JSON array spans lines; JSONL needs it on one. Outside
        // strings a line break is whitespace, and inside a valid JSON string it cannot occur
        // raw, so a space in its place keeps the value.
        const char *end = data + size;
        for (const char *p = data; p < end;) {
            const char *brk = p;
            while (brk < end && *brk != '\n' && *brk != '\r')
                ++brk;
            std::fwrite(p, 1, std::size_t(brk - p), m_file);
            if (brk < end)
                std::fputc(' ', m_file);
            p = brk + (brk < end ? 1 : 0);
        }
        std::fputc('\n', m_file);
    }
    bool commit(std::string &error)
    {
        const bool ok =
            std::fflush(m_file) == 0 && ::fsync(::fileno(m_file)) == 0 && !std::ferror(m_file);
        const int closed = std::fclose(m_file);
        m_file = nullptr;
        if (!ok || closed != 0 || std::rename(m_tmp.c_str(), m_path.c_str()) != 0) {
            error = "cannot write " + m_path + ": " + std::strerror(errno);
            ::unlink(m_tmp.c_str());
            return false;
        }
        m_tmp.clear();
        return true;
    }
    void discard()
    {
        if (m_file) {
            std::fclose(m_file);
            m_file = nullptr;
        }
        if (!m_tmp.empty()) {
            ::unlink(m_tmp.c_str());
            m_tmp.clear();
        }
    }
    bool isOpen() const { return m_file != nullptr; }

private:
    std::string m_path;
    std::string m_tmp;
    FILE *m_file = nullptr;
};

bool samePath(const std::string &a, const std::string &b)
{
    std::error_code ec;
    if (fs::exists(a, ec) && fs::exists(b, ec))
        return fs::equivalent(a, b, ec);
    return fs::weakly_canonical(a, ec) == fs::weakly_canonical(b, ec);
}

} // namespace

CleanResult cleanAndSplit(const std::string &path, const CleanOptions &options)
{
    CleanResult result;
    std::vector<std::string> outputs;
    for (const std::string *p : {&options.outPath, &options.trainPath, &options.evalPath})
        if (!p->empty())
            outputs.push_back(*p);
    if (options.split != SplitMode::None && (options.trainPath.empty() || options.evalPath.empty()))
        result.error = "a split needs both a train and an eval file";
    else if (outputs.empty())
        result.error = "no output file given";
    else if (options.split != SplitMode::None &&
             !(options.evalPercent > 0 && options.evalPercent < 100))
        result.error = "the eval share must be between 0 and 100 %";
    for (std::size_t i = 0; i < outputs.size() && result.error.empty(); ++i) {
        if (samePath(outputs[i], path))
            result.error = outputs[i] + " is the source file; the source is never written";
        for (std::size_t j = 0; j < i && result.error.empty(); ++j)
            if (samePath(outputs[i], outputs[j]))
                result.error = outputs[i] + " is given twice";
    }
    if (!result.error.empty())
        return result;

    // Lines over the max context, from the token counts (in file order).
    std::vector<uint64_t> overLength;
    if (options.tokens && options.maxTokens > 0)
        for (std::size_t i = 0; i < options.tokens->tokens.size(); ++i)
            if (options.tokens->tokens[i] > options.maxTokens)
                overLength.push_back(options.tokens->lines[i]);

    OutputFile cleaned;
    if (!options.outPath.empty() && !cleaned.open(options.outPath, result.error))
        return result;

    // Pass 1: the validator decides each record; kept ones go to the cleaned copy and are
    // remembered (one bit each) for the split.
    std::vector<bool> keep;
    ValidationOptions validation;
    validation.format = options.format;
    validation.source = options.source;
    validation.csv = options.csv;
    validation.maxProblemsPerRule = 0;
    validation.cancel = options.cancel;
    const bool twoPasses = options.split != SplitMode::None;
    if (options.progress)
        validation.progress = [&](uint64_t done, uint64_t total) {
            options.progress(twoPasses ? done / 2 : done, total);
        };
    std::size_t nextLong = 0;
    validation.onRecord = [&](const Record &record, const RecordVerdict &verdict) {
        ++result.records;
        bool kept = true;
        if (verdict.blank) {
            ++result.droppedBlank;
            kept = false;
        } else if (verdict.error && options.dropInvalid) {
            ++result.droppedInvalid;
            kept = false;
        } else if (verdict.duplicate && options.dropDuplicates) {
            ++result.droppedDuplicates;
            kept = false;
        } else {
            while (nextLong < overLength.size() && overLength[nextLong] < record.line)
                ++nextLong;
            if (nextLong < overLength.size() && overLength[nextLong] == record.line) {
                ++result.droppedOverLength;
                kept = false;
            }
        }
        keep.push_back(kept);
        if (kept) {
            ++result.kept;
            if (cleaned.isOpen())
                cleaned.writeLine(record.data, record.size);
        }
    };
    const Report report = validate(path, validation);
    if (report.cancelled) {
        result.cancelled = true;
        return result;
    }
    if (report.train.ioFailed) {
        result.error = report.train.problems.empty() ? "cannot read " + path
                                                     : report.train.problems.front().message;
        return result;
    }
    if (cleaned.isOpen()) {
        if (!cleaned.commit(result.error))
            return result;
        result.written.push_back(options.outPath);
    }
    if (!twoPasses)
        return result;

    // Pass 2: the same records again, each kept one to train or eval.
    const auto evalCount = uint64_t(std::llround(double(result.kept) * options.evalPercent / 100));
    OutputFile train, eval;
    if (!train.open(options.trainPath, result.error) || !eval.open(options.evalPath, result.error))
        return result;
    RecordReader reader;
    if (!reader.open(path, report.train.source, options.csv, &result.error))
        return result;
    std::mt19937_64 random(options.seed);
    uint64_t index = 0, keptIndex = 0, evalChosen = 0;
    Record record;
    while (reader.next(record)) {
        if (options.cancel && options.cancel->load(std::memory_order_relaxed)) {
            result.cancelled = true;
            return result;
        }
        if (index >= keep.size() || !keep[index++])
            continue;
        bool toEval = false;
        if (options.split == SplitMode::Last) {
            toEval = keptIndex >= result.kept - evalCount;
        } else {
            // Selection sampling (Knuth's algorithm S): exactly evalCount of the kept
            // examples, each subset equally likely, decided in one streaming pass.
            const uint64_t left = result.kept - keptIndex;
            const uint64_t needed = evalCount - evalChosen;
            toEval = needed > 0 && random() % left < needed;
        }
        ++keptIndex;
        if (toEval) {
            ++evalChosen;
            eval.writeLine(record.data, record.size);
        } else {
            train.writeLine(record.data, record.size);
        }
        if (options.progress && (keptIndex & 0xFFFF) == 0)
            options.progress(reader.fileSize() / 2 + reader.bytesRead() / 2, reader.fileSize());
    }
    result.trainRows = keptIndex - evalChosen;
    result.evalRows = evalChosen;
    if (!train.commit(result.error) || !eval.commit(result.error))
        return result;
    result.written.push_back(options.trainPath);
    result.written.push_back(options.evalPath);
    if (options.progress)
        options.progress(reader.fileSize(), reader.fileSize());
    return result;
}

} // namespace dataset
