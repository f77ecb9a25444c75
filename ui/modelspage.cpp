#include "modelspage.h"

#include <models/modellistmodel.h>

namespace ui {

ModelsPage::ModelsPage(client::ApiClient *api, QWidget *parent)
    : ResourcePage(new models::ModelListModel(api), tr("models"), parent), m_api(api),
      m_model(static_cast<models::ModelListModel *>(listModel()))
{
    m_model->setParent(this);
    setEmptyState(tr("No models yet."), nullptr);
}

} // namespace ui
