#pragma once

#include <models/resourcetablemodel.h>

#include <client/accounts.h>
#include <client/apiclient.h>

namespace models {

//! API keys of one user of the account (keys have no state, so nothing is polled).
class ApiKeyListModel : public ResourceTableModel<client::ApiKey>
{
public:
    enum Column {
        KeyIdColumn,
        DisplayNameColumn,
        PrefixColumn,
        CreatedColumn,
        ExpiresColumn,
        LastUsedColumn
    };
    explicit ApiKeyListModel(client::ApiClient *api, QObject *parent = nullptr); // api not owned
    void setUserId(const QString &userId) { m_userId = userId; }
    QString userId() const { return m_userId; }

private:
    QString m_userId;
};

} // namespace models
