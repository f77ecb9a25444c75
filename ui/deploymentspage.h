#pragma once

#include <ui/resourcepage.h>

#include <client/deployments.h>

class QCheckBox;
class QLabel;
class QPushButton;
class QStackedWidget;
class QTableView;

namespace client {
class ApiClient;
}
namespace models {
class DeployedModelListModel;
class DeploymentListModel;
class ResourceSortProxy;
} // namespace models
namespace widgets {
class ErrorBanner;
}

namespace ui {

//! The Deployments page: browse deployments (soft-deleted ones too, on request), create,
//! scale, edit, delete and undelete them, and load and unload LoRAs on the selected one.
class DeploymentsPage : public ResourcePage
{
    Q_OBJECT
public:
    DeploymentsPage(client::ApiClient *api, QWidget *parent = nullptr); // api not owned
    QString title() const override { return tr("Deployments"); }
    QString pageId() const override { return QStringLiteral("deployments"); }
    void newItem() override;
    void deleteSelected() override;

    models::DeploymentListModel *model() const { return m_model; }
    //! The LoRAs loaded onto the selected deployment.
    models::DeployedModelListModel *loraModel() const { return m_loraModel; }
    QTableView *loraView() const { return m_loraView; }

protected:
    QList<ResourceLink> linksFor(int sourceRow) const override;
    void selectionChanged() override;

private:
    //! The list model is made by the public constructor and owned by the page (its child).
    DeploymentsPage(client::ApiClient *api, models::DeploymentListModel *model, QWidget *parent);
    void scaleSelected();
    //! The selected READY deployment as the target of a Playground conversation.
    void chatWithSelected();
    void editSelected();
    void undeleteSelected();
    void loadLora();
    void unloadLora();
    void refetchLora(const QString &name);
    //! Fetches a deployment again after an action whose answer is empty (delete).
    void refetch(const QString &name);
    //! Shows a deployment as fetched: a DELETED one leaves the list unless deleted ones are
    //! shown.
    void showFetched(const client::Deployment &d);
    void showLorasOf(const QString &deployment);
    void updateLoraActions();
    int selectedLoraRow() const;

    client::ApiClient *m_api;                    // not owned
    models::DeploymentListModel *m_model;        // owned (child)
    models::DeployedModelListModel *m_loraModel; // owned (child)
    models::ResourceSortProxy *m_loraProxy;
    QAction *m_new;
    QAction *m_scale;
    QAction *m_chat;
    QAction *m_edit;
    QAction *m_delete;
    QAction *m_undelete;
    QCheckBox *m_showDeleted;
    widgets::ErrorBanner *m_loraBanner; // the LoRA list's own load errors, with Retry
    QStackedWidget *m_loraStack;
    QLabel *m_loraTitle;
    QLabel *m_statusLine; //!< the selected deployment's status message, under its title
    QLabel *m_loraEmpty;  //!< in place of the LoRA table when the deployment has none
    QTableView *m_loraView;
    QPushButton *m_loadLora;
    QPushButton *m_unloadLora;
    QString m_loraDeployment; // the deployment the LoRA list is filtered to
};

} // namespace ui
