#include "comparerunsview.h"

#include "runcurvesview.h"

#include <client/trainingjobrules.h>
#include <models/jobmetricsfeed.h>
#include <models/panelgroup.h>
#include <models/runfiles.h>
#include <models/runtablemodel.h>
#include <widgets/elidingheaderview.h>

#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include <cmath>

namespace ui {

namespace {

QTableView *makeTable(models::RunTableModel *model, const QString &name, QWidget *parent)
{
    auto *view = new QTableView(parent);
    view->setObjectName(name);
    // Eight runs share the width: a long name ends in "…"; the model's tooltip has it whole
    // (RunTableModel::setRunToolTips).
    view->setHorizontalHeader(new widgets::ElidingHeaderView(Qt::Horizontal, view));
    view->setModel(model);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    view->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    // A row fits its wrapped text at the columns' width when it was measured; the header does
    // not measure again when the columns widen (a table first laid out on a hidden tab kept
    // rows five lines tall beside one-line text), so it is told to, once every stretched
    // column has its new width (queued: the first column's resize comes before the others').
    QObject::connect(
        view->horizontalHeader(), &QHeaderView::sectionResized, view,
        [view] { view->resizeRowsToContents(); }, Qt::QueuedConnection);
    return view;
}

} // namespace

CompareRunsView::CompareRunsView(client::ApiClient *api, QWidget *parent)
    : QWidget(parent), m_api(api), m_curves(new RunCurvesView(this)),
      m_parameters(new models::RunTableModel(this)), m_results(new models::RunTableModel(this)),
      m_update(new QTimer(this)), m_poll(new QTimer(this))
{
    setWindowTitle(tr("Compare runs"));
    auto *top = new QHBoxLayout;
    m_runList = new QListWidget(this);
    m_runList->setObjectName(QStringLiteral("runs"));
    m_runList->setMaximumHeight(90);
    top->addWidget(m_runList, 1);
    auto *buttons = new QVBoxLayout;
    m_add = new QPushButton(tr("Add run from file…"), this);
    m_add->setObjectName(QStringLiteral("addRunFile"));
    m_add->setToolTip(tr("A Hugging Face trainer_state.json, a metrics JSONL or a CSV with a "
                         "header row (a step column and numeric columns)"));
    m_remove = new QPushButton(tr("Remove"), this);
    m_remove->setObjectName(QStringLiteral("removeRun"));
    m_remove->setEnabled(false);
    buttons->addWidget(m_add);
    buttons->addWidget(m_remove);
    buttons->addStretch(1);
    top->addLayout(buttons);
    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("compareMessage"));
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *tables = new QTabWidget(this);
    m_parameterView = makeTable(m_parameters, QStringLiteral("parameters"), tables);
    m_resultView = makeTable(m_results, QStringLiteral("results"), tables);
    // Final losses and durations of different runs always differ: highlighting every row of
    // this table said nothing and dulled the parameters' highlights.
    m_results->setHighlight(QColor());
    auto *parametersTab = new QWidget(tables);
    auto *parametersLayout = new QVBoxLayout(parametersTab);
    parametersLayout->setContentsMargins(0, 0, 0, 0);
    m_parametersNote = new QLabel(parametersTab);
    m_parametersNote->setObjectName(QStringLiteral("parametersNote"));
    m_parametersNote->setWordWrap(true);
    m_parametersNote->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_parametersNote->setContentsMargins(4, 4, 4, 4);
    m_parametersNote->hide();
    m_parameterView->setParent(parametersTab);
    // At the top and as tall as its text: stretched over the whole tab (the table hidden), the
    // note sat in the middle of an empty box and read as an empty table.
    parametersLayout->addWidget(m_parametersNote, 0, Qt::AlignTop);
    parametersLayout->addWidget(m_parameterView, 1);
    tables->addTab(parametersTab, tr("Parameters"));
    tables->addTab(m_resultView, tr("Final metrics and duration"));

    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_curves);
    split->addWidget(tables);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_message);
    layout->addWidget(split, 1);

    m_update->setSingleShot(true);
    m_update->setInterval(150); // feeds of several jobs land together: one redraw
    connect(m_update, &QTimer::timeout, this, &CompareRunsView::updateNow);
    // A running job keeps growing here as it does in its own view.
    m_poll->setInterval(3000);
    connect(m_poll, &QTimer::timeout, this, &CompareRunsView::pollJobs);
    connect(m_add, &QPushButton::clicked, this, &CompareRunsView::addFromFileDialog);
    connect(m_remove, &QPushButton::clicked, this, [this] {
        if (m_runList->currentRow() >= 0)
            removeRun(m_runList->currentRow());
    });
    connect(m_runList, &QListWidget::currentRowChanged, this,
            [this](int row) { m_remove->setEnabled(row >= 0); });
    updateNow();
}

CompareRunsView::~CompareRunsView() = default;

bool CompareRunsView::canAdd(QString *why) const
{
    if (m_runs.size() < kMaxRuns)
        return true;
    *why = tr("At most %1 runs can be compared; remove one first.").arg(kMaxRuns);
    return false;
}

bool CompareRunsView::addJob(const client::TrainingJob &job)
{
    QString why;
    if (!m_api)
        why = tr("Jobs can only be compared while connected to a platform.");
    if (!why.isEmpty() || !canAdd(&why)) {
        m_message->setText(why);
        return false;
    }
    Entry e;
    e.feed = new models::JobMetricsFeed(m_api, this);
    e.run = models::runShellForJob(job);
    m_runs.append(e);
    models::JobMetricsFeed *feed = e.feed;
    auto sync = [this, feed] {
        for (Entry &entry : m_runs)
            if (entry.feed == feed)
                entry.run = feed->run();
        scheduleUpdate();
    };
    connect(feed, &models::JobMetricsFeed::runReset, this, sync);
    connect(feed, &models::JobMetricsFeed::pointsAppended, this, sync);
    connect(feed, &models::JobMetricsFeed::fetchFinished, this,
            [this, feed](bool ok, const QString &message) {
                if (!ok)
                    m_message->setText(
                        tr("%1: could not read its metrics (%2)").arg(feed->run().name, message));
            });
    feed->setJob(job);
    updatePolling();
    scheduleUpdate();
    Q_EMIT runsChanged();
    return true;
}

bool CompareRunsView::addRun(const models::TrainingRun &run)
{
    QString why;
    if (!canAdd(&why)) {
        m_message->setText(why);
        return false;
    }
    m_runs.append(Entry{run, nullptr});
    scheduleUpdate();
    Q_EMIT runsChanged();
    return true;
}

bool CompareRunsView::openRunFile(const QString &path, QString *error)
{
    QString why;
    const std::optional<models::TrainingRun> run = models::loadRunFile(path, &why);
    if (!run) {
        m_message->setText(why);
        if (error)
            *error = why;
        return false;
    }
    if (!addRun(*run)) {
        if (error)
            *error = m_message->text();
        return false;
    }
    // English plurals written out: Firedeck ships no translations to resolve %n forms.
    if (run->issues.size() == 1)
        m_message->setText(
            tr("%1: 1 line or field skipped (%2)").arg(run->name, run->issues.first().text()));
    else if (run->issues.size() > 1)
        m_message->setText(
            tr("%1: %2 lines or fields skipped (first: %3)")
                .arg(run->name, QString::number(run->issues.size()), run->issues.first().text()));
    else // what an earlier file's failure said is no longer what happened last
        m_message->clear();
    return true;
}

void CompareRunsView::addFromFileDialog()
{
    const QString path =
        m_openPath
            ? m_openPath()
            : QFileDialog::getOpenFileName(
                  this, tr("Open training run"), QString(),
                  tr("Training runs (trainer_state.json *.jsonl *.json *.csv);;All files (*)"));
    if (!path.isEmpty())
        openRunFile(path);
}

void CompareRunsView::removeRun(int index)
{
    if (index < 0 || index >= m_runs.size())
        return;
    delete m_runs[index].feed;
    m_runs.removeAt(index);
    updatePolling();
    scheduleUpdate();
    Q_EMIT runsChanged();
}

void CompareRunsView::clear()
{
    for (Entry &e : m_runs)
        delete e.feed;
    m_runs.clear();
    updatePolling();
    scheduleUpdate();
    Q_EMIT runsChanged();
}

void CompareRunsView::setPollIntervalMs(int ms)
{
    m_poll->setInterval(std::max(ms, 0));
    updatePolling();
}

int CompareRunsView::runningJobCount() const
{
    int running = 0;
    for (const Entry &e : m_runs)
        if (e.feed && client::isTrainingJobChanging(e.feed->job().state))
            ++running;
    return running;
}

void CompareRunsView::updatePolling()
{
    if (runningJobCount() > 0 && m_poll->interval() > 0) {
        if (!m_poll->isActive())
            m_poll->start();
    } else {
        m_poll->stop();
    }
}

void CompareRunsView::pollJobs()
{
    for (Entry &e : m_runs) {
        if (!e.feed || e.fetchingJob || !client::isTrainingJobChanging(e.feed->job().state))
            continue;
        e.fetchingJob = true;
        models::JobMetricsFeed *feed = e.feed;
        const QString name = feed->job().name;
        auto *call = client::trainingJobsClientFor(m_api, name).get(name);
        // The feed is the entry's identity: the entry may be removed before the answer.
        connect(call, &client::PendingCallBase::finished, feed, [this, call, feed] {
            for (Entry &entry : m_runs) {
                if (entry.feed != feed)
                    continue;
                entry.fetchingJob = false;
                if (call->result().ok()) {
                    feed->setJob(call->result().value()); // also reads the new metrics bytes
                    scheduleUpdate(); // a job that ended says so even without new points
                }
                else
                    m_message->setText(
                        tr("%1: could not refresh the job (%2)")
                            .arg(feed->run().name, call->result().error().summary()));
            }
            updatePolling();
        });
    }
}

void CompareRunsView::scheduleUpdate()
{
    if (!m_update->isActive())
        m_update->start();
}

void CompareRunsView::updateNow()
{
    m_update->stop();
    QList<models::TrainingRun> runs;
    QStringList names;
    QStringList listed; // name — source, as the list and the column headers' tooltips say
    QList<QMap<QString, QString>> parameters;
    QStringList notes; // runs without parameters, and why
    QList<QMap<QString, QString>> results;
    QStringList resultOrder = {tr("duration"), tr("last step"), tr("points")};
    const int current = m_runList->currentRow();
    m_runList->clear();
    for (const Entry &entry : std::as_const(m_runs)) {
        // The same file twice, or two jobs of one display name: the second is "name (2)" in
        // the legends and the tables' headers, which would otherwise read the same.
        models::TrainingRun run = entry.run;
        for (int n = 2; names.contains(run.name); ++n)
            run.name = tr("%1 (%2)").arg(entry.run.name).arg(n);
        runs.append(run);
        names.append(run.name);
        const bool inProgress =
            entry.feed && client::isTrainingJobChanging(entry.feed->job().state);
        listed.append(run.source.isEmpty() || run.source == run.name
                          ? run.name
                          : QStringLiteral("%1 — %2").arg(run.name, run.source));
        // A run without points has no curve and no legend entry: the list says why.
        m_runList->addItem(run.pointCount() == 0 ? tr("%1 (no points)").arg(listed.last())
                                                 : listed.last());
        parameters.append(run.parameters);
        if (run.parameters.isEmpty())
            notes << (run.parametersNote.isEmpty()
                          ? tr("%1 carries no parameters.").arg(run.name)
                          : tr("%1: %2").arg(run.name, run.parametersNote));
        QMap<QString, QString> r;
        // A job not finished yet: its "final" values are the latest. Said in the first row,
        // not the column header, where a narrow column's "…" would hide it.
        if (const auto d = run.durationSeconds())
            r.insert(tr("duration"),
                     inProgress
                         ? tr("%1 so far, in progress").arg(models::formatDurationSeconds(*d))
                         : models::formatDurationSeconds(*d));
        else if (inProgress)
            r.insert(tr("duration"), tr("in progress"));
        double lastStep = -qInf();
        for (const models::RunSeries &s : run.series) {
            if (!s.points.isEmpty())
                lastStep = std::max(lastStep, s.points.last().x());
            if (const auto v = run.finalValue(s.name))
                r.insert(tr("final %1").arg(s.name), models::metricValueText(*v));
        }
        if (std::isfinite(lastStep))
            r.insert(tr("last step"), models::metricValueText(lastStep));
        r.insert(tr("points"), models::groupedInteger(run.pointCount()));
        results.append(r);
    }
    // Final values of the headline groups first: what the runs are compared by.
    for (models::PanelGroup g :
         {models::PanelGroup::Loss, models::PanelGroup::Reward, models::PanelGroup::Evaluation})
        for (const Entry &e : std::as_const(m_runs))
            for (const models::RunSeries &s : e.run.series)
                if (models::panelGroupFor(s.name) == g &&
                    !resultOrder.contains(tr("final %1").arg(s.name)))
                    resultOrder.append(tr("final %1").arg(s.name));
    m_runList->setCurrentRow(std::min(current, int(m_runList->count()) - 1));
    m_curves->setRuns(runs);
    m_parameters->setRuns(names, parameters,
                          {QStringLiteral("kind"), QStringLiteral("base model"),
                           QStringLiteral("dataset"), QStringLiteral("learning rate"),
                           QStringLiteral("epochs")});
    m_results->setRuns(names, results, resultOrder);
    m_parameters->setRunToolTips(listed);
    m_parametersNote->setText(notes.join(QLatin1Char('\n')));
    m_parametersNote->setVisible(!notes.isEmpty());
    // Runs that all carry none: the note says so; an empty table under it said nothing more.
    m_parameterView->setVisible(m_parameters->rowCount() > 0);
    m_results->setRunToolTips(listed);
    m_add->setEnabled(m_runs.size() < kMaxRuns);
    // One run (a file opened with Open training run) is shown as it is; the hint says how to
    // put another beside it rather than that something is missing.
    const QString none = tr("Add at least two runs to compare them.");
    const QString one = tr("To compare this run with another, Add run from file…");
    const bool hinting = m_message->text() == none || m_message->text() == one;
    if (m_runs.size() < 2 && (m_message->text().isEmpty() || hinting))
        m_message->setText(m_runs.isEmpty() ? none : one);
    else if (m_runs.size() >= 2 && hinting)
        m_message->clear();
}

} // namespace ui
