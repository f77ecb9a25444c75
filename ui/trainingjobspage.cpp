#include "trainingjobspage.h"

#include <ui/commandequivalents.h>
#include <ui/comparerunsview.h>
#include <ui/dialogparts.h>
#include <ui/finetunewizard.h>
#include <ui/icons.h>
#include <ui/jobview.h>

#include <client/apiclient.h>
#include <client/curlcommand.h>
#include <client/jobstate.h>
#include <client/resourcenames.h>
#include <client/trainingjobrules.h>
#include <models/jobwatcher.h>
#include <models/trainingjoblistmodel.h>
#include <widgets/tablecelldelegate.h>

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QStyle>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

namespace ui {

namespace {

//! The Progress cell with room for a running job's words even while the jobs listed have none
//! yet: the columns are fitted when the list loads, and a job loaded before it started gave the
//! column its header's width, so that "epoch 1/3 · 74%" later read "epo… · 74%".
class ProgressDelegate : public widgets::TailKeepingDelegate
{
public:
    using TailKeepingDelegate::TailKeepingDelegate;

    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        QSize size = TailKeepingDelegate::sizeHint(option, index);
        client::TrainingJob widest;
        widest.epochs = 10;
        widest.jobProgress.epoch = 9;
        widest.jobProgress.percent = 100;
        const QWidget *widget = option.widget;
        const QStyle *style = widget ? widget->style() : QApplication::style();
        const int margin = style->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, widget) + 1;
        const int needed = option.fontMetrics.horizontalAdvance(
                               models::TrainingJobListModel::progressText(widest)) +
                           2 * margin;
        size.setWidth(std::max(size.width(), needed));
        return size;
    }
};

} // namespace

TrainingJobsPage::TrainingJobsPage(client::ApiClient *api, QWidget *parent)
    : TrainingJobsPage(api, new models::TrainingJobListModel(api), parent)
{}

TrainingJobsPage::TrainingJobsPage(client::ApiClient *api, models::TrainingJobListModel *model,
                                   QWidget *parent)
    : ResourcePage(model, tr("fine-tuning jobs"), parent), m_api(api), m_model(model)
{
    m_model->setParent(this);
    // "epoch 2/2 · step 40/80 · 100%": a narrow column keeps the percentage whole.
    view()->setItemDelegateForColumn(models::TrainingJobListModel::ProgressColumn,
                                     new ProgressDelegate(QStringLiteral(" · "), view()));

    // The list and the job view take turns in the page: everything ResourcePage laid out
    // moves into the first card of a stack, the job view is the second.
    auto *pageLayout = qobject_cast<QVBoxLayout *>(layout());
    m_listPart = new QWidget(this);
    auto *listLayout = new QVBoxLayout(m_listPart);
    listLayout->setContentsMargins(0, 0, 0, 0);
    while (pageLayout->count() > 0) {
        QLayoutItem *item = pageLayout->takeAt(0);
        if (QWidget *w = item->widget())
            listLayout->addWidget(w, qobject_cast<QSplitter *>(w) ? 1 : 0);
        delete item;
    }
    m_stack = new QStackedWidget(this);
    m_stack->addWidget(m_listPart);
    m_jobView = new JobView(api, m_stack);
    m_stack->addWidget(m_jobView);
    pageLayout->addWidget(m_stack, 1);
    connect(m_jobView, &JobView::backRequested, this, &TrainingJobsPage::closeJobView);
    connect(m_jobView, &JobView::navigateRequested, this, &Page::navigateRequested);
    connect(m_jobView, &JobView::cancelRequested, this, &TrainingJobsPage::cancelSelected);
    connect(m_jobView, &JobView::resumeRequested, this, &TrainingJobsPage::resumeSelected);
    connect(m_jobView, &JobView::jobRefreshed, this, [this](const client::TrainingJob &job) {
        if (m_model->rowOfName(job.name) >= 0)
            m_model->upsert(job); // the list row follows what the view sees
        if (m_watcher)
            m_watcher->observe(job.name, job.stateRaw);
        updateJobActions();
    });
    connect(m_model, &models::ResourceListModel::rowStateChanged, this,
            [this](const QString &name, const QString &state) {
                if (m_watcher)
                    m_watcher->observe(name, state);
                updateJobActions();
            });
    // The list or a job: what Cancel and Resume act on changes with it.
    connect(m_stack, &QStackedWidget::currentChanged, this, [this] { updateJobActions(); });

    // Ctrl+N reaches newItem() through the main window.
    QAction *create = addPageAction(tr("&New fine-tuning job…"), {}, false, [this] { newItem(); });
    create->setObjectName(QStringLiteral("newJob"));
    icons::setActionIcon(create, icons::Action::New);
    create->setToolTip(tr("Start an SFT, DPO or RFT job with the fine-tuning wizard (Ctrl+N)"));
    m_open = addPageAction(tr("&Open"), {}, true, [this] { openSelected(); });
    m_open->setObjectName(QStringLiteral("openJob"));
    icons::setActionIcon(m_open, icons::Action::Open);
    m_open->setToolTip(tr("Open the job: curves, parameters and more (Enter or double click)"));
    connect(view(), &QAbstractItemView::activated, this, [this] { openSelected(); });
    m_cancel = addPageAction(tr("&Cancel job…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_X),
                             true, [this] { cancelSelected(); });
    m_cancel->setObjectName(QStringLiteral("cancelJob"));
    icons::setActionIcon(m_cancel, icons::Action::Cancel);
    m_resume = addPageAction(tr("&Resume"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R), true,
                             [this] { resumeSelected(); });
    m_resume->setObjectName(QStringLiteral("resumeJob"));
    icons::setActionIcon(m_resume, icons::Action::Resume);
    m_compare = addPageAction(tr("Com&pare"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P), true,
                              [this] { compareSelected(); });
    m_compare->setObjectName(QStringLiteral("compareJobs"));
    icons::setActionIcon(m_compare, icons::Action::Compare);
    // Compare takes 2-8 jobs: Ctrl/Shift+click and Shift+arrows select several rows.
    view()->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_delete = addPageAction(tr("&Delete…"), {}, true, [this] { deleteSelected(); });
    m_delete->setObjectName(QStringLiteral("deleteJob"));
    icons::setActionIcon(m_delete, icons::Action::Delete);
    m_delete->setToolTip(tr("Delete the job (Delete)"));
    m_kind = new QComboBox(this);
    m_kind->setObjectName(QStringLiteral("kindCombo"));
    m_kind->addItem(tr("All kinds"));
    for (client::TrainingJobKind kind : client::listedTrainingJobKinds())
        m_kind->addItem(client::trainingJobKindLabel(kind), int(kind));
    m_kind->setToolTip(tr("Show one kind of job: supervised (SFT), preference (DPO) or "
                          "reinforcement (RFT) fine-tuning, or the RL trainer jobs (RLOR, "
                          "\"RFT steps\") that a custom training loop drives"));
    auto *kindLabel = new QLabel(tr("&Kind:"), this);
    kindLabel->setBuddy(m_kind);
    addToolBarWidget(kindLabel);
    addToolBarWidget(m_kind);
    connect(m_kind, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (index <= 0)
            m_model->setKinds(client::listedTrainingJobKinds());
        else
            m_model->setKinds({client::TrainingJobKind(m_kind->currentData().toInt())});
        reload();
    });

    // An RFT job's evaluator has no page to link to yet: its name, with Copy.
    m_evaluatorRow = new QWidget(this);
    auto *evaluatorLayout = new QHBoxLayout(m_evaluatorRow);
    evaluatorLayout->setContentsMargins(0, 0, 0, 0);
    m_evaluator = new QLabel(m_evaluatorRow);
    m_evaluator->setObjectName(QStringLiteral("evaluatorLabel"));
    m_evaluator->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_evaluator->setWordWrap(true);
    auto *copyEvaluator = new QPushButton(icons::forAction(icons::Action::Copy),
                                          tr("Copy evaluator"), m_evaluatorRow);
    copyEvaluator->setObjectName(QStringLiteral("copyEvaluatorButton"));
    connect(copyEvaluator, &QPushButton::clicked, this, [this] {
        const int row = selectedSourceRow();
        if (row >= 0)
            QApplication::clipboard()->setText(m_model->item(row).evaluator);
    });
    evaluatorLayout->addWidget(m_evaluator, 1);
    evaluatorLayout->addWidget(copyEvaluator);
    m_evaluatorRow->hide();
    addDetailWidget(m_evaluatorRow);

    // How to look the job up from a script: the dialogs' Copy firectl / curl buttons.
    m_commands = new CommandEquivalents([this] { return firectlCommand(); },
                                        [this] { return curlCommand(); }, this);
    m_commands->setFirectlToolTip(tr("Copies the firectl command that shows this job"));
    m_commands->setCurlToolTip(tr("Copies the curl request that fetches this job; it reads the "
                                  "API key from $FIREWORKS_API_KEY"));
    m_commands->hide();
    addDetailWidget(m_commands);

    setEmptyState(tr("No fine-tuning jobs yet. Start one with New fine-tuning job (Ctrl+N); jobs "
                     "started with firectl, the SDK or the console show up here too."),
                  create);
}

void TrainingJobsPage::reload()
{
    ResourcePage::reload();
    if (isJobViewOpen() && !m_jobView->job().name.isEmpty())
        m_jobView->openJob(m_jobView->job().name);
}

void TrainingJobsPage::focusFilter()
{
    if (isJobViewOpen())
        closeJobView();
    ResourcePage::focusFilter();
}

bool TrainingJobsPage::isJobViewOpen() const
{
    return m_stack->currentWidget() == m_jobView;
}

void TrainingJobsPage::openSelected()
{
    const int row = selectedSourceRow();
    if (row < 0)
        return;
    const client::TrainingJob &job = m_model->item(row);
    m_jobView->setJob(job); // what the list knows, at once; the view fetches the rest
    openJob(job.name);
}

void TrainingJobsPage::openJob(const QString &name, const QString &tabId)
{
    if (const int row = m_model->rowOfName(name); row >= 0) {
        if (m_jobView->job().name != name)
            m_jobView->setJob(m_model->item(row));
        watchJob(m_model->item(row));
    } else if (m_watcher) {
        m_watcher->watch(name, client::resourceId(name));
    }
    m_jobView->openJob(name);
    if (!tabId.isEmpty())
        m_jobView->selectTab(tabId);
    m_stack->setCurrentWidget(m_jobView);
    m_jobView->tabs()->setFocus();
}

void TrainingJobsPage::closeJobView()
{
    const QString name = m_jobView->job().name;
    m_stack->setCurrentWidget(m_listPart);
    if (!name.isEmpty() && m_model->rowOfName(name) >= 0)
        ResourcePage::showResource(name);
    view()->setFocus();
}

void TrainingJobsPage::showResource(const QString &name)
{
    if (isJobViewOpen())
        m_stack->setCurrentWidget(m_listPart);
    ResourcePage::showResource(name);
}

void TrainingJobsPage::watchJob(const client::TrainingJob &job)
{
    if (m_watcher)
        m_watcher->watch(job.name,
                         tr("%1 job %2")
                             .arg(client::trainingJobKindLabel(job.kind),
                                  userFacingName(job.name, job.displayName)),
                         job.stateRaw);
}

void TrainingJobsPage::newItem()
{
    auto *wizard = new FineTuneWizard(m_api, this);
    wizard->setAttribute(Qt::WA_DeleteOnClose);
    connect(wizard, &FineTuneWizard::jobCreated, this, &TrainingJobsPage::showCreatedJob);
    wizard->open();
}

void TrainingJobsPage::showCreatedJob(const client::TrainingJob &job)
{
    m_model->upsert(job);
    // Onto this page first (the wizard may have been opened from the dataset wizard).
    Q_EMIT navigateRequested(pageId(), job.name);
    openJob(job.name);
    showActionStatus(tr("Created %1.").arg(userFacingName(job.name, job.displayName)));
}

QList<ResourceLink> TrainingJobsPage::linksFor(int sourceRow) const
{
    QList<ResourceLink> links;
    const client::TrainingJob &j = m_model->item(sourceRow);
    if (!j.baseModel.isEmpty())
        links.append({tr("Base model"), QStringLiteral("models"), j.baseModel});
    if (!j.warmStartFrom.isEmpty())
        links.append({tr("Continues from"), QStringLiteral("models"), j.warmStartFrom});
    if (!j.dataset.isEmpty())
        links.append({tr("Dataset"), QStringLiteral("datasets"), j.dataset});
    if (!j.evaluationDataset.isEmpty())
        links.append({tr("Evaluation dataset"), QStringLiteral("datasets"), j.evaluationDataset});
    // The output model exists once the job completed; before that there is nothing to open.
    if (!j.outputModel.isEmpty() && j.state == client::JobState::Completed)
        links.append({tr("Output model"), QStringLiteral("models"),
                      client::modelName(m_api->accountId(), j.outputModel)});
    return links;
}

void TrainingJobsPage::selectionChanged()
{
    ResourcePage::selectionChanged();
    const int row = selectedSourceRow();
    const client::TrainingJob *j = row >= 0 ? &m_model->item(row) : nullptr;
    updateJobActions();
    m_cancel->setToolTip(j && !m_cancel->isEnabled()
                             ? tr("Only a job that has not ended can be cancelled")
                             : tr("Stop the job; a cancelled job cannot be resumed (%1)")
                                   .arg(m_cancel->shortcut().toString(QKeySequence::NativeText)));
    m_resume->setToolTip(j && !m_resume->isEnabled()
                             ? tr("Only a FAILED or PAUSED job can be resumed")
                             : tr("Start a FAILED or PAUSED job again (%1)")
                                   .arg(m_resume->shortcut().toString(QKeySequence::NativeText)));
    const int selected = int(selectedJobs().size());
    m_compare->setEnabled(selected >= 2 && selected <= CompareRunsView::kMaxRuns);
    m_compare->setToolTip(
        tr("Overlay the curves and parameters of %1 to %2 selected jobs (%3); select several "
           "with Ctrl+click or Shift+click")
            .arg(2)
            .arg(CompareRunsView::kMaxRuns)
            .arg(m_compare->shortcut().toString(QKeySequence::NativeText)));
    m_commands->setVisible(j);
    m_evaluatorRow->setVisible(j && !j->evaluator.isEmpty());
    if (j && !j->evaluator.isEmpty())
        m_evaluator->setText(tr("Evaluator: %1").arg(j->evaluator));
}

void TrainingJobsPage::updateJobActions()
{
    const auto acted = actedOnJob();
    m_cancel->setEnabled(acted && client::canCancel(acted->kind, acted->state));
    m_resume->setEnabled(acted && client::canResume(acted->kind, acted->state));
}

std::optional<client::TrainingJob> TrainingJobsPage::actedOnJob() const
{
    if (isJobViewOpen())
        return m_jobView->job().name.isEmpty() ? std::nullopt
                                               : std::optional<client::TrainingJob>(m_jobView->job());
    const int row = selectedSourceRow();
    return row >= 0 ? std::optional<client::TrainingJob>(m_model->item(row)) : std::nullopt;
}

void TrainingJobsPage::cancelSelected()
{
    const auto acted = actedOnJob();
    if (!acted || !client::canCancel(acted->kind, acted->state))
        return;
    const client::TrainingJob job = *acted;
    const QString shown = userFacingName(job.name, job.displayName);
    confirmThenRun(
        {tr("Cancel fine-tuning job"), tr("Cancel the job %1?").arg(shown),
         tr("Training stops and no model is written. A cancelled job cannot be resumed."),
         tr("Cancel &job")},
        [this, job, shown] {
            watchJob(job);
            auto jobs = client::trainingJobsClientFor(m_api, job.name);
            followCall<client::Empty>(
                jobs.cancel(job.name), tr("Cancelling %1").arg(shown),
                [this, jobs, name = job.name, shown](const client::Empty &) mutable {
                    showActionStatus(tr("Cancelling %1…").arg(shown));
                    // The state moves to CANCELLING; fetch it so the row (and polling) follow.
                    auto *call = jobs.get(name);
                    connect(call, &client::PendingCallBase::finished, this, [this, call] {
                        if (!call->result().ok())
                            return;
                        const client::TrainingJob &now = call->result().value();
                        m_model->upsert(now);
                        if (m_jobView->job().name == now.name)
                            m_jobView->setJob(now); // the header's buttons follow at once
                    });
                });
        });
}

void TrainingJobsPage::resumeSelected()
{
    const auto acted = actedOnJob();
    if (!acted || !client::canResume(acted->kind, acted->state))
        return;
    const client::TrainingJob job = *acted;
    const QString shown = userFacingName(job.name, job.displayName);
    watchJob(job);
    followCall<client::TrainingJob>(client::trainingJobsClientFor(m_api, job.name).resume(job.name),
                                    tr("Resuming %1").arg(shown),
                                    [this, shown](const client::TrainingJob &resumed) {
                                        m_model->upsert(resumed);
                                        if (m_jobView->job().name == resumed.name)
                                            m_jobView->setJob(resumed);
                                        if (m_watcher)
                                            m_watcher->observe(resumed.name, resumed.stateRaw);
                                        showActionStatus(tr("Resumed %1.").arg(shown));
                                    });
}

void TrainingJobsPage::deleteSelected()
{
    const auto acted = actedOnJob();
    if (!acted)
        return;
    const client::TrainingJob job = *acted;
    const QString name = job.name;
    const QString shown = userFacingName(name, job.displayName);
    const bool running = client::canCancel(job.kind, job.state);
    confirmThenRun(
        {tr("Delete fine-tuning job"), tr("Delete the job %1?").arg(shown),
         running ? tr("The job is still running: deleting it stops it. Its metrics and logs "
                      "are removed; a model it already wrote stays.")
                 : tr("Its metrics and logs are removed; a model it wrote stays."),
         tr("&Delete")},
        [this, name, shown] {
            followCall<client::Empty>(client::trainingJobsClientFor(m_api, name).remove(name),
                                      tr("Deleting %1").arg(shown),
                                      [this, name, shown](const client::Empty &) {
                                          if (m_watcher)
                                              m_watcher->unwatch(name);
                                          if (isJobViewOpen() && m_jobView->job().name == name)
                                              closeJobView();
                                          m_model->removeByName(name);
                                          showActionStatus(tr("Deleted %1.").arg(shown));
                                      });
        });
}

QList<client::TrainingJob> TrainingJobsPage::selectedJobs() const
{
    QList<client::TrainingJob> jobs;
    const QModelIndexList rows = view()->selectionModel()->selectedRows();
    for (const QModelIndex &index : rows) {
        const int row =
            m_model->rowOfName(index.data(models::ResourceListModel::NameRole).toString());
        if (row >= 0)
            jobs.append(m_model->item(row));
    }
    return jobs;
}

void TrainingJobsPage::compareSelected()
{
    compareJobs(selectedJobs());
}

std::optional<client::TrainingJob> TrainingJobsPage::listedJob(const QString &nameOrId) const
{
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const QString name = m_model->nameAt(row);
        if (name == nameOrId || client::resourceId(name) == nameOrId)
            return m_model->item(row);
    }
    return std::nullopt;
}

CompareRunsView *TrainingJobsPage::compareJobs(const QList<client::TrainingJob> &jobs)
{
    if (jobs.size() < 2 || jobs.size() > CompareRunsView::kMaxRuns)
        return nullptr;
    // Its own window, so the list stays usable beside it (and several comparisons can be open).
    auto *compare = new CompareRunsView(m_api, this);
    compare->setWindowFlag(Qt::Window);
    compare->setAttribute(Qt::WA_DeleteOnClose);
    compare->setObjectName(QStringLiteral("compareRunsWindow"));
    QStringList ids;
    for (const client::TrainingJob &job : jobs) {
        compare->addJob(job);
        ids << client::resourceId(job.name);
    }
    compare->setWindowTitle(tr("Compare %1").arg(ids.join(QStringLiteral(", "))));
    resizeWithinScreen(compare, QSize(1200, 800));
    compare->show();
    Q_EMIT compareOpened(compare);
    return compare;
}

QString TrainingJobsPage::firectlCommand() const
{
    const QString name = selectedName();
    return name.isEmpty() ? QString() : client::firectlGetTrainingJobCommand(name);
}

QString TrainingJobsPage::curlCommand() const
{
    const QString name = selectedName();
    return name.isEmpty() ? QString()
                          : client::curlCommand(client::getTrainingJobRequest(*m_api, name));
}

} // namespace ui
