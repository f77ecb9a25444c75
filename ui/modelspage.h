#pragma once

#include <ui/resourcepage.h>

namespace client {
class ApiClient;
}
namespace models {
class ModelListModel;
}

namespace ui {

//! The Models page: browse models, see every field, and act on them.
class ModelsPage : public ResourcePage
{
    Q_OBJECT
public:
    ModelsPage(client::ApiClient *api, QWidget *parent = nullptr); // api not owned
    QString title() const override { return tr("Models"); }
    QString pageId() const override { return QStringLiteral("models"); }
    models::ModelListModel *model() const { return m_model; }

private:
    client::ApiClient *m_api;
    models::ModelListModel *m_model; // owned (child)
};

} // namespace ui
