#pragma once

#include <ui/resourcepage.h>

namespace client {
class ApiClient;
}
namespace models {
class DeploymentListModel;
}

namespace ui {

//! The Deployments page: browse deployments, see every field, and act on them.
class DeploymentsPage : public ResourcePage
{
    Q_OBJECT
public:
    DeploymentsPage(client::ApiClient *api, QWidget *parent = nullptr); // api not owned
    QString title() const override { return tr("Deployments"); }
    QString pageId() const override { return QStringLiteral("deployments"); }
    models::DeploymentListModel *model() const { return m_model; }

private:
    client::ApiClient *m_api;
    models::DeploymentListModel *m_model; // owned (child)
};

} // namespace ui
