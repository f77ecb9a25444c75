#pragma once

#include <ui/resourcepage.h>

#include <optional>

class QComboBox;

namespace client {
class ApiClient;
struct ApiKey;
} // namespace client
namespace models {
class ApiKeyListModel;
}

namespace ui {

//! The API keys page: the keys of one user of the account (picked in the toolbar; the one picked
//! last time, else the first person rather than a service account); New API key… shows the key
//! once; Delete… asks first.
class ApiKeysPage : public ResourcePage
{
    Q_OBJECT
public:
    ApiKeysPage(client::ApiClient *api, QWidget *parent = nullptr); // api not owned
    QString title() const override { return tr("API keys"); }
    QString pageId() const override { return QStringLiteral("apikeys"); }
    models::ApiKeyListModel *model() const { return m_model; }
    QComboBox *userSelector() const { return m_users; }

    //! Loads the users, then the keys of the selected (or first) user.
    void reload() override;
    void newItem() override;
    void deleteSelected() override;

private:
    //! The list model is made by the public constructor and owned by the page (its child).
    ApiKeysPage(client::ApiClient *api, models::ApiKeyListModel *model, QWidget *parent);
    void loadKeys();
    //! "Display name (key-id)", a long display name shortened in the middle.
    QString shownName(const client::ApiKey &key) const;

    client::ApiClient *m_api;
    models::ApiKeyListModel *m_model; // owned (child)
    QComboBox *m_users;
    std::optional<client::ApiError> m_usersError;
    int m_usersGeneration = 0;
};

} // namespace ui
