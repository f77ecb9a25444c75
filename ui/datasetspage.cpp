#include "datasetspage.h"

#include <models/datasetlistmodel.h>

namespace ui {

DatasetsPage::DatasetsPage(client::ApiClient *api, QWidget *parent)
    : ResourcePage(new models::DatasetListModel(api), tr("datasets"), parent), m_api(api),
      m_model(static_cast<models::DatasetListModel *>(listModel()))
{
    m_model->setParent(this);
    setEmptyState(tr("No datasets yet."), nullptr);
}

} // namespace ui
