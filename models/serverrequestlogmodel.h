#pragma once

// The local server's request log as a table: when, route, model, status, time queued, time
// to first token, tokens, tokens/s, duration and an error's message (also the row's tooltip,
// whole). Newest last, at most 1,000 rows. With a file (setFile) the log survives a restart: one
// JSON line per request, appended and flushed as it comes (a crash can tear only the line being
// written, which the next start skips), the file moved to FILE.1 once it passes kMaxFileBytes.

#include <engine/host/server/openaiserver.h>

#include <QAbstractTableModel>
#include <QList>

#include <optional>

namespace models {

class ServerRequestLogModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        TimeColumn,
        RouteColumn,
        ModelColumn,
        StatusColumn,
        QueuedColumn, //!< waiting behind other requests for the same model
        FirstTokenColumn,
        TokensColumn,
        TokensPerSecondColumn,
        DurationColumn,
        ErrorColumn, //!< last: it takes the room left, a long message is elided
        ColumnCount
    };
    static constexpr int kMaxRows = 1000;
    static constexpr qint64 kMaxFileBytes = 1024 * 1024;

    explicit ServerRequestLogModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;

    const engineserver::RequestLogEntry *entry(int row) const;
    //! A request under way (status 0): a row saying so, not written to the file; append() of
    //! the finished entry with its id fills the row in.
    void begin(const engineserver::RequestLogEntry &entry);
    void append(const engineserver::RequestLogEntry &entry);
    //! Empties the table (and the file, with its older part).
    void clear();

    //! Keeps the log in `path` (JSON lines; the older part in `path`.1): the rows written there
    //! before, the newest kMaxRows, replace the table's, and each appended row is written
    //! too. False (with fileError()) when the file cannot be opened; the table then stays in
    //! memory only.
    bool setFile(const QString &path);
    QString fileError() const { return m_fileError; }
    //! Lines of the file that could not be read at setFile() (a line torn by a crash).
    int skippedLines() const { return m_skipped; }
    //! One entry as its JSON line (no newline) and back; nullopt for a line that is no entry.
    static QByteArray toJsonLine(const engineserver::RequestLogEntry &entry);
    static std::optional<engineserver::RequestLogEntry> fromJsonLine(const QByteArray &line);
    //! Where the app keeps it: server-requests.jsonl in its data folder.
    static QString defaultFilePath();

private:
    void writeLine(const engineserver::RequestLogEntry &entry);
    //! A row at the end, the oldest dropped past kMaxRows.
    void addRow(const engineserver::RequestLogEntry &entry);

    QList<engineserver::RequestLogEntry> m_rows;
    QString m_path;
    QString m_fileError;
    int m_skipped = 0;
};

} // namespace models
