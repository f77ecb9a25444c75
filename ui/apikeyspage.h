#pragma once

#include <ui/resourcepage.h>

namespace client {
class ApiClient;
}
namespace models {
class ApiKeyListModel;
}

namespace ui {

//! The API keys page: browse API keys, see every field, and act on them.
class ApiKeysPage : public ResourcePage
{
    Q_OBJECT
public:
    ApiKeysPage(client::ApiClient *api, QWidget *parent = nullptr); // api not owned
    QString title() const override { return tr("API keys"); }
    QString pageId() const override { return QStringLiteral("apikeys"); }
    models::ApiKeyListModel *model() const { return m_model; }

private:
    client::ApiClient *m_api;
    models::ApiKeyListModel *m_model; // owned (child)
};

} // namespace ui
