#include "apikeyspage.h"

#include <models/apikeylistmodel.h>

namespace ui {

ApiKeysPage::ApiKeysPage(client::ApiClient *api, QWidget *parent)
    : ResourcePage(new models::ApiKeyListModel(api), tr("API keys"), parent), m_api(api),
      m_model(static_cast<models::ApiKeyListModel *>(listModel()))
{
    m_model->setParent(this);
    setEmptyState(tr("No API keys yet."), nullptr);
}

} // namespace ui
