#pragma once

// Streams the records of a dataset source file without loading it: JSONL lines, the elements
// of a JSON array file, or CSV rows turned into `{"messages": [...]}` through a column mapping.
// Memory is one read buffer (grown only for a record longer than it) whatever the file size.
// The file is opened read-only; nothing is ever written to it.

#include <dataset/csvmapping.h>
#include <dataset/problem.h>
#include <dataset/sourcekind.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace simdjson::dom {
class parser;
}

namespace dataset {

//! One record. `data` stays valid until the next call of next(); at least
//! kRecordPadding readable bytes follow data + size (simdjson reads past the end).
struct Record
{
    const char *data = nullptr;
    std::size_t size = 0;
    uint64_t line = 0;   //!< 1-based line where the record starts
    uint64_t offset = 0; //!< byte offset of that line
    //! A CSV row's number as a spreadsheet shows it (the header is row 1, an empty row counts);
    //! 0 for other kinds.
    uint64_t row = 0;
    bool crlf = false; //!< a JSONL line that ended with \r\n (the \r is not in data)
    bool bom = false;  //!< the first record, after a UTF-8 byte order mark was skipped
    //! A CSV row whose columns do not fit the header (a mapped column missing, or more
    //! values than the header names): a sentence saying so; empty otherwise. Valid until the
    //! next call of next().
    std::string_view shapeProblem;
    //! A CSV row: the header's column behind messages[0], [1], [2] (system when the row has
    //! one, user, assistant), so a problem can name the column; empty for other kinds.
    std::array<std::string_view, 3> messageColumns{};
    //! A CSV row too short to reach the column behind messages[k]: that message is empty
    //! because of the row's shape, which shapeProblem already says.
    std::array<bool, 3> messageColumnMissing{};
};

constexpr std::size_t kRecordPadding = 64;

//! Reads the records of one source file, one next() at a time.
class RecordReader
{
public:
    RecordReader();
    ~RecordReader();
    RecordReader(const RecordReader &) = delete;
    RecordReader &operator=(const RecordReader &) = delete;

    //! false and `error` set when the file cannot be opened.
    bool open(const std::string &path, SourceKind kind, const CsvMapping &csv = {},
              std::string *error = nullptr);
    //! The next record; false at the end of the file or after a structural problem
    //! (then in structuralProblems()).
    bool next(Record &record);

    SourceKind kind() const { return m_kind; }
    uint64_t fileSize() const { return m_fileSize; }
    //! Bytes of the file consumed so far (for progress).
    uint64_t bytesRead() const;
    //! The CSV header's column names as written (trimmed); empty for other kinds.
    const std::vector<std::string> &csvHeader() const { return m_header; }
    //! Problems with the file's structure that are not one record's: a JSON array file that
    //! is not an array, a CSV header without the mapped columns, a read error.
    const std::vector<Problem> &structuralProblems() const { return m_problems; }

private:
    bool fill();
    bool nextJsonl(Record &record);
    //! A prompt/completion line as {"messages": [...]} in m_record; the line as it is when it
    //! is no object with a string "prompt" or "completion" (the checks then say what it is).
    void toMessages(Record &record);
    bool nextArrayElement(Record &record);
    bool nextCsvRecord(Record &record);
    bool readCsvRow(std::vector<std::string> &fields, uint64_t &line, uint64_t &offset);
    int peekByte();
    int getByte();

    int m_fd = -1;
    SourceKind m_kind = SourceKind::Jsonl;
    uint64_t m_fileSize = 0;
    std::unique_ptr<char[]> m_buf;
    std::size_t m_cap = 0;
    std::size_t m_begin = 0;
    std::size_t m_end = 0;
    uint64_t m_bufFileOffset = 0; // file offset of m_buf[0]
    bool m_eof = false;
    bool m_done = false;
    bool m_first = true;
    bool m_bom = false;
    uint64_t m_line = 0;      // lines completed so far
    uint64_t m_lineStart = 0; // file offset where the current line starts
    uint64_t m_csvRow = 0;    // CSV rows read so far, the header included
    std::vector<Problem> m_problems;
    // JSON array and CSV records are assembled here (with padding).
    std::string m_record;
    // JSON array state
    bool m_arrayStarted = false;
    // CSV state
    int m_promptCol = -1;
    int m_completionCol = -1;
    int m_systemCol = -1;
    std::vector<std::string> m_fields;
    std::vector<std::string> m_header;
    std::string m_shapeProblem;
    // prompt/completion state
    std::unique_ptr<simdjson::dom::parser> m_parser;
};

} // namespace dataset
