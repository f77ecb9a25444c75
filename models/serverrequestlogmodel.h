#pragma once

// The local server's request log as a table: when, route, model, status, time to first
// token, tokens, tokens/s and duration; an error's message is the row's tooltip. Newest last,
// at most 1,000 rows.

#include <engine/host/server/openaiserver.h>

#include <QAbstractTableModel>
#include <QList>

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
        FirstTokenColumn,
        TokensColumn,
        TokensPerSecondColumn,
        DurationColumn,
        ColumnCount
    };
    static constexpr int kMaxRows = 1000;

    explicit ServerRequestLogModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;

    const engineserver::RequestLogEntry *entry(int row) const;
    void append(const engineserver::RequestLogEntry &entry);
    void clear();

private:
    QList<engineserver::RequestLogEntry> m_rows;
};

} // namespace models
