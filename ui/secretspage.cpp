#include "secretspage.h"

#include <models/secretlistmodel.h>

namespace ui {

SecretsPage::SecretsPage(client::ApiClient *api, QWidget *parent)
    : ResourcePage(new models::SecretListModel(api), tr("secrets"), parent), m_api(api),
      m_model(static_cast<models::SecretListModel *>(listModel()))
{
    m_model->setParent(this);
    setEmptyState(tr("No secrets yet."), nullptr);
}

} // namespace ui
