#include "datasetwizardproblemmodel.h"

#include <ui/dialogparts.h>

#include <QBrush>

namespace ui {

void DatasetProblemModel::setProblems(std::vector<Row> rows)
{
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
}

void DatasetProblemModel::appendProblems(std::vector<Row> rows)
{
    if (rows.empty())
        return;
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(rows.size()) - 1);
    m_rows.insert(m_rows.end(), std::make_move_iterator(rows.begin()),
                  std::make_move_iterator(rows.end()));
    endInsertRows();
}

QString DatasetProblemModel::where(uint64_t line, uint64_t row)
{
    return row && row != line ? tr("line %1 (row %2)").arg(line).arg(row) : tr("line %1").arg(line);
}

int DatasetProblemModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int DatasetProblemModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant DatasetProblemModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= ColumnCount)
        return {};
    const Row &r = m_rows[std::size_t(index.row())];
    const dataset::Problem &p = r.problem;
    if (role == Qt::DisplayRole || role == Qt::ToolTipRole) {
        switch (index.column()) {
        case SeverityColumn:
            switch (p.severity()) {
            case dataset::Severity::Error:
                return tr("error");
            case dataset::Severity::Warning:
                return tr("warning");
            case dataset::Severity::Info:
                return tr("note");
            }
            return {};
        case FileColumn:
            return r.eval ? tr("eval") : tr("train");
        case LineColumn:
            if (!p.line)
                return tr("file");
            // A CSV row below a value with line breaks: its line is not the row a spreadsheet
            // shows, so both are given.
            if (p.row && p.row != p.line)
                return role == Qt::ToolTipRole
                           ? tr("Row %1 (as a spreadsheet numbers it) starts on line %2 of the "
                                "file")
                                 .arg(p.row)
                                 .arg(p.line)
                           : tr("%1 (row %2)").arg(p.line).arg(p.row);
            return qulonglong(p.line);
        case FieldColumn:
            return QString::fromStdString(p.field);
        case MessageColumn:
            return QString::fromStdString(p.message);
        case RuleColumn:
            return QString::fromLatin1(dataset::ruleId(p.rule).data(),
                                       qsizetype(dataset::ruleId(p.rule).size()));
        }
    }
    // Errors stand out from warnings in the error red of the dialogs, read at paint time so it
    // follows a Light/Dark switch.
    if (role == Qt::ForegroundRole && index.column() == SeverityColumn &&
        p.severity() == dataset::Severity::Error)
        return QBrush(errorColor());
    if (role == Qt::UserRole && index.column() == LineColumn)
        return qulonglong(p.line); // numeric sort
    return {};
}

QVariant DatasetProblemModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case SeverityColumn:
        return tr("Severity");
    case FileColumn:
        return tr("File");
    case LineColumn:
        return tr("Line");
    case FieldColumn:
        return tr("Field");
    case MessageColumn:
        return tr("Problem");
    case RuleColumn:
        return tr("Rule");
    }
    return {};
}

DatasetProblemFilter::DatasetProblemFilter(QObject *parent) : QSortFilterProxyModel(parent)
{
    setFilterCaseSensitivity(Qt::CaseInsensitive);
    setFilterKeyColumn(-1);
}

void DatasetProblemFilter::setShow(Show show)
{
    m_show = show;
    invalidateFilter();
}

bool DatasetProblemFilter::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const auto *model = qobject_cast<const DatasetProblemModel *>(sourceModel());
    if (model && m_show != Show::All) {
        const dataset::Severity s = model->row(sourceRow).problem.severity();
        if (m_show == Show::Errors && s != dataset::Severity::Error)
            return false;
        if (m_show == Show::Warnings && s != dataset::Severity::Warning)
            return false;
    }
    return QSortFilterProxyModel::filterAcceptsRow(sourceRow, sourceParent);
}

} // namespace ui
