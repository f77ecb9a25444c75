#include "conversationlistmodel.h"

#include <QLocale>

namespace models {

ConversationListModel::ConversationListModel(ConversationStore *store, QObject *parent)
    : QAbstractListModel(parent), m_store(store)
{
    refresh();
}

void ConversationListModel::setSearch(const QString &text)
{
    if (text == m_search)
        return;
    m_search = text;
    refresh();
}

void ConversationListModel::refresh()
{
    beginResetModel();
    m_rows = m_store->conversations(m_search);
    endResetModel();
}

int ConversationListModel::rowOf(qint64 id) const
{
    for (qsizetype i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].id == id)
            return int(i);
    return -1;
}

qint64 ConversationListModel::idAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows[row].id : 0;
}

int ConversationListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant ConversationListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const ConversationInfo &c = m_rows[index.row()];
    switch (role) {
    case Qt::DisplayRole:
        return c.title;
    case Qt::ToolTipRole:
        return c.sideBySide
                   ? tr("%1\na side-by-side column: opens with the other columns\nlast message %2")
                         .arg(c.title, QLocale().toString(c.updated, QLocale::ShortFormat))
                   : tr("%1\nlast message %2")
                         .arg(c.title, QLocale().toString(c.updated, QLocale::ShortFormat));
    case IdRole:
        return c.id;
    case UpdatedRole:
        return c.updated;
    case TargetRole:
        return c.target;
    default:
        return {};
    }
}

QHash<int, QByteArray> ConversationListModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(IdRole, "conversationId");
    names.insert(UpdatedRole, "updated");
    names.insert(TargetRole, "target");
    return names;
}

} // namespace models
