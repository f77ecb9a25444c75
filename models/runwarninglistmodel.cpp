#include "runwarninglistmodel.h"

namespace models {

void RunWarningListModel::setEntries(const QList<Entry> &entries)
{
    beginResetModel();
    m_entries = entries;
    endResetModel();
}

int RunWarningListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

QVariant RunWarningListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Entry &e = m_entries.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
        return e.runName.isEmpty() ? e.warning.text()
                                   : e.runName + QStringLiteral(" · ") + e.warning.text();
    case StepRole:
        return e.warning.warning.x;
    case SeriesRole:
        return e.warning.series;
    case RunRole:
        return e.run;
    case GroupRole:
        return int(e.warning.group);
    default:
        return {};
    }
}

QHash<int, QByteArray> RunWarningListModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(StepRole, "step");
    names.insert(SeriesRole, "series");
    names.insert(RunRole, "run");
    names.insert(GroupRole, "group");
    return names;
}

} // namespace models
