#pragma once

// The warnings of one or more runs as a list: one row per warning, "run · series: explanation".

#include <models/runwarnings.h>

#include <QAbstractListModel>

namespace models {

class RunWarningListModel : public QAbstractListModel
{
    Q_OBJECT

public:
    enum Role {
        StepRole = Qt::UserRole + 1, //!< double: the warning's x (step)
        SeriesRole,                  //!< QString
        RunRole,                     //!< int: index of the run
        GroupRole,                   //!< int: PanelGroup
    };

    struct Entry
    {
        int run = 0;
        QString runName; //!< empty when only one run is shown
        RunWarning warning;
    };

    using QAbstractListModel::QAbstractListModel;

    void setEntries(const QList<Entry> &entries);
    const Entry &entry(int row) const { return m_entries.at(row); }

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    QList<Entry> m_entries;
};

} // namespace models
