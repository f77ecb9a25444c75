#include "deploymentspage.h"

#include <models/deploymentlistmodel.h>

namespace ui {

DeploymentsPage::DeploymentsPage(client::ApiClient *api, QWidget *parent)
    : ResourcePage(new models::DeploymentListModel(api), tr("deployments"), parent), m_api(api),
      m_model(static_cast<models::DeploymentListModel *>(listModel()))
{
    m_model->setParent(this);
    setEmptyState(tr("No deployments yet."), nullptr);
}

} // namespace ui
