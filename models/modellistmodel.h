#pragma once

#include <models/resourcetablemodel.h>

#include <client/apiclient.h>
#include <client/models.h>

namespace models {

//! Models of an account (the user's own by default, or a public catalog such as
//! "fireworks"). Rows that are UPLOADING are polled until they are READY.
class ModelListModel : public ResourceTableModel<client::Model>
{
public:
    enum Column {
        IdColumn,
        DisplayNameColumn,
        KindColumn,
        StateColumn,
        BaseModelColumn,
        ContextColumn,
        CreatedColumn
    };
    explicit ModelListModel(client::ApiClient *api, QObject *parent = nullptr); // api not owned
    //! Lists another account's models (e.g. "fireworks"); empty = the profile's account.
    void setAccount(const QString &accountId) { m_account = accountId; }
    QString account() const { return m_account; }

    //! The Kind cell's tooltip names the API value behind its display name.
    QVariant data(const QModelIndex &index, int role) const override;

private:
    QString m_account;
};

} // namespace models
