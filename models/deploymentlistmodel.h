#pragma once

#include <models/resourcetablemodel.h>

#include <client/apiclient.h>
#include <client/deployments.h>

namespace models {

//! Deployments of the account. CREATING, UPDATING and DELETING rows are polled until they
//! settle; with showDeleted the soft-deleted ones (which can be undeleted) are listed too.
class DeploymentListModel : public ResourceTableModel<client::Deployment>
{
public:
    enum Column {
        IdColumn,
        DisplayNameColumn,
        ModelColumn,
        StateColumn,
        ReplicasColumn,
        AcceleratorColumn,
        PrecisionColumn,
        CreatedColumn
    };
    explicit DeploymentListModel(client::ApiClient *api,
                                 QObject *parent = nullptr); // api not owned

    //! The precision's API value as its tooltip.
    QVariant data(const QModelIndex &index, int role) const override;
};

} // namespace models
