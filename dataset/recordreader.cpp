#include "recordreader.h"

#include "asciitext_p.h"
#include "jsonstrings.h"

#include <simdjson.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace dataset {

namespace {

constexpr std::size_t kInitialBuffer = 4u << 20; // 4 MiB reads: few syscalls, cache friendly

} // namespace

using detail::isBlank;
using detail::lower;
using detail::trimmed;

RecordReader::RecordReader() = default;

void RecordReader::toMessages(Record &record)
{
    if (!m_parser)
        m_parser = std::make_unique<simdjson::dom::parser>();
    // The read buffer has kRecordPadding bytes after any line, as simdjson needs.
    simdjson::dom::object row;
    if (m_parser->parse(record.data, record.size, false).get(row) != simdjson::SUCCESS)
        return;
    std::string_view prompt, completion;
    const bool hasPrompt = row["prompt"].get_string().get(prompt) == simdjson::SUCCESS;
    const bool hasCompletion = row["completion"].get_string().get(completion) == simdjson::SUCCESS;
    if (!hasPrompt && !hasCompletion)
        return;
    // A missing half is a missing message, which the checks name (no assistant message).
    m_record.assign("{\"messages\":[");
    std::size_t message = 0;
    if (hasPrompt) {
        m_record += "{\"role\":\"user\",\"content\":";
        appendJsonString(m_record, prompt);
        m_record += '}';
        record.messageColumns[message++] = "prompt";
    }
    if (hasCompletion) {
        m_record += hasPrompt ? ",{\"role\":\"assistant\",\"content\":"
                              : "{\"role\":\"assistant\",\"content\":";
        appendJsonString(m_record, completion);
        m_record += '}';
        record.messageColumns[message++] = "completion";
    }
    m_record += "]}";
    const std::size_t size = m_record.size();
    m_record.append(kRecordPadding, ' ');
    record.data = m_record.data();
    record.size = size;
}

RecordReader::~RecordReader()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

bool RecordReader::open(const std::string &path, SourceKind kind, const CsvMapping &csv,
                        std::string *error)
{
    m_fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (m_fd < 0) {
        if (error)
            *error = "cannot open " + path + ": " + std::strerror(errno);
        return false;
    }
    struct stat st
    {
    };
    if (::fstat(m_fd, &st) == 0)
        m_fileSize = uint64_t(st.st_size);
    if (S_ISDIR(st.st_mode)) {
        if (error)
            *error = path + " is a folder, not a file";
        ::close(m_fd);
        m_fd = -1;
        return false;
    }
    ::posix_fadvise(m_fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    m_kind = kind == SourceKind::Auto ? guessSourceKind(path) : kind;
    m_cap = kInitialBuffer;
    m_buf = std::make_unique<char[]>(m_cap + kRecordPadding);
    if (m_kind == SourceKind::Csv) {
        m_fields.clear();
        std::vector<std::string> header;
        uint64_t line = 0, offset = 0;
        if (!readCsvRow(header, line, offset)) {
            m_problems.push_back({Rule::CsvColumns, 1, 0, "", "the CSV file has no header row"});
            m_done = true;
            return true;
        }
        std::string names;
        m_header.clear();
        for (std::size_t i = 0; i < header.size(); ++i) {
            const std::string name = lower(trimmed(header[i]));
            m_header.push_back(trimmed(header[i]));
            names += (i ? ", " : "") + trimmed(header[i]);
            if (name == lower(csv.prompt))
                m_promptCol = int(i);
            else if (name == lower(csv.completion))
                m_completionCol = int(i);
            else if (!csv.system.empty() && name == lower(csv.system))
                m_systemCol = int(i);
        }
        for (const auto &[col, want] :
             {std::pair{m_promptCol, csv.prompt}, std::pair{m_completionCol, csv.completion}}) {
            if (col < 0) {
                m_problems.push_back(
                    {Rule::CsvColumns, 1, 0, "",
                     "the CSV header has no column '" + want + "' (its columns: " + names + ")"});
                m_done = true;
            }
        }
    }
    return true;
}

uint64_t RecordReader::bytesRead() const
{
    return m_bufFileOffset + m_begin;
}

bool RecordReader::fill()
{
    if (m_eof)
        return false;
    if (m_begin > 0) {
        std::memmove(m_buf.get(), m_buf.get() + m_begin, m_end - m_begin);
        m_bufFileOffset += m_begin;
        m_end -= m_begin;
        m_begin = 0;
    }
    if (m_end == m_cap) {
        // One record is longer than the buffer (e.g. a row with large base64 images).
        const std::size_t cap = m_cap * 2;
        auto buf = std::make_unique<char[]>(cap + kRecordPadding);
        std::memcpy(buf.get(), m_buf.get(), m_end);
        m_buf = std::move(buf);
        m_cap = cap;
    }
    ssize_t n;
    do {
        n = ::read(m_fd, m_buf.get() + m_end, m_cap - m_end);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        m_problems.push_back({Rule::IoError, m_line + 1, bytesRead(), "",
                              std::string("reading the file failed: ") + std::strerror(errno)});
        m_eof = true;
        return false;
    }
    if (n == 0) {
        m_eof = true;
        return false;
    }
    const bool atStart = m_bufFileOffset == 0 && m_end == 0;
    m_end += std::size_t(n);
    if (atStart && m_first) {
        // A UTF-8 byte order mark is skipped so the first line is still checked; the
        // validator reports it.
        while (m_end < 3 && fill()) {
        }
        if (m_end >= 3 && std::memcmp(m_buf.get(), "\xEF\xBB\xBF", 3) == 0) {
            m_begin = 3;
            m_bom = true;
        }
    }
    return true;
}

int RecordReader::peekByte()
{
    if (m_begin == m_end && !fill())
        return -1;
    return static_cast<unsigned char>(m_buf[m_begin]);
}

int RecordReader::getByte()
{
    const int c = peekByte();
    if (c < 0)
        return c;
    ++m_begin;
    if (c == '\n') {
        ++m_line;
        m_lineStart = bytesRead();
    }
    return c;
}

bool RecordReader::next(Record &record)
{
    if (m_done || m_fd < 0)
        return false;
    bool ok = false;
    switch (m_kind) {
    case SourceKind::Jsonl:
    case SourceKind::PromptCompletion:
    case SourceKind::Auto:
        ok = nextJsonl(record);
        break;
    case SourceKind::JsonArray:
        ok = nextArrayElement(record);
        break;
    case SourceKind::Csv:
        ok = nextCsvRecord(record);
        break;
    }
    if (!ok) {
        m_done = true;
        return false;
    }
    record.bom = m_first && m_bom;
    m_first = false;
    return true;
}

bool RecordReader::nextJsonl(Record &record)
{
    std::size_t scanned = 0; // bytes after m_begin already searched for '\n'
    for (;;) {
        char *start = m_buf.get() + m_begin;
        const std::size_t avail = m_end - m_begin;
        auto *nl = static_cast<char *>(std::memchr(start + scanned, '\n', avail - scanned));
        if (nl || (m_eof && avail > 0)) {
            std::size_t len = nl ? std::size_t(nl - start) : avail;
            record.offset = m_line == 0 ? 0 : bytesRead();
            record.line = ++m_line;
            record.crlf = len > 0 && start[len - 1] == '\r';
            if (record.crlf)
                --len;
            record.data = start;
            record.size = len;
            record.shapeProblem = {};
            record.messageColumns = {};
            record.messageColumnMissing = {};
            record.row = 0;
            m_begin += nl ? std::size_t(nl - start) + 1 : avail;
            if (m_kind == SourceKind::PromptCompletion)
                toMessages(record);
            return true;
        }
        if (m_eof)
            return false;
        scanned = avail;
        if (!fill() && m_end == m_begin)
            return false;
    }
}

bool RecordReader::nextArrayElement(Record &record)
{
    auto skipBlank = [&] {
        for (int c = peekByte(); c >= 0 && isBlank(char(c)); c = peekByte())
            getByte();
    };
    auto structural = [&](const std::string &message) {
        m_problems.push_back({Rule::JsonArray, m_line + 1, m_lineStart, "", message});
        return false;
    };
    if (!m_arrayStarted) {
        if (m_first)
            peekByte(); // reads the first block, so a BOM is skipped before anything else
        skipBlank();
        if (getByte() != '[')
            return structural("a JSON array file must start with '['");
        m_arrayStarted = true;
    }
    for (;;) {
        skipBlank();
        const int c = peekByte();
        if (c < 0)
            return structural("the array is not closed with ']'");
        if (c == ']') {
            getByte();
            skipBlank();
            if (peekByte() >= 0)
                return structural("there is text after the array's closing ']'");
            return false;
        }
        if (c == ',') {
            getByte();
            m_problems.push_back(
                {Rule::JsonArray, m_line + 1, m_lineStart, "", "an empty array element (,,)"});
            continue;
        }
        break;
    }
    record.line = m_line + 1;
    // Where the element itself starts (a compact array holds many on one line), so that a
    // viewer can show that element.
    record.offset = bytesRead();
    record.crlf = false;
    record.shapeProblem = {};
    record.messageColumns = {};
    record.messageColumnMissing = {};
    record.row = 0;
    m_record.clear();
    int depth = 0;
    JsonStrings strings;
    for (int c = peekByte(); c >= 0; c = peekByte()) {
        if (!strings.outside(c)) {
            // inside a string: taken as it is
        } else if (c == '{' || c == '[') {
            ++depth;
        } else if (c == '}' || c == ']') {
            if (depth == 0 && c == ']')
                break;
            // A stray '}' at depth 0 stays in this element (which is then invalid JSON):
            // stopping before it returned empty elements forever.
            if (depth > 0)
                --depth;
        } else if (c == ',' && depth == 0) {
            break;
        }
        m_record += char(c);
        getByte();
    }
    while (!m_record.empty() && isBlank(m_record.back()))
        m_record.pop_back();
    if (peekByte() == ',')
        getByte();
    const std::size_t size = m_record.size();
    m_record.append(kRecordPadding, ' ');
    record.data = m_record.data();
    record.size = size;
    return true;
}

bool RecordReader::readCsvRow(std::vector<std::string> &fields, uint64_t &line, uint64_t &offset)
{
    fields.clear();
    std::string field;
    bool inQuotes = false, any = false;
    line = m_line + 1;
    offset = m_lineStart;
    for (;;) {
        const int c = getByte();
        if (c < 0) {
            if (!any)
                return false;
            fields.push_back(std::move(field));
            ++m_csvRow;
            return true;
        }
        any = true;
        if (inQuotes) {
            if (c == '"') {
                if (peekByte() == '"')
                    field += char(getByte());
                else
                    inQuotes = false;
            } else {
                field += char(c);
            }
        } else if (c == '"' && field.empty()) {
            inQuotes = true;
        } else if (c == ',') {
            fields.push_back(std::move(field));
            field.clear();
        } else if (c == '\r' && peekByte() == '\n') {
            continue; // CRLF is CSV's own line ending
        } else if (c == '\n') {
            fields.push_back(std::move(field));
            ++m_csvRow;
            return true;
        } else {
            field += char(c);
        }
    }
}

bool RecordReader::nextCsvRecord(Record &record)
{
    uint64_t line = 0, offset = 0;
    for (;;) {
        if (!readCsvRow(m_fields, line, offset))
            return false;
        const bool blank = std::all_of(m_fields.begin(), m_fields.end(),
                                       [](const std::string &f) { return f.empty(); });
        if (!blank)
            break;
    }
    // A row with fewer values than a mapped column needs (a spreadsheet row typed short), or
    // with more values than the header has columns (an unquoted comma shifts the columns):
    // its messages would not be what the columns say.
    m_shapeProblem.clear();
    const std::size_t have = m_fields.size();
    const auto missing = [&](int col) { return col >= 0 && std::size_t(col) >= have; };
    std::vector<int> missingCols;
    for (const int col : {m_systemCol, m_promptCol, m_completionCol})
        if (missing(col))
            missingCols.push_back(col);
    std::sort(missingCols.begin(), missingCols.end());
    if (!missingCols.empty()) {
        // Every column the row does not reach, named once: one cause, one sentence.
        std::string names, numbers;
        for (std::size_t i = 0; i < missingCols.size(); ++i) {
            const char *sep = i == 0 ? "" : i + 1 == missingCols.size() ? " and " : ", ";
            names += sep + ("'" + m_header[std::size_t(missingCols[i])] + "'");
            numbers += sep + std::to_string(missingCols[i] + 1);
        }
        const bool one = missingCols.size() == 1;
        m_shapeProblem = "the row has " + std::to_string(have) +
                         (have == 1 ? " value" : " values") + ", so its " + names +
                         (one ? " column (column " : " columns (columns ") + numbers + " of " +
                         std::to_string(m_header.size()) + (one ? ") is missing" : ") are missing");
    }
    if (m_shapeProblem.empty() && have > m_header.size() &&
        std::any_of(m_fields.begin() + std::ptrdiff_t(m_header.size()), m_fields.end(),
                    [](const std::string &f) { return !trimmed(f).empty(); }))
        m_shapeProblem = "the row has " + std::to_string(have) + " values but the header has " +
                         std::to_string(m_header.size()) +
                         " columns: a value with a comma in it needs double quotes around it";
    record.shapeProblem = m_shapeProblem;
    auto cell = [&](int col) -> std::string_view {
        return col >= 0 && std::size_t(col) < m_fields.size() ? std::string_view(m_fields[col])
                                                              : std::string_view();
    };
    m_record.assign("{\"messages\":[");
    record.messageColumns = {};
    record.messageColumnMissing = {};
    std::size_t message = 0;
    auto named = [&](int col) {
        record.messageColumnMissing[message] = missing(col);
        record.messageColumns[message++] = m_header[std::size_t(col)];
    };
    if (!cell(m_systemCol).empty()) {
        named(m_systemCol);
        m_record += "{\"role\":\"system\",\"content\":";
        appendJsonString(m_record, cell(m_systemCol));
        m_record += "},";
    }
    named(m_promptCol);
    m_record += "{\"role\":\"user\",\"content\":";
    appendJsonString(m_record, cell(m_promptCol));
    named(m_completionCol);
    m_record += "},{\"role\":\"assistant\",\"content\":";
    appendJsonString(m_record, cell(m_completionCol));
    m_record += "}]}";
    const std::size_t size = m_record.size();
    m_record.append(kRecordPadding, ' ');
    record.data = m_record.data();
    record.size = size;
    record.line = line;
    record.offset = offset;
    record.row = m_csvRow;
    record.crlf = false;
    return true;
}

} // namespace dataset
