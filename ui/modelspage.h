#pragma once

#include <ui/resourcepage.h>

class QComboBox;
class QLabel;

namespace client {
class ApiClient;
}
namespace models {
class ModelListModel;
}

namespace ui {

//! The Models page: the account's models or the public Fireworks catalog; upload a model
//! folder (custom model or LoRA), resume an interrupted upload, edit, delete, download.
class ModelsPage : public ResourcePage
{
    Q_OBJECT
public:
    enum class Source { MyModels, Catalog };
    ModelsPage(client::ApiClient *api, QWidget *parent = nullptr); // api not owned
    QString title() const override { return tr("Models"); }
    QString pageId() const override { return QStringLiteral("models"); }
    models::ModelListModel *model() const { return m_model; }

    void newItem() override;
    void deleteSelected() override;
    //! Switches to the catalog for accounts/fireworks names, back for the profile's own.
    void showResource(const QString &name) override;
    Source source() const;
    void setSource(Source source);

protected:
    QList<ResourceLink> linksFor(int sourceRow) const override;
    void selectionChanged() override;

protected:
    void showEvent(QShowEvent *event) override;

private:
    //! The list model is made by the public constructor and owned by the page (its child).
    ModelsPage(client::ApiClient *api, models::ModelListModel *model, QWidget *parent);
    void upload();
    void resumeUpload();
    void edit();
    void download();
    void deploy();
    void fetchDeployedRefs(const QString &name);

    client::ApiClient *m_api;
    models::ModelListModel *m_model; // owned (child)
    QComboBox *m_source = nullptr;
    QAction *m_upload = nullptr;
    QAction *m_resume = nullptr;
    QAction *m_edit = nullptr;
    QAction *m_download = nullptr;
    QAction *m_delete = nullptr;
    QAction *m_deploy = nullptr;
    QString m_refsFetchedFor; // the selected model whose GetModel answer is in the list
    QWidget *m_jobRow = nullptr;
    QLabel *m_jobName = nullptr;
};

} // namespace ui
