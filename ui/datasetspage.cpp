#include "datasetspage.h"

#include <ui/createdatasetdialog.h>
#include <ui/datasetpreviewdialog.h>
#include <ui/datasetwizard.h>
#include <ui/downloaddialog.h>
#include <ui/finetunewizard.h>
#include <ui/icons.h>

#include <client/apiclient.h>
#include <client/states.h>
#include <models/datasetlistmodel.h>
#include <models/trainingrun.h>

#include <QAction>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>

namespace ui {

DatasetsPage::DatasetsPage(client::ApiClient *api, QWidget *parent)
    : DatasetsPage(api, new models::DatasetListModel(api), parent)
{}

DatasetsPage::DatasetsPage(client::ApiClient *api, models::DatasetListModel *model, QWidget *parent)
    : ResourcePage(model, tr("datasets"), parent), m_api(api), m_model(model)
{
    m_model->setParent(this);
    // Ctrl+N and Delete reach newItem()/deleteSelected() through the main window.
    m_create = addPageAction(tr("&Create from JSONL…"), {}, false, [this] { newItem(); });
    m_create->setToolTip(tr("Create a dataset from a local JSONL file (Ctrl+N)"));
    icons::setActionIcon(m_create, icons::Action::New);
    // The dataset wizard (issue 15) beside the quick dialog until it also covers the
    // fine-tuning hand-over.
    QAction *wizard =
        addPageAction(tr("Dataset &wizard…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_W), false,
                      [this] { openWizard(); });
    icons::setActionIcon(wizard, icons::Action::Wizard);
    wizard->setToolTip(tr("Check, count tokens, clean, split and upload a JSONL, JSON or CSV "
                          "file step by step (%1)")
                           .arg(wizard->shortcut().toString(QKeySequence::NativeText)));
    m_preview = addPageAction(tr("&Preview…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P), true,
                              [this] { preview(); });
    icons::setActionIcon(m_preview, icons::Action::Preview);
    m_preview->setToolTip(tr("Show the first %1 rows (%2)")
                              .arg(DatasetPreviewDialog::kRows)
                              .arg(m_preview->shortcut().toString(QKeySequence::NativeText)));
    m_download = addPageAction(tr("Do&wnload…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S),
                               true, [this] { download(); });
    icons::setActionIcon(m_download, icons::Action::Download);
    // What a READY dataset is for: the fine-tuning wizard with it chosen.
    m_fineTune = addPageAction(tr("Fine-&tune…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_T),
                               true, [this] { fineTune(); });
    m_fineTune->setObjectName(QStringLiteral("fineTuneWithDataset"));
    icons::setActionIcon(m_fineTune, icons::Action::Wizard);
    icons::setActionIcon(addPageAction(tr("&Delete…"), {}, true, [this] { deleteSelected(); }),
                         icons::Action::Delete);

    // The counts in words beside the raw fields, where "estimatedTokenCount": "27172520"
    // read as a byte count.
    m_figures = new QLabel(this);
    m_figures->setObjectName(QStringLiteral("datasetFigures"));
    m_figures->setWordWrap(true);
    m_figures->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_figures->hide();
    addDetailWidget(m_figures);

    // The wizard named too: a first file often has a broken line or a CSV to convert.
    setEmptyState(tr("No datasets yet. Create one from a JSONL file: one JSON object per line, "
                     "e.g. {\"messages\": [...]} for chat fine-tuning. To check, fix or convert "
                     "a file first, open the Dataset wizard (%1).")
                      .arg(wizard->shortcut().toString(QKeySequence::NativeText)),
                  m_create);
}

void DatasetsPage::selectionChanged()
{
    ResourcePage::selectionChanged();
    const int row = selectedSourceRow();
    const bool ready = row >= 0 && m_model->item(row).state == client::DatasetState::Ready;
    m_preview->setEnabled(ready);
    m_download->setEnabled(ready);
    m_fineTune->setEnabled(ready);
    m_fineTune->setToolTip(ready || row < 0
                               ? tr("Start a fine-tuning job on this dataset (%1)")
                                     .arg(m_fineTune->shortcut().toString(QKeySequence::NativeText))
                               : tr("A dataset can be trained on once it is READY"));
    const QString figures =
        row >= 0 ? models::DatasetListModel::figuresText(m_model->item(row)) : QString();
    m_figures->setText(figures);
    m_figures->setVisible(!figures.isEmpty());
}

void DatasetsPage::newItem()
{
    auto *dialog = new CreateDatasetDialog(m_api, this);
    connect(dialog, &CreateDatasetDialog::datasetDeleted, this, [this](const QString &name) {
        m_model->removeByName(name); // the half-created dataset the user chose to delete
        showActionStatus(tr("Deleted %1.").arg(client::resourceId(name)));
    });
    connect(dialog, &CreateDatasetDialog::openInWizard, this,
            [this](const QString &path) { openWizard(path); });
    connect(dialog, &CreateDatasetDialog::datasetChanged, this, [this](const client::Dataset &d) {
        m_model->upsert(d);
        showResource(d.name);
        const QString id = client::resourceId(d.name);
        showActionStatus(d.state == client::DatasetState::Ready
                             ? tr("%1 is READY with %2 examples.")
                                   .arg(id, models::groupedInteger(d.exampleCount))
                             : tr("%1 created; uploading…").arg(id));
    });
    dialog->open();
}

void DatasetsPage::openWizard(const QString &path)
{
    auto *wizard = new DatasetWizard(m_api, this);
    wizard->setAttribute(Qt::WA_DeleteOnClose);
    connect(wizard, &DatasetWizard::datasetChanged, this, [this](const client::Dataset &d) {
        m_model->upsert(d);
        showResource(d.name);
    });
    wizard->open();
    if (!path.isEmpty())
        wizard->setSourceFile(path);
}

void DatasetsPage::fineTune()
{
    const int row = selectedSourceRow();
    if (row < 0 || !m_fineTune->isEnabled())
        return;
    auto *wizard = new FineTuneWizard(m_api, this);
    wizard->setAttribute(Qt::WA_DeleteOnClose);
    wizard->setDataset(m_model->item(row));
    connect(wizard, &FineTuneWizard::jobCreated, this, [this](const client::TrainingJob &job) {
        FineTuneWizard::showJobInMonitor(this, job);
    });
    wizard->open();
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
    const client::Dataset &d = m_model->item(row);
    const QString name = d.name;
    const QString shown = userFacingName(name, d.displayName);
    confirmThenRun(
        {tr("Delete dataset"), tr("Delete the dataset %1?").arg(shown),
         tr("Its file is removed for good; jobs that use it can no longer start."), tr("&Delete")},
        [this, name, shown] {
            followCall<client::Empty>(m_api->datasets().remove(name), tr("Deleting %1").arg(shown),
                                      [this, name, shown](const client::Empty &) {
                                          m_model->removeByName(name);
                                          showActionStatus(tr("Deleted %1.").arg(shown));
                                      });
        });
}

} // namespace ui
