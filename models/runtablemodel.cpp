#include "runtablemodel.h"

#include <QBrush>

namespace models {

void RunTableModel::setRuns(const QStringList &runNames,
                            const QList<QMap<QString, QString>> &values,
                            const QStringList &rowOrder)
{
    beginResetModel();
    m_runs = runNames;
    m_runToolTips.clear();
    m_rows.clear();
    QStringList rest;
    for (const auto &map : values)
        for (auto it = map.begin(); it != map.end(); ++it)
            if (!rowOrder.contains(it.key()) && !rest.contains(it.key()))
                rest.append(it.key());
    for (const QString &label : rowOrder)
        for (const auto &map : values)
            if (map.contains(label)) {
                m_rows.append(label);
                break;
            }
    rest.sort(Qt::CaseInsensitive);
    m_rows += rest;
    m_cells.clear();
    m_differs.clear();
    for (const QString &label : std::as_const(m_rows)) {
        QStringList row;
        for (int r = 0; r < m_runs.size(); ++r)
            row.append(values.value(r).value(label));
        bool differs = false;
        for (const QString &cell : std::as_const(row))
            differs = differs || cell != row.first();
        m_cells.append(row);
        m_differs.append(differs);
    }
    endResetModel();
}

int RunTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int RunTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_runs.size());
}

QVariant RunTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
        return m_cells.at(index.row()).at(index.column());
    case Qt::BackgroundRole:
        return m_differs.at(index.row()) && m_highlight.isValid() ? QVariant(QBrush(m_highlight))
                                                                   : QVariant();
    case DiffersRole:
        return bool(m_differs.at(index.row()));
    default:
        return {};
    }
}

void RunTableModel::setRunToolTips(const QStringList &toolTips)
{
    m_runToolTips = toolTips;
    if (!m_runs.isEmpty())
        Q_EMIT headerDataChanged(Qt::Horizontal, 0, int(m_runs.size()) - 1);
}

QVariant RunTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && role == Qt::ToolTipRole)
        return section >= 0 && section < m_runs.size()
                   ? QVariant(m_runToolTips.value(section, m_runs.at(section)))
                   : QVariant();
    if (role != Qt::DisplayRole)
        return {};
    if (orientation == Qt::Horizontal)
        return section >= 0 && section < m_runs.size() ? QVariant(m_runs.at(section)) : QVariant();
    return section >= 0 && section < m_rows.size() ? QVariant(m_rows.at(section)) : QVariant();
}

} // namespace models
