#include "serverrequestlogmodel.h"

#include <QLocale>

namespace models {

ServerRequestLogModel::ServerRequestLogModel(QObject *parent) : QAbstractTableModel(parent) {}

int ServerRequestLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ServerRequestLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

Qt::ItemFlags ServerRequestLogModel::flags(const QModelIndex &index) const
{
    return index.isValid() ? Qt::ItemIsEnabled | Qt::ItemIsSelectable : Qt::NoItemFlags;
}

const engineserver::RequestLogEntry *ServerRequestLogModel::entry(int row) const
{
    return row >= 0 && row < m_rows.size() ? &m_rows[row] : nullptr;
}

QVariant ServerRequestLogModel::data(const QModelIndex &index, int role) const
{
    const engineserver::RequestLogEntry *e = index.isValid() ? entry(index.row()) : nullptr;
    if (!e)
        return {};
    if (role == Qt::ToolTipRole)
        return e->error.isEmpty() ? QVariant() : QVariant(e->error);
    if (role == Qt::TextAlignmentRole)
        return index.column() >= StatusColumn ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                                              : QVariant();
    if (role != Qt::DisplayRole)
        return {};
    const QLocale locale;
    switch (index.column()) {
    case TimeColumn:
        return e->received.time().toString(QStringLiteral("HH:mm:ss"));
    case RouteColumn:
        return QStringLiteral("%1 %2").arg(e->method, e->route).trimmed();
    case ModelColumn:
        return e->model;
    case StatusColumn:
        return e->status == 499 ? tr("%1 (client left)").arg(e->status)
                                : QString::number(e->status);
    case FirstTokenColumn:
        return e->timeToFirstTokenMs >= 0
                   ? tr("%1 ms").arg(locale.toString(e->timeToFirstTokenMs, 'f', 0))
                   : QString();
    case TokensColumn:
        return e->promptTokens + e->completionTokens > 0
                   ? tr("%1 → %2").arg(e->promptTokens).arg(e->completionTokens)
                   : QString();
    case TokensPerSecondColumn:
        return e->tokensPerSecond > 0 ? locale.toString(e->tokensPerSecond, 'f', 1) : QString();
    case DurationColumn:
        return e->durationMs >= 1000 ? tr("%1 s").arg(locale.toString(e->durationMs / 1000, 'f', 2))
                                     : tr("%1 ms").arg(locale.toString(e->durationMs, 'f', 0));
    default:
        return {};
    }
}

QVariant ServerRequestLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case RouteColumn:
        return tr("Request");
    case ModelColumn:
        return tr("Model");
    case StatusColumn:
        return tr("Status");
    case FirstTokenColumn:
        return tr("First token");
    case TokensColumn:
        return tr("Tokens (prompt → reply)");
    case TokensPerSecondColumn:
        return tr("Tokens/s");
    case DurationColumn:
        return tr("Duration");
    default:
        return {};
    }
}

void ServerRequestLogModel::append(const engineserver::RequestLogEntry &entry)
{
    if (m_rows.size() >= kMaxRows) {
        beginRemoveRows({}, 0, 0);
        m_rows.removeFirst();
        endRemoveRows();
    }
    const int row = int(m_rows.size());
    beginInsertRows({}, row, row);
    m_rows.append(entry);
    endInsertRows();
}

void ServerRequestLogModel::clear()
{
    if (m_rows.isEmpty())
        return;
    beginResetModel();
    m_rows.clear();
    endResetModel();
}

} // namespace models
