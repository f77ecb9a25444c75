#pragma once

// Internal: the per-record checks of the validator (simdjson DOM, one parser reused for every
// record so a pass allocates nothing per line).

#include <dataset/format.h>
#include <dataset/linehashtable.h>
#include <dataset/validator.h>

#include <simdjson.h>

#include <string>
#include <string_view>

namespace dataset::detail {

//! "messages[1].content" of a CSV row → "messages[1].content (CSV column 'answer')", of a
//! prompt/completion line → "messages[1].content (from 'completion')"; any other field, or a
//! record of another kind, unchanged.
std::string withCsvColumn(const Record &record, std::string field);
//! True for "messages[k]…" of a CSV row too short to reach the column behind messages[k].
bool inMissingCsvColumn(const Record &record, std::string_view field);

//! Stores problems into a FileReport (at most `cap` per rule, all counted) and remembers
//! whether the current record broke an error rule.
class Sink
{
public:
    Sink(FileReport &report, std::size_t cap) : m_report(report), m_cap(cap) {}
    void add(Rule rule, uint64_t line, uint64_t offset, std::string field, std::string message,
             uint64_t row = 0);
    //! A CSV row's messages[k] field also names the column it came from, and the problem its
    //! row. The empty message of a column the row is too short to reach is not added: the
    //! row's csv-columns error already says that column is missing (one cause, one problem).
    void add(Rule rule, const Record &r, std::string field, std::string message)
    {
        if (rule == Rule::EmptyContent && inMissingCsvColumn(r, field))
            return;
        add(rule, r.line, r.offset, withCsvColumn(r, std::move(field)), std::move(message), r.row);
    }
    bool rowError = false;
    //! Called with every problem stored, as it is stored.
    std::function<void(const Problem &)> onStored;

private:
    FileReport &m_report;
    std::size_t m_cap;
};

class RowChecker
{
public:
    RowChecker(Format format, Sink &sink) : m_format(format), m_sink(sink) {}

    struct Outcome
    {
        bool object = false; //!< parsed as a JSON object
    };
    //! Checks one non-blank record and adds what it shows to `evidence`.
    Outcome check(const Record &record, Evidence &evidence);
    //! Checks across rows (row weight on all rows or none) once the file is done.
    void finish(uint64_t objects);
    //! Parses `record` and only tallies its evidence (format detection).
    bool collect(const Record &record, Evidence &evidence);

private:
    enum class Mode { Train, Prompt, DpoInput, Output, Batch };
    using Element = simdjson::dom::element;
    using Object = simdjson::dom::object;

    void collectFrom(const Object &row, Evidence &evidence);
    void checkRow(const Object &row);
    void checkSft(const Object &row);
    void checkDpo(const Object &row);
    void checkRft(const Object &row);
    void checkBatch(const Object &row);
    void checkMessages(Element messages, std::string_view path, Mode mode);
    void checkContent(Element content, const std::string &path, bool toolCallsOnly);
    void checkToolCalls(Element calls, const std::string &path);
    void checkTools(Element tools, std::string_view path);
    void error(Rule rule, std::string field, std::string message);

    Format m_format;
    Sink &m_sink;
    const Record *m_record = nullptr;
    simdjson::dom::parser m_parser;
    simdjson::dom::parser m_argumentsParser;
    LineHashTable m_customIds;
    uint64_t m_rowsWithWeight = 0;
    uint64_t m_firstLineWithoutWeight = 0;
    uint64_t m_firstOffsetWithoutWeight = 0;
};

//! Offset of the first byte that is not valid UTF-8, or size when all are valid.
std::size_t firstInvalidUtf8(const char *data, std::size_t size);

} // namespace dataset::detail
