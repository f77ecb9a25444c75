#pragma once

#include <ui/resourcepage.h>

namespace client {
class ApiClient;
}
namespace models {
class DatasetListModel;
}

namespace ui {

//! The Datasets page: create a dataset from a JSONL file, preview its first rows, download,
//! fine-tune on it (the fine-tuning wizard with it chosen), delete.
class DatasetsPage : public ResourcePage
{
    Q_OBJECT
public:
    DatasetsPage(client::ApiClient *api, QWidget *parent = nullptr); // api not owned
    QString title() const override { return tr("Datasets"); }
    QString pageId() const override { return QStringLiteral("datasets"); }
    models::DatasetListModel *model() const { return m_model; }

    void newItem() override;
    void deleteSelected() override;

protected:
    void selectionChanged() override;

private:
    //! The list model is made by the public constructor and owned by the page (its child).
    DatasetsPage(client::ApiClient *api, models::DatasetListModel *model, QWidget *parent);
    //! The dataset wizard, on `path` when one is given.
    void openWizard(const QString &path = {});
    void preview();
    void fineTune();
    void download();

    client::ApiClient *m_api;
    models::DatasetListModel *m_model; // owned (child)
    QAction *m_create = nullptr;
    QAction *m_preview = nullptr;
    QAction *m_download = nullptr;
    QAction *m_fineTune = nullptr;
    QLabel *m_figures = nullptr; // the selected dataset's counts in words (detail pane)
};

} // namespace ui
