#pragma once

#include <models/resourcetablemodel.h>

#include <client/accounts.h>
#include <client/apiclient.h>

namespace models {

//! Secrets of the account. Values are write-only: the server never returns them.
class SecretListModel : public ResourceTableModel<client::Secret>
{
public:
    enum Column { IdColumn, KeyNameColumn };
    explicit SecretListModel(client::ApiClient *api, QObject *parent = nullptr); // api not owned
};

} // namespace models
