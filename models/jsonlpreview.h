#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <functional>

namespace models {

//! The first rows of a JSONL file, each line checked to be one JSON object. Reads the file
//! line by line and stops after maxRows rows, so it costs the same for 1 KB or 100 GB; still
//! file I/O: run it off the GUI thread (QtConcurrent).
struct JsonlPreview
{
    struct Row
    {
        int line = 0;    //!< 1-based line in the file
        QString summary; //!< one line for a table: roles and the first message
        QByteArray json; //!< the row, indented
    };
    struct LineError
    {
        int line = 0;
        int column = 0;  //!< 1-based, 0 when the problem is the whole line
        QString message; //!< what the JSON parser said
    };
    QList<Row> rows;
    QList<LineError> errors;
    int linesRead = 0;
    bool reachedEnd = false; //!< the whole file was read
    QString ioError;         //!< the file could not be opened

    bool ok() const { return ioError.isEmpty() && errors.isEmpty(); }
    //! "line 3, column 15: …; line 9: …" of the first few errors.
    QString errorSummary(int maxErrors = 3) const;

    //! Reads until maxRows rows (valid or not) were seen; `cancelled` is polled per line.
    static JsonlPreview read(const QString &path, int maxRows,
                             const std::function<bool()> &cancelled = {});
};

} // namespace models
