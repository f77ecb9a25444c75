#include "deploymentspage.h"

#include <ui/deletedeploymentdialog.h>
#include <ui/deploymentdialog.h>
#include <ui/deploymentrefusal.h>
#include <ui/errortext.h>
#include <ui/icons.h>
#include <ui/loadloradialog.h>
#include <ui/scaledeploymentdialog.h>
#include <ui/statebadge.h>

#include <models/chattargets.h>
#include <models/deployedmodellistmodel.h>
#include <models/deploymentlistmodel.h>
#include <models/resourcesortproxy.h>
#include <widgets/errorbanner.h>

#include <client/filters.h>
#include <client/states.h>

#include <QAction>
#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QStackedWidget>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

namespace ui {

using client::DeployedModelState;
using client::DeploymentState;

DeploymentsPage::DeploymentsPage(client::ApiClient *api, QWidget *parent)
    : DeploymentsPage(api, new models::DeploymentListModel(api), parent)
{}

DeploymentsPage::DeploymentsPage(client::ApiClient *api, models::DeploymentListModel *model,
                                 QWidget *parent)
    : ResourcePage(model, tr("deployments"), parent), m_api(api), m_model(model),
      m_loraModel(new models::DeployedModelListModel(api, this)),
      m_loraProxy(new models::ResourceSortProxy(m_loraModel, this))
{
    m_model->setParent(this);
    // Ctrl+N and Delete reach newItem()/deleteSelected() through the main window.
    m_new = addPageAction(tr("&New deployment…"), {}, false, [this] { newItem(); });
    m_new->setObjectName(QStringLiteral("newDeployment"));
    icons::setActionIcon(m_new, icons::Action::New);
    m_scale = addPageAction(tr("&Scale…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R), true,
                            [this] { scaleSelected(); });
    m_scale->setObjectName(QStringLiteral("scaleDeployment"));
    icons::setActionIcon(m_scale, icons::Action::Scale);
    m_edit =
        addPageAction(tr("&Edit…"), QKeySequence(Qt::Key_F2), true, [this] { editSelected(); });
    m_edit->setObjectName(QStringLiteral("editDeployment"));
    icons::setActionIcon(m_edit, icons::Action::Edit);
    m_chat = addPageAction(tr("&Chat in Playground"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_G),
                           true, [this] { chatWithSelected(); });
    m_chat->setObjectName(QStringLiteral("chatWithDeployment"));
    icons::setActionIcon(m_chat, icons::Action::Playground);
    m_delete = addPageAction(tr("&Delete…"), {}, true, [this] { deleteSelected(); });
    m_delete->setObjectName(QStringLiteral("deleteDeployment"));
    icons::setActionIcon(m_delete, icons::Action::Delete);
    m_undelete = addPageAction(tr("&Undelete"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_U),
                               true, [this] { undeleteSelected(); });
    m_undelete->setObjectName(QStringLiteral("undeleteDeployment"));
    icons::setActionIcon(m_undelete, icons::Action::Undelete);
    m_showDeleted = new QCheckBox(tr("Show dele&ted"), this);
    m_showDeleted->setObjectName(QStringLiteral("showDeleted"));
    m_showDeleted->setToolTip(tr("Also list soft-deleted deployments, which can be undeleted"));
    addToolBarWidget(m_showDeleted);
    connect(m_showDeleted, &QCheckBox::toggled, this, [this](bool show) {
        m_model->setShowDeleted(show);
        reload();
    });
    setEmptyState(tr("No deployments yet. A deployment serves a model on dedicated GPUs."), m_new);
    // The platform's word on the deployment (why it failed, what it is doing) was only in the
    // field tree, elided to "Simulated pr… their files".
    m_statusLine = new QLabel(this);
    m_statusLine->setObjectName(QStringLiteral("deploymentStatus"));
    m_statusLine->setWordWrap(true);
    m_statusLine->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_statusLine->hide();
    addDetailWidget(m_statusLine);

    // A deployment polled into DELETED leaves the list unless deleted ones are shown. Queued:
    // the signal comes from inside the model's own row update.
    connect(
        m_model, &models::ResourceListModel::rowStateChanged, this,
        [this](const QString &name, const QString &state) {
            if (client::isDeletedState(state) && !m_showDeleted->isChecked())
                m_model->removeByName(name);
        },
        Qt::QueuedConnection);

    const QFontMetrics fm = fontMetrics();
    const auto fit = [&fm](const QString &sample, int padding = 16) {
        return fm.horizontalAdvance(sample) + padding;
    };
    // Deployed LoRAs of the selected deployment, under the table.
    auto *lora = new QWidget(this);
    lora->setObjectName(QStringLiteral("deployedLoras"));
    auto *loraLayout = new QVBoxLayout(lora);
    loraLayout->setContentsMargins(0, 6, 0, 0);
    auto *loraBar = new QHBoxLayout;
    m_loraTitle = new QLabel(tr("Deployed LoRAs"), lora);
    QFont bold = m_loraTitle->font();
    bold.setBold(true);
    m_loraTitle->setFont(bold);
    m_loadLora = new QPushButton(icons::forAction(icons::Action::Load), tr("&Load LoRA…"), lora);
    m_loadLora->setObjectName(QStringLiteral("loadLora"));
    m_unloadLora = new QPushButton(icons::forAction(icons::Action::Unload), tr("Unl&oad"), lora);
    m_unloadLora->setObjectName(QStringLiteral("unloadLora"));
    loraBar->addWidget(m_loraTitle);
    loraBar->addStretch();
    loraBar->addWidget(m_loadLora);
    loraBar->addWidget(m_unloadLora);
    loraLayout->addLayout(loraBar);
    m_loraBanner = new widgets::ErrorBanner(lora);
    m_loraBanner->setObjectName(QStringLiteral("loraErrorBanner"));
    loraLayout->addWidget(m_loraBanner);
    m_loraStack = new QStackedWidget(lora);
    auto *hint = new QLabel(tr("Select a deployment to see the LoRAs loaded onto it."), lora);
    hint->setObjectName(QStringLiteral("loraHint"));
    hint->setAlignment(Qt::AlignCenter);
    m_loraStack->addWidget(hint);
    m_loraView = new QTableView(m_loraStack);
    m_loraView->setObjectName(QStringLiteral("loraTable"));
    m_loraView->setModel(m_loraProxy);
    m_loraView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_loraView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_loraView->setAlternatingRowColors(true);
    m_loraView->setWordWrap(false);
    m_loraView->verticalHeader()->hide();
    m_loraView->verticalHeader()->setDefaultSectionSize(m_loraView->fontMetrics().height() + 10);
    m_loraView->horizontalHeader()->setStretchLastSection(true);
    m_loraView->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder); // server order
    m_loraView->setSortingEnabled(true);
    m_loraView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_loraView->setTabKeyNavigation(false);
    m_loraView->setItemDelegateForColumn(models::DeployedModelListModel::StateColumn,
                                         makeStateBadgeDelegate(m_loraView));
    m_loraView->setColumnWidth(models::DeployedModelListModel::IdColumn, fit("abcdefgh-lora"));
    m_loraView->setColumnWidth(
        models::DeployedModelListModel::ModelColumn,
        fit(client::modelName(QStringLiteral("local"), QStringLiteral("support-tickets-lora"))));
    // Every row is on the selected deployment, which the title names.
    m_loraView->hideColumn(models::DeployedModelListModel::DeploymentColumn);
    m_loraView->setColumnWidth(
        models::DeployedModelListModel::StateColumn,
        fit(client::deployedModelStateName(client::DeployedModelState::Undeploying, {}), 40));
    m_loraView->setColumnWidth(models::DeployedModelListModel::DefaultColumn, fit("Default", 24));
    // Room for a header and four LoRAs; the deployments table keeps the rest.
    m_loraStack->setFixedHeight(m_loraView->verticalHeader()->defaultSectionSize() * 5 + 8);
    m_loraStack->addWidget(m_loraView);
    // An empty table under "LoRAs on d" said nothing; this says none are loaded, and how to
    // load one or why it cannot be done.
    m_loraEmpty = new QLabel(m_loraStack);
    m_loraEmpty->setObjectName(QStringLiteral("loraEmpty"));
    m_loraEmpty->setAlignment(Qt::AlignCenter);
    m_loraEmpty->setWordWrap(true);
    m_loraStack->addWidget(m_loraEmpty);
    loraLayout->addWidget(m_loraStack);
    layout()->addWidget(lora);
    static_cast<QBoxLayout *>(layout())->setStretchFactor(lora, 0);

    connect(m_loraBanner, &widgets::ErrorBanner::retryRequested, this, [this] {
        m_loraBanner->hide();
        m_loraModel->refresh();
    });
    // The page's own banner only covers the deployments list; a failed LoRA list would
    // otherwise look like a deployment without LoRAs.
    connect(m_loraModel, &models::ResourceListModel::stateChanged, this,
            [this](models::ResourceListModel::State state) {
                if (state == models::ResourceListModel::State::Error && m_loraModel->lastError())
                    m_loraBanner->showError(
                        errorText(tr("Loading the deployed LoRAs"), *m_loraModel->lastError()),
                        errorDetails(*m_loraModel->lastError()));
                else if (state != models::ResourceListModel::State::Error)
                    m_loraBanner->hide();
                updateLoraActions(); // loaded and empty: say so
            });
    connect(m_loadLora, &QPushButton::clicked, this, &DeploymentsPage::loadLora);
    connect(m_unloadLora, &QPushButton::clicked, this, &DeploymentsPage::unloadLora);
    // Selecting a row may move the current index before it selects: follow both.
    connect(m_loraView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &DeploymentsPage::updateLoraActions);
    connect(m_loraView->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &DeploymentsPage::updateLoraActions);
    // The links of the selected deployment list its LoRAs, and LoRA states gate Unload.
    const auto lorasChanged = [this] { selectionChanged(); };
    connect(m_loraModel, &QAbstractItemModel::rowsInserted, this, lorasChanged);
    connect(m_loraModel, &QAbstractItemModel::rowsRemoved, this, lorasChanged);
    connect(m_loraModel, &QAbstractItemModel::modelReset, this, lorasChanged);
    connect(m_loraModel, &QAbstractItemModel::dataChanged, this, lorasChanged);
    selectionChanged();
}

void DeploymentsPage::newItem()
{
    auto *dialog = new DeploymentDialog(m_api, this);
    connect(dialog, &DeploymentDialog::saved, this, [this](const client::Deployment &d) {
        m_model->upsert(d);
        showResource(d.name);
        showActionStatus(tr("Creating %1…").arg(client::resourceId(d.name)));
    });
    dialog->open();
}

void DeploymentsPage::deleteSelected()
{
    const int row = selectedSourceRow();
    if (row < 0 || !m_delete->isEnabled())
        return;
    const client::Deployment &d = m_model->item(row);
    QStringList loras; // known when the LoRA list below is this deployment's
    if (d.name == m_loraDeployment)
        for (const client::DeployedModel &dm : m_loraModel->items())
            if (dm.state != DeployedModelState::Undeploying)
                loras.append(client::resourceId(dm.model));
    auto *dialog = new DeleteDeploymentDialog(m_api, d, loras, this);
    connect(dialog, &DeleteDeploymentDialog::deleted, this, [this](const QString &name, bool hard) {
        showActionStatus(tr("Deleting %1…").arg(client::resourceId(name)));
        // Its LoRAs are unloaded with it: the list below showed them DEPLOYED until reselected.
        if (name == m_loraDeployment)
            m_loraModel->refresh();
        if (hard)
            m_model->removeByName(name);
        else
            refetch(name);
    });
    connect(dialog, &DeleteDeploymentDialog::refreshed, this, &DeploymentsPage::showFetched);
    dialog->open();
}

void DeploymentsPage::chatWithSelected()
{
    const int row = selectedSourceRow();
    if (row < 0)
        return;
    const client::Deployment &d = m_model->item(row);
    Q_EMIT navigateRequested(QStringLiteral("playground"),
                             models::ChatTargets::deploymentKey(d.baseModel, d.name));
}

void DeploymentsPage::scaleSelected()
{
    const int row = selectedSourceRow();
    if (row < 0)
        return;
    auto *dialog = new ScaleDeploymentDialog(m_api, m_model->item(row), this);
    connect(dialog, &ScaleDeploymentDialog::scaled, this, [this](const client::Deployment &d) {
        m_model->upsert(d);
        showActionStatus(tr("Scaling %1 to %2 replicas…")
                             .arg(client::resourceId(d.name))
                             .arg(d.desiredReplicaCount));
    });
    connect(dialog, &ScaleDeploymentDialog::refreshed, this, &DeploymentsPage::showFetched);
    dialog->open();
}

void DeploymentsPage::editSelected()
{
    const int row = selectedSourceRow();
    if (row < 0)
        return;
    auto *dialog = new DeploymentDialog(m_api, m_model->item(row), this);
    connect(dialog, &DeploymentDialog::saved, this, [this](const client::Deployment &d) {
        m_model->upsert(d);
        showResource(d.name);
        showActionStatus(tr("Saved %1.").arg(client::resourceId(d.name)));
    });
    connect(dialog, &DeploymentDialog::refreshed, this, &DeploymentsPage::showFetched);
    dialog->open();
}

void DeploymentsPage::undeleteSelected()
{
    const int row = selectedSourceRow();
    if (row < 0)
        return;
    const QString name = m_model->nameAt(row);
    setActionBusy(true);
    auto *call = m_api->deployments().undelete(name);
    connect(call, &client::PendingCallBase::finished, this, [this, call, name] {
        if (!call->result()) {
            // Undeleted elsewhere meanwhile: say its state now and show it.
            const client::ApiError error = call->result().error();
            explainDeploymentError(
                m_api, name, tr("Undeleting %1").arg(client::resourceId(name)), error, this,
                [this, error](const QString &text,
                              const std::optional<client::Deployment> &current) {
                    setActionBusy(false);
                    showActionErrorText(text, error);
                    if (current)
                        showFetched(*current);
                });
            return;
        }
        setActionBusy(false);
        m_model->upsert(call->result().value());
        showActionStatus(tr("Undeleting %1…").arg(client::resourceId(name)));
    });
}

void DeploymentsPage::refetch(const QString &name)
{
    setActionBusy(true);
    auto *call = m_api->deployments().get(name);
    connect(call, &client::PendingCallBase::finished, this, [this, call, name] {
        setActionBusy(false);
        if (call->result()) {
            showFetched(call->result().value());
        } else if (call->result().error().kind == client::ApiError::Kind::NotFound) {
            m_model->removeByName(name);
        } else {
            showActionError(tr("Refreshing %1").arg(client::resourceId(name)),
                            call->result().error());
        }
    });
}

void DeploymentsPage::showFetched(const client::Deployment &d)
{
    // A dialog's refusal fetched it DELETED (elsewhere): gone from the list, as a poll does.
    if (d.state == DeploymentState::Deleted && !m_showDeleted->isChecked())
        m_model->removeByName(d.name);
    else
        m_model->upsert(d);
}

void DeploymentsPage::loadLora()
{
    if (m_loraDeployment.isEmpty() || !m_loadLora->isEnabled())
        return;
    const int row = selectedSourceRow();
    const QString base = row >= 0 ? m_model->item(row).baseModel : QString();
    auto *dialog = new LoadLoraDialog(m_api, m_loraDeployment, base, this);
    connect(dialog, &LoadLoraDialog::loaded, this, [this](const client::DeployedModel &dm) {
        if (dm.deployment == m_loraDeployment)
            m_loraModel->upsert(dm);
        showActionStatus(tr("Loading %1…").arg(client::resourceId(dm.model)));
    });
    connect(dialog, &LoadLoraDialog::deploymentRefreshed, this, &DeploymentsPage::showFetched);
    dialog->open();
}

void DeploymentsPage::unloadLora()
{
    const int row = selectedLoraRow();
    if (row < 0)
        return;
    const client::DeployedModel dm = m_loraModel->item(row);
    const QString model = client::resourceId(dm.model);
    confirmThenRun(
        {tr("Unload LoRA"), tr("Unload %1 from %2?").arg(model, client::resourceId(dm.deployment)),
         tr("Requests for it on this deployment fail until it is loaded again."), tr("&Unload")},
        [this, name = dm.name] {
            followCall<client::Empty>(
                m_api->deployedModels().remove(name), tr("Unloading the LoRA"),
                [this, name](const client::Empty &) {
                    showActionStatus(tr("Unloading %1…").arg(client::resourceId(name)));
                    // The delete answers {}; the row shows UNDEPLOYING until the poll finds
                    // it gone.
                    refetchLora(name);
                });
        });
}

void DeploymentsPage::refetchLora(const QString &name)
{
    setActionBusy(true);
    auto *get = m_api->deployedModels().get(name);
    connect(get, &client::PendingCallBase::finished, this, [this, get, name] {
        setActionBusy(false);
        if (get->result())
            m_loraModel->upsert(get->result().value());
        else
            m_loraModel->removeByName(name);
    });
}

QList<ResourceLink> DeploymentsPage::linksFor(int sourceRow) const
{
    const client::Deployment &d = m_model->item(sourceRow);
    QList<ResourceLink> links;
    if (!d.baseModel.isEmpty())
        links.append({tr("Base model"), QStringLiteral("models"), d.baseModel});
    if (d.name == m_loraDeployment)
        for (const client::DeployedModel &dm : m_loraModel->items())
            links.append({tr("LoRA"), QStringLiteral("models"), dm.model});
    return links;
}

void DeploymentsPage::selectionChanged()
{
    const int row = selectedSourceRow();
    const QString name = row >= 0 ? m_model->nameAt(row) : QString();
    // Load the LoRA list first, so the links below already know whether it is this one's.
    if (name != m_loraDeployment)
        showLorasOf(name);
    ResourcePage::selectionChanged();
    const DeploymentState state =
        row >= 0 ? m_model->item(row).state : DeploymentState::Unspecified;
    const bool gone = state == DeploymentState::Deleted || state == DeploymentState::Deleting;
    m_scale->setEnabled(state == DeploymentState::Ready || state == DeploymentState::Updating);
    m_chat->setEnabled(state == DeploymentState::Ready);
    m_edit->setEnabled(row >= 0 && !gone && state != DeploymentState::Creating);
    m_delete->setEnabled(row >= 0 && !gone);
    m_undelete->setEnabled(gone);
    const client::Status status = row >= 0 ? m_model->item(row).status : client::Status{};
    m_statusLine->setText(status.isError() ? tr("%1: %2").arg(status.code, status.message)
                                           : status.message);
    m_statusLine->setVisible(!status.message.isEmpty());
    updateLoraActions();
}

void DeploymentsPage::showLorasOf(const QString &deployment)
{
    m_loraDeployment = deployment;
    if (deployment.isEmpty()) {
        m_loraBanner->hide(); // an error of the previous deployment's list
        m_loraTitle->setText(tr("Deployed LoRAs"));
        return;
    }
    m_loraTitle->setText(tr("LoRAs on %1").arg(client::resourceId(deployment)));
    m_loraModel->setServerFilter(client::deployedModelsOnDeploymentFilter(deployment));
    m_loraModel->refresh();
}

int DeploymentsPage::selectedLoraRow() const
{
    const QModelIndex current = m_loraView->selectionModel()->currentIndex();
    if (m_loraDeployment.isEmpty() || !current.isValid() ||
        !m_loraView->selectionModel()->isRowSelected(current.row(), {}))
        return -1;
    return m_loraProxy->mapToSource(current).row();
}

void DeploymentsPage::updateLoraActions()
{
    const int row = selectedSourceRow();
    bool canLoad = false;
    QString why;
    if (row >= 0) {
        const client::Deployment &d = m_model->item(row);
        canLoad = d.enableAddons &&
                  (d.state == DeploymentState::Ready || d.state == DeploymentState::Updating);
        // Edit… is not offered on a deleted deployment: pointing there for add-ons misled.
        if (d.state == DeploymentState::Deleted || d.state == DeploymentState::Deleting)
            why = tr("This deployment is deleted; Undelete brings it back.");
        else if (!d.enableAddons)
            why = tr("This deployment does not allow LoRA add-ons; Edit… can allow them.");
        else if (!canLoad)
            why = tr("LoRAs can be loaded once the deployment is READY.");
    }
    m_loadLora->setEnabled(canLoad);
    using ListState = models::ResourceListModel::State;
    const bool loraListEmpty =
        !m_loraDeployment.isEmpty() && m_loraModel->hasStarted() && m_loraModel->rowCount() == 0 &&
        m_loraModel->state() != ListState::Loading && m_loraModel->state() != ListState::Error;
    if (loraListEmpty)
        m_loraEmpty->setText(tr("No LoRA is loaded on %1. %2")
                                 .arg(client::resourceId(m_loraDeployment),
                                      canLoad || why.isEmpty()
                                          ? tr("Load LoRA… puts one of the account's LoRA "
                                               "models on it, without a new deployment.")
                                          : why));
    QWidget *shown = m_loraView;
    if (m_loraDeployment.isEmpty())
        shown = m_loraStack->widget(0); // the "select a deployment" hint
    else if (loraListEmpty)
        shown = m_loraEmpty;
    m_loraStack->setCurrentWidget(shown);
    m_loadLora->setToolTip(why.isEmpty() ? tr("Load one of the account's LoRA models onto this "
                                              "deployment")
                                         : why);
    const int loraRow = selectedLoraRow();
    const DeployedModelState state =
        loraRow >= 0 ? m_loraModel->item(loraRow).state : DeployedModelState::Unspecified;
    m_unloadLora->setEnabled(state == DeployedModelState::Deployed ||
                             state == DeployedModelState::Deploying);
}

} // namespace ui
