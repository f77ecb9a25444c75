#include "modelspage.h"

#include <ui/deploymentdialog.h>
#include <ui/downloaddialog.h>
#include <ui/editmodeldialog.h>
#include <ui/icons.h>
#include <ui/uploadmodeldialog.h>

#include <client/apiclient.h>
#include <client/resourcenames.h>
#include <client/states.h>
#include <models/modellistmodel.h>

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>
#include <QToolBar>

#include <algorithm>

namespace ui {

ModelsPage::ModelsPage(client::ApiClient *api, QWidget *parent)
    : ModelsPage(api, new models::ModelListModel(api), parent)
{}

ModelsPage::ModelsPage(client::ApiClient *api, models::ModelListModel *model, QWidget *parent)
    : ResourcePage(model, tr("models"), parent), m_api(api), m_model(model)
{
    m_model->setParent(this);

    // Ctrl+N and Delete reach newItem()/deleteSelected() through the main window.
    m_upload = addPageAction(tr("&Upload model…"), {}, false, [this] { upload(); });
    m_upload->setToolTip(tr("Upload a local model folder (Ctrl+N)"));
    icons::setActionIcon(m_upload, icons::Action::Upload);
    m_resume = addPageAction(tr("Re&sume upload…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_U),
                             true, [this] { resumeUpload(); });
    icons::setActionIcon(m_resume, icons::Action::Resume);
    m_resume->setToolTip(tr("Upload the files of a model that is still UPLOADING again (%1)")
                             .arg(m_resume->shortcut().toString(QKeySequence::NativeText)));
    m_edit = addPageAction(tr("&Edit…"), QKeySequence(Qt::Key_F2), true, [this] { edit(); });
    icons::setActionIcon(m_edit, icons::Action::Edit);
    m_download = addPageAction(tr("Do&wnload…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S),
                               true, [this] { download(); });
    icons::setActionIcon(m_download, icons::Action::Download);
    m_deploy = addPageAction(tr("De&ploy…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D), true,
                             [this] { deploy(); });
    m_deploy->setObjectName(QStringLiteral("deployModel"));
    icons::setActionIcon(m_deploy, icons::Action::Deploy);
    m_delete = addPageAction(tr("&Delete…"), {}, true, [this] { deleteSelected(); });
    icons::setActionIcon(m_delete, icons::Action::Delete);

    m_source = new QComboBox(this);
    m_source->setObjectName(QStringLiteral("sourceCombo"));
    m_source->addItem(tr("My models"));
    m_source->addItem(tr("Fireworks catalog"));
    m_source->setToolTip(tr("Your account's models, or the public models of accounts/fireworks"));
    auto *sourceLabel = new QLabel(tr("S&how:"), this);
    sourceLabel->setBuddy(m_source);
    const QAction *first = toolBar()->actions().value(0);
    toolBar()->insertWidget(const_cast<QAction *>(first), sourceLabel);
    toolBar()->insertWidget(const_cast<QAction *>(first), m_source);
    toolBar()->insertSeparator(const_cast<QAction *>(first));
    connect(m_source, &QComboBox::currentIndexChanged, this, [this](int index) {
        m_model->setAccount(index == 1 ? client::catalogAccount() : QString());
        reload();
        selectionChanged();
    });

    // A fine-tuned model's job: its name, with Copy (the link to it is among the links).
    m_jobRow = new QWidget(this);
    auto *jobLayout = new QHBoxLayout(m_jobRow);
    jobLayout->setContentsMargins(0, 0, 0, 0);
    m_jobName = new QLabel(m_jobRow);
    m_jobName->setObjectName(QStringLiteral("fineTuningJobLabel"));
    m_jobName->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_jobName->setWordWrap(true);
    auto *copyJob =
        new QPushButton(icons::forAction(icons::Action::Copy), tr("Copy job name"), m_jobRow);
    copyJob->setObjectName(QStringLiteral("copyJobButton"));
    connect(copyJob, &QPushButton::clicked, this, [this] {
        const int row = selectedSourceRow();
        if (row >= 0)
            QApplication::clipboard()->setText(m_model->item(row).fineTuningJob);
    });
    jobLayout->addWidget(m_jobName, 1);
    jobLayout->addWidget(copyJob);
    m_jobRow->hide();
    addDetailWidget(m_jobRow);

    setEmptyState(tr("No models yet. Upload a Hugging Face folder (config.json) or a LoRA "
                     "adapter (adapter_config.json)."),
                  m_upload);
}

ModelsPage::Source ModelsPage::source() const
{
    return m_source->currentIndex() == 1 ? Source::Catalog : Source::MyModels;
}

void ModelsPage::setSource(Source source)
{
    m_source->setCurrentIndex(source == Source::Catalog ? 1 : 0);
}

void ModelsPage::showResource(const QString &name)
{
    const QString account = client::accountOf(name);
    if (account == client::catalogAccount() && source() != Source::Catalog)
        setSource(Source::Catalog);
    else if (account == m_api->accountId() && source() != Source::MyModels)
        setSource(Source::MyModels);
    ResourcePage::showResource(name);
}

QList<ResourceLink> ModelsPage::linksFor(int sourceRow) const
{
    QList<ResourceLink> links;
    const client::Model &m = m_model->item(sourceRow);
    if (m.peftDetails && !m.peftDetails->baseModel.isEmpty())
        links.append({tr("Base model"), QStringLiteral("models"), m.peftDetails->baseModel});
    if (!m.fineTuningJob.isEmpty())
        links.append({tr("Fine-tuning job"), QStringLiteral("jobs"), m.fineTuningJob});
    for (const client::DeployedModelRef &ref : m.deployedModelRefs)
        if (!ref.deployment.isEmpty())
            links.append({tr("Deployed on"), QStringLiteral("deployments"), ref.deployment});
    return links;
}

void ModelsPage::selectionChanged()
{
    ResourcePage::selectionChanged();
    const int row = selectedSourceRow();
    const bool own = source() == Source::MyModels;
    const client::Model *m = row >= 0 ? &m_model->item(row) : nullptr;
    // Only GetModel says where a model is deployed (lists leave deployedModelRefs out):
    // fetch the selected one once, quietly, and the "Deployed on" links follow.
    if (!m)
        m_refsFetchedFor.clear();
    else if (m->name != m_refsFetchedFor)
        fetchDeployedRefs(m->name);
    m_deploy->setEnabled(m && m->state == client::ModelState::Ready);
    m_upload->setEnabled(own);
    m_resume->setEnabled(own && m && m->state == client::ModelState::Uploading);
    m_edit->setEnabled(own && m);
    m_delete->setEnabled(own && m);
    m_download->setEnabled(own && m && m->state == client::ModelState::Ready);
    m_jobRow->setVisible(m && !m->fineTuningJob.isEmpty());
    if (m && !m->fineTuningJob.isEmpty())
        m_jobName->setText(tr("Fine-tuning job: %1").arg(m->fineTuningJob));
}

void ModelsPage::showEvent(QShowEvent *event)
{
    ResourcePage::showEvent(event);
    // Back from another page (where a deployment may have been made): where the selected
    // model serves is looked up again.
    m_refsFetchedFor.clear();
    if (selectedSourceRow() >= 0)
        selectionChanged();
}

void ModelsPage::fetchDeployedRefs(const QString &name)
{
    m_refsFetchedFor = name;
    client::ApiClient::BackgroundScope quiet(m_api);
    auto *call = m_api->models().get(name);
    connect(call, &client::PendingCallBase::finished, this, [this, call, name] {
        if (call->result().ok() && m_model->rowOfName(name) >= 0)
            m_model->upsert(call->result().value());
    });
}

void ModelsPage::deploy()
{
    const int row = selectedSourceRow();
    if (row < 0 || !m_deploy->isEnabled())
        return;
    auto *dialog = new DeploymentDialog(m_api, this);
    dialog->setBaseModel(m_model->nameAt(row));
    connect(dialog, &DeploymentDialog::saved, this, [this](const client::Deployment &d) {
        showActionStatus(tr("Creating the deployment %1…").arg(client::resourceId(d.name)));
        Q_EMIT navigateRequested(QStringLiteral("deployments"), d.name);
    });
    dialog->open();
}

void ModelsPage::newItem()
{
    if (m_upload->isEnabled())
        upload();
}

void ModelsPage::upload()
{
    auto *dialog = new UploadModelDialog(m_api, std::nullopt, this);
    connect(dialog, &UploadModelDialog::modelChanged, this, [this](const client::Model &m) {
        if (source() != Source::MyModels)
            return;
        m_model->upsert(m);
        showResource(m.name);
        showActionStatus(
            m.state == client::ModelState::Ready
                ? tr("%1 is READY.").arg(client::resourceId(m.name))
                : tr("%1 created; uploading its files…").arg(client::resourceId(m.name)));
    });
    dialog->open();
}

void ModelsPage::resumeUpload()
{
    const int row = selectedSourceRow();
    if (row < 0)
        return;
    auto *dialog = new UploadModelDialog(m_api, m_model->item(row), this);
    connect(dialog, &UploadModelDialog::modelChanged, this, [this](const client::Model &m) {
        if (source() != Source::MyModels)
            return;
        m_model->upsert(m);
        if (m.state == client::ModelState::Ready)
            showActionStatus(tr("%1 is READY.").arg(client::resourceId(m.name)));
    });
    dialog->open();
}

void ModelsPage::edit()
{
    const int row = selectedSourceRow();
    if (row < 0)
        return;
    auto *dialog = new EditModelDialog(m_api, m_model->item(row), this);
    connect(dialog, &EditModelDialog::modelUpdated, this, [this](const client::Model &m) {
        m_model->upsert(m);
        showActionStatus(tr("Saved %1.").arg(client::resourceId(m.name)));
    });
    dialog->open();
}

void ModelsPage::download()
{
    const int row = selectedSourceRow();
    if (row < 0)
        return;
    auto *dialog =
        new DownloadDialog(m_api, client::DownloadFlow::Target::Model, m_model->nameAt(row), this);
    dialog->open();
}

void ModelsPage::deleteSelected()
{
    const int row = selectedSourceRow();
    if (row < 0 || !m_delete->isEnabled())
        return;
    const client::Model &m = m_model->item(row);
    const QString name = m.name;
    const QString shown = userFacingName(name, m.displayName);
    confirmThenRun({tr("Delete model"), tr("Delete the model %1?").arg(shown),
                    tr("Its files are removed for good; deployments that serve it stop working."),
                    tr("&Delete")},
                   [this, name, shown] {
                       followCall<client::Empty>(m_api->models().remove(name),
                                                 tr("Deleting %1").arg(shown),
                                                 [this, name, shown](const client::Empty &) {
                                                     m_model->removeByName(name);
                                                     showActionStatus(tr("Deleted %1.").arg(shown));
                                                 });
                   });
}

} // namespace ui
