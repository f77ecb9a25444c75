#pragma once

// The playground's list of conversations (newest first), filtered by a search text that
// matches titles and message text.

#include <QAbstractListModel>

#include <models/conversationstore.h>

namespace models {

class ConversationListModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Role { IdRole = Qt::UserRole + 1, UpdatedRole, TargetRole };
    //! `store` is not owned.
    explicit ConversationListModel(ConversationStore *store, QObject *parent = nullptr);

    void setSearch(const QString &text);
    QString search() const { return m_search; }
    //! Reads the store again (after a change made elsewhere).
    void refresh();
    int rowOf(qint64 id) const;
    qint64 idAt(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    ConversationStore *m_store; // not owned
    QString m_search;
    QList<ConversationInfo> m_rows;
};

} // namespace models
