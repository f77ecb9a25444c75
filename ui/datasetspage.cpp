#include "datasetspage.h"

#include <ui/createdatasetdialog.h>
#include <ui/datasetpreviewdialog.h>
#include <ui/downloaddialog.h>

#include <client/apiclient.h>
#include <models/datasetlistmodel.h>

#include <QAction>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>

#include <algorithm>

namespace ui {

DatasetsPage::DatasetsPage(client::ApiClient *api, QWidget *parent)
    : ResourcePage(new models::DatasetListModel(api), tr("datasets"), parent), m_api(api),
      m_model(static_cast<models::DatasetListModel *>(listModel()))
{
    m_model->setParent(this);
    // Ctrl+N and Delete reach newItem()/deleteSelected() through the main window.
    m_create = addPageAction(tr("&Create from JSONL…"), {}, false, [this] { newItem(); });
    m_create->setToolTip(tr("Create a dataset from a local JSONL file (Ctrl+N)"));
    m_preview = addPageAction(tr("&Preview…"), {}, true, [this] { preview(); });
    m_preview->setToolTip(tr("Show the first %1 rows").arg(DatasetPreviewDialog::kRows));
    m_download = addPageAction(tr("Do&wnload…"), {}, true, [this] { download(); });
    addPageAction(tr("&Delete…"), {}, true, [this] { deleteSelected(); });

    // Columns fit the first page's contents after each reload (capped, so a long description
    // or status does not push the rest out of view); later pages keep those widths.
    connect(m_model, &models::ResourceListModel::firstPageLoaded, this, [this] {
        if (m_model->rowCount() == 0)
            return;
        view()->resizeColumnsToContents();
        for (int c = 0; c < m_model->columnCount(); ++c)
            view()->setColumnWidth(c, std::clamp(view()->columnWidth(c), 60, 320));
    });

    setEmptyState(tr("No datasets yet. Create one from a JSONL file: one JSON object per line, "
                     "e.g. {\"messages\": [...]} for chat fine-tuning."),
                  m_create);
}

void DatasetsPage::selectionChanged()
{
    ResourcePage::selectionChanged();
    const int row = selectedSourceRow();
    const bool ready = row >= 0 && m_model->item(row).state == client::DatasetState::Ready;
    m_preview->setEnabled(ready);
    m_download->setEnabled(ready);
}

void DatasetsPage::newItem()
{
    auto *dialog = new CreateDatasetDialog(m_api, this);
    connect(dialog, &CreateDatasetDialog::datasetChanged, this, [this](const client::Dataset &d) {
        m_model->upsert(d);
        showResource(d.name);
        const QString id = d.name.section(QLatin1Char('/'), -1);
        showActionStatus(d.state == client::DatasetState::Ready
                             ? tr("%1 is READY with %2 examples.").arg(id).arg(d.exampleCount)
                             : tr("%1 created; uploading…").arg(id));
    });
    dialog->open();
}

void DatasetsPage::preview()
{
    const int row = selectedSourceRow();
    if (row < 0)
        return;
    auto *dialog = new DatasetPreviewDialog(m_api, m_model->nameAt(row), this);
    dialog->open();
    dialog->start();
}

void DatasetsPage::download()
{
    const int row = selectedSourceRow();
    if (row < 0)
        return;
    auto *dialog = new DownloadDialog(m_api, client::DownloadFlow::Target::Dataset,
                                      m_model->nameAt(row), this);
    dialog->open();
}

void DatasetsPage::deleteSelected()
{
    const int row = selectedSourceRow();
    if (row < 0)
        return;
    const QString name = m_model->nameAt(row);
    const QString id = name.section(QLatin1Char('/'), -1);
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Delete dataset"),
                                tr("Delete the dataset %1?").arg(id), QMessageBox::Cancel, this);
    box->setObjectName(QStringLiteral("confirmDeleteDataset"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setInformativeText(tr("%1 and its file are removed for good.").arg(name));
    QPushButton *yes = box->addButton(tr("&Delete"), QMessageBox::DestructiveRole);
    yes->setObjectName(QStringLiteral("confirmDeleteButton"));
    box->setDefaultButton(QMessageBox::Cancel);
    connect(yes, &QPushButton::clicked, this, [this, name, id] {
        setActionBusy(true);
        auto *call = m_api->datasets().remove(name);
        connect(call, &client::PendingCallBase::finished, this, [this, call, name, id] {
            setActionBusy(false);
            if (!call->result().ok()) {
                showActionError(tr("Deleting %1").arg(id), call->result().error());
                return;
            }
            m_model->removeByName(name);
            showActionStatus(tr("Deleted %1.").arg(id));
        });
    });
    box->open();
}

} // namespace ui
