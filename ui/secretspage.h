#pragma once

#include <ui/resourcepage.h>

namespace client {
class ApiClient;
}
namespace models {
class SecretListModel;
}

namespace ui {

//! The Secrets page: New secret…, Edit… (key name and a new value) and Delete…. Values are
//! write-only: the page never has them after the dialog sent them.
class SecretsPage : public ResourcePage
{
    Q_OBJECT
public:
    SecretsPage(client::ApiClient *api, QWidget *parent = nullptr); // api not owned
    QString title() const override { return tr("Secrets"); }
    QString pageId() const override { return QStringLiteral("secrets"); }
    models::SecretListModel *model() const { return m_model; }

    void newItem() override;
    void editSelected();
    void deleteSelected() override;

private:
    //! The list model is made by the public constructor and owned by the page (its child).
    SecretsPage(client::ApiClient *api, models::SecretListModel *model, QWidget *parent);
    client::ApiClient *m_api;
    models::SecretListModel *m_model; // owned (child)
};

} // namespace ui
