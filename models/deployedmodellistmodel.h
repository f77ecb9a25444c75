#pragma once

#include <models/resourcetablemodel.h>

#include <client/apiclient.h>
#include <client/deployments.h>

namespace models {

//! LoRAs (deployed models) loaded onto deployments; DEPLOYING, UNDEPLOYING and UPDATING
//! rows are polled. Filter by deployment with setServerFilter("deployment=\"…\"").
class DeployedModelListModel : public ResourceTableModel<client::DeployedModel>
{
public:
    enum Column {
        IdColumn,
        ModelColumn,
        DeploymentColumn,
        StateColumn,
        DefaultColumn,
        CreatedColumn
    };
    explicit DeployedModelListModel(client::ApiClient *api,
                                    QObject *parent = nullptr); // api not owned
};

} // namespace models
