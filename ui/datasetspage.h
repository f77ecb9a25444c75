#pragma once

#include <ui/resourcepage.h>

namespace client {
class ApiClient;
}
namespace models {
class DatasetListModel;
}

namespace ui {

//! The Datasets page: browse datasets, see every field, and act on them.
class DatasetsPage : public ResourcePage
{
    Q_OBJECT
public:
    DatasetsPage(client::ApiClient *api, QWidget *parent = nullptr); // api not owned
    QString title() const override { return tr("Datasets"); }
    QString pageId() const override { return QStringLiteral("datasets"); }
    models::DatasetListModel *model() const { return m_model; }

private:
    client::ApiClient *m_api;
    models::DatasetListModel *m_model; // owned (child)
};

} // namespace ui
