#include "jobview.h"

#include <ui/deploymentdialog.h>
#include <ui/icons.h>
#include <ui/jobcurvestab.h>
#include <ui/jobparameterstab.h>
#include <ui/logstab.h>
#include <ui/rolloutstab.h>

#include <client/apiclient.h>
#include <client/metrics.h>
#include <client/resourcenames.h>
#include <client/states.h>
#include <client/trainingdefaults.h>
#include <client/trainingjobrules.h>
#include <models/trainingjoblistmodel.h>

#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QShortcut>
#include <QTabWidget>
#include <QTimer>
#include <QUrl>
#include <QVBoxLayout>

namespace ui {

namespace {

constexpr int kHeadlineRefreshMs = 10000; // a metrics file is read again at most this often

QString badgeStyle(const QString &state)
{
    // The list's badge colours (widgets/statebadgedelegate.cpp), for one badge in a label.
    QString colour = QStringLiteral("#909090");
    switch (client::stateTone(state)) {
    case client::StateTone::Good:
        colour = QStringLiteral("#43a047");
        break;
    case client::StateTone::Busy:
        colour = QStringLiteral("#ef8f00");
        break;
    case client::StateTone::Bad:
        colour = QStringLiteral("#e53935");
        break;
    case client::StateTone::Gone:
        colour = QStringLiteral("#757575");
        break;
    case client::StateTone::Neutral:
        break;
    }
    return QStringLiteral("QLabel { background: %1; color: white; border-radius: 8px; "
                          "padding: 2px 10px; font-weight: bold; }")
        .arg(colour);
}

} // namespace

JobView::JobView(client::ApiClient *api, QWidget *parent) : QWidget(parent), m_api(api)
{
    setObjectName(QStringLiteral("jobView"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);

    auto *titleRow = new QHBoxLayout;
    m_back = new QPushButton(tr("← &Back"), this);
    m_back->setObjectName(QStringLiteral("backButton"));
    m_back->setToolTip(tr("Back to the list of jobs (Esc)"));
    m_back->setAutoDefault(false);
    connect(m_back, &QPushButton::clicked, this, &JobView::backRequested);
    auto *escape = new QShortcut(QKeySequence(Qt::Key_Escape), this);
    escape->setWhatsThis(tr("Back to the list of jobs (a job open)"));
    escape->setContext(Qt::WidgetWithChildrenShortcut);
    connect(escape, &QShortcut::activated, this, &JobView::backRequested);
    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("jobTitle"));
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont big = m_title->font();
    big.setBold(true);
    big.setPointSizeF(big.pointSizeF() * 1.25);
    m_title->setFont(big);
    m_badge = new QLabel(this);
    m_badge->setObjectName(QStringLiteral("jobStateBadge"));
    titleRow->addWidget(m_back);
    titleRow->addSpacing(8);
    titleRow->addWidget(m_title, 0);
    titleRow->addWidget(m_badge, 0);
    titleRow->addStretch(1);
    // What the list's toolbar offers for this job, where the user watches it go wrong (the
    // list's shortcuts, Ctrl+Shift+X and Ctrl+Shift+R, act on the open job too).
    m_cancel = new QPushButton(icons::forAction(icons::Action::Cancel), tr("Cancel job…"), this);
    m_cancel->setObjectName(QStringLiteral("jobCancelButton"));
    m_cancel->setToolTip(tr("Stop the job; a cancelled job cannot be resumed (Ctrl+Shift+X)"));
    m_cancel->setAutoDefault(false);
    m_cancel->hide();
    connect(m_cancel, &QPushButton::clicked, this, &JobView::cancelRequested);
    m_resume = new QPushButton(icons::forAction(icons::Action::Resume), tr("Resume"), this);
    m_resume->setObjectName(QStringLiteral("jobResumeButton"));
    m_resume->setToolTip(tr("Start the FAILED or PAUSED job again (Ctrl+Shift+R)"));
    m_resume->setAutoDefault(false);
    m_resume->hide();
    connect(m_resume, &QPushButton::clicked, this, &JobView::resumeRequested);
    // What comes after a completed job: its model on a deployment, to chat with or to serve.
    m_deploy =
        new QPushButton(icons::forAction(icons::Action::Deploy), tr("&Deploy output model…"), this);
    m_deploy->setObjectName(QStringLiteral("jobDeployButton"));
    m_deploy->setAutoDefault(false);
    m_deploy->hide();
    connect(m_deploy, &QPushButton::clicked, this, &JobView::deployOutputModel);
    titleRow->addWidget(m_deploy);
    titleRow->addWidget(m_resume);
    titleRow->addWidget(m_cancel);
    layout->addLayout(titleRow);

    const auto infoLabel = [this](const char *objectName) {
        auto *l = new QLabel(this);
        l->setObjectName(QLatin1String(objectName));
        l->setWordWrap(true);
        l->setTextInteractionFlags(Qt::TextSelectableByMouse);
        return l;
    };
    m_facts = infoLabel("jobFacts");
    m_links = infoLabel("jobLinks");
    m_links->setTextFormat(Qt::RichText);
    m_links->setTextInteractionFlags(Qt::LinksAccessibleByMouse | Qt::LinksAccessibleByKeyboard |
                                     Qt::TextSelectableByMouse);
    connect(m_links, &QLabel::linkActivated, this, [this](const QString &link) {
        const qsizetype bar = link.indexOf(QLatin1Char('|'));
        if (bar > 0)
            Q_EMIT navigateRequested(link.left(bar), link.mid(bar + 1));
    });
    m_knobs = infoLabel("jobKnobs");
    m_status = infoLabel("jobStatus");
    m_status->setStyleSheet(QStringLiteral("QLabel { color: #c62828; }"));
    m_status->hide();
    layout->addWidget(m_facts);
    layout->addWidget(m_links);
    layout->addWidget(m_knobs);
    layout->addWidget(m_status);

    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("jobTabs"));
    layout->addWidget(m_tabs, 1);
    // The tabs, in order (Curves first). One line per tab; see the class comment.
    addJobTab(new JobCurvesTab(m_api, m_tabs), tr("&Curves"), QStringLiteral("curves"));
    addJobTab(new RolloutsTab(m_api, m_tabs), tr("&Rollouts"), QStringLiteral("rollouts"));
    addJobTab(new LogsTab(m_api, m_tabs), tr("&Logs"), QStringLiteral("logs"));
    addJobTab(new JobParametersTab(m_api, m_tabs), tr("&Parameters"), QStringLiteral("parameters"));

    m_refresh = new QTimer(this);
    m_refresh->setInterval(2000);
    connect(m_refresh, &QTimer::timeout, this, &JobView::refresh);
}

void JobView::addTabWidget(QWidget *tab, const QString &title,
                           std::function<void(const client::TrainingJob &)> setJob)
{
    m_tabs->addTab(tab, title);
    m_setters.append(std::move(setJob));
}

bool JobView::selectTab(const QString &id)
{
    for (int i = 0; i < m_tabs->count(); ++i)
        if (m_tabs->widget(i)->property("jobTabId").toString() == id) {
            if (!m_tabs->isTabEnabled(i))
                return false; // Rollouts of a job that has none
            m_tabs->setCurrentIndex(i);
            return true;
        }
    return false;
}

void JobView::setRefreshIntervalMs(int ms)
{
    m_refresh->setInterval(std::max(ms, 1));
    if (ms <= 0)
        m_refresh->stop();
}

void JobView::openJob(const QString &name)
{
    if (name != m_name) {
        m_job = client::TrainingJob();
        m_job.name = name;
        m_job.kind = client::trainingJobKindOfName(name).value_or(client::TrainingJobKind::Sft);
        m_name = name;
        m_headline.clear();
        updateHeader();
        updateRolloutsTab();
    }
    refresh();
}

void JobView::deployOutputModel()
{
    if (m_job.outputModel.isEmpty())
        return;
    auto *dialog = new DeploymentDialog(m_api, this);
    dialog->setBaseModel(m_job.outputModel);
    connect(dialog, &DeploymentDialog::saved, this, [this](const client::Deployment &d) {
        Q_EMIT navigateRequested(QStringLiteral("deployments"), d.name);
    });
    dialog->open();
}

void JobView::updateRolloutsTab()
{
    // Only RFT jobs have rollouts: the tab stays (the others keep their places and keys) but
    // cannot be chosen, and says why; a view left on it moves to the curves.
    const bool rft = m_job.kind == client::TrainingJobKind::Rft;
    for (int i = 0; i < m_tabs->count(); ++i) {
        if (m_tabs->widget(i)->property("jobTabId").toString() != QLatin1String("rollouts"))
            continue;
        if (!rft && m_tabs->currentIndex() == i)
            m_tabs->setCurrentIndex(0);
        m_tabs->setTabEnabled(i, rft);
        m_tabs->setTabToolTip(
            i, rft ? tr("The rollouts of each epoch: prompts, answers and the evaluator's scores")
                   : tr("Rollouts exist for reinforcement fine-tuning (RFT) jobs only."));
    }
}

void JobView::setJob(const client::TrainingJob &job)
{
    if (job.name != m_name) {
        m_headline.clear();
        m_name = job.name;
    }
    m_job = job;
    updateHeader();
    updateRolloutsTab();
    for (const auto &set : std::as_const(m_setters))
        set(m_job);
    updateHeadline();
    if (isVisible() && client::isTrainingJobChanging(m_job.state) && m_refresh->interval() > 0)
        m_refresh->start();
    else if (!client::isTrainingJobChanging(m_job.state))
        m_refresh->stop();
}

void JobView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (!m_name.isEmpty() &&
        (client::isTrainingJobChanging(m_job.state) || m_job.stateRaw.isEmpty()))
        m_refresh->start();
}

void JobView::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_refresh->stop(); // the list polls what it shows; nobody looks at this view now
}

void JobView::refresh()
{
    if (m_name.isEmpty() || m_fetching)
        return;
    m_fetching = true;
    const QString name = m_name;
    auto *call = client::trainingJobsClientFor(m_api, name).get(name);
    connect(call, &client::PendingCallBase::finished, this, [this, call, name] {
        m_fetching = false;
        if (name != m_name)
            return;
        if (!call->result().ok()) {
            m_status->setText(
                tr("Could not load the job: %1").arg(call->result().error().summary()));
            m_status->show();
            return;
        }
        setJob(call->result().value());
        Q_EMIT jobRefreshed(m_job);
    });
}

QString JobView::linkText(const QString &pageId, const QString &name) const
{
    return QStringLiteral("<a href=\"%1|%2\">%3</a>")
        .arg(pageId, name.toHtmlEscaped(), client::resourceId(name).toHtmlEscaped());
}

void JobView::updateHeader()
{
    const client::TrainingJob &j = m_job;
    const QString id = client::resourceId(j.name);
    m_title->setText(client::displayNameAddsToId(j.displayName, j.name)
                         ? QStringLiteral("%1 (%2)").arg(j.displayName, id)
                         : id);
    m_title->setToolTip(j.name);
    const QString state =
        j.stateRaw.isEmpty() ? tr("loading…") : client::jobStateLabel(j.state, j.stateRaw);
    m_badge->setText(state);
    m_badge->setStyleSheet(badgeStyle(j.stateRaw));
    m_cancel->setVisible(!j.stateRaw.isEmpty() && client::canCancel(j.kind, j.state));
    m_resume->setVisible(!j.stateRaw.isEmpty() && client::canResume(j.kind, j.state));
    m_deploy->setVisible(j.state == client::JobState::Completed && !j.outputModel.isEmpty());
    m_deploy->setToolTip(tr("Create a deployment of %1, as Deploy… on the Models page does")
                             .arg(client::resourceId(j.outputModel)));

    QStringList facts;
    facts << client::trainingJobKindTitle(j.kind);
    if (const auto s = client::trainingJobElapsedSeconds(j, QDateTime::currentDateTimeUtc()))
        facts << tr("elapsed %1").arg(models::TrainingJobListModel::durationText(*s));
    if (const QString p = models::TrainingJobListModel::progressText(j); !p.isEmpty())
        facts << p;
    if (!m_headline.isEmpty())
        facts << m_headline;
    if (!j.createdBy.isEmpty())
        facts << tr("by %1").arg(j.createdBy);
    m_facts->setText(facts.join(QStringLiteral("  ·  ")));

    QStringList links;
    const QString account = m_api->accountId();
    if (!j.baseModel.isEmpty())
        links << tr("Base model %1").arg(linkText(QStringLiteral("models"), j.baseModel));
    if (!j.warmStartFrom.isEmpty())
        links << tr("Continues %1").arg(linkText(QStringLiteral("models"), j.warmStartFrom));
    if (!j.dataset.isEmpty())
        links << tr("Dataset %1").arg(linkText(QStringLiteral("datasets"), j.dataset));
    if (!j.evaluationDataset.isEmpty())
        links << tr("Evaluation dataset %1")
                     .arg(linkText(QStringLiteral("datasets"), j.evaluationDataset));
    // No Evaluators page yet: its ID, selectable, as the links beside it show theirs (the full
    // name is in the Parameters tab's JSON).
    if (!j.evaluator.isEmpty())
        links << tr("Evaluator %1").arg(client::resourceId(j.evaluator).toHtmlEscaped());
    if (!j.outputModel.isEmpty()) {
        const QString output = client::modelName(account, j.outputModel);
        // The output model exists once the job completed; before that it is only a name.
        links << (j.state == client::JobState::Completed
                      ? tr("Output model %1").arg(linkText(QStringLiteral("models"), output))
                      : tr("Output model %1 (when it completes)")
                            .arg(client::resourceId(output).toHtmlEscaped()));
    }
    m_links->setText(links.join(QStringLiteral(" &nbsp;·&nbsp; ")));

    QStringList knobs;
    for (const client::HyperParameterValue &v : client::hyperParameterValues(j))
        if (v.isSet && v.value.size() <= 40)
            knobs << tr("%1 = %2").arg(v.parameter.label, v.value); // "Epochs = 2"
    m_knobs->setText(knobs.isEmpty()
                         ? QString()
                         : tr("Hyperparameters: %1").arg(knobs.join(QStringLiteral(" · "))));
    m_knobs->setVisible(!knobs.isEmpty());
    const bool failed = j.status.isError() && !j.status.message.isEmpty();
    m_status->setText(failed ? tr("%1: %2").arg(j.status.code, j.status.message) : QString());
    m_status->setVisible(failed);
}

void JobView::updateHeadline()
{
    const client::TrainingJob &j = m_job;
    if (j.kind == client::TrainingJobKind::Rft) {
        // RFT jobs carry their curves on the job (outputMetrics, §7.3).
        const auto metrics = client::parseRftMetrics(j.outputMetrics, j.outputStats);
        if (!metrics.ok())
            return;
        const QString series =
            client::headlineSeriesName(j.kind, metrics.value().averageCurves.keys());
        if (!series.isEmpty() && !metrics.value().averageCurves.value(series).isEmpty()) {
            m_headline = tr("mean %1 %2")
                             .arg(series.toLower())
                             .arg(metrics.value().averageCurves.value(series).last(), 0, 'g', 4);
        } else if (!metrics.value().epochAverageReward.isEmpty()) {
            m_headline =
                tr("mean reward %1").arg(metrics.value().epochAverageReward.last(), 0, 'g', 4);
        }
        updateHeader();
        return;
    }
    // SFT and DPO: the last loss in the metrics file, read again now and then while it runs.
    if (m_headlineFetching || j.stateRaw.isEmpty())
        return;
    const bool changing = client::isTrainingJobChanging(j.state);
    if (m_headlineFor == j.name && m_headlineAge.isValid() &&
        (m_headlineSettled || (changing && m_headlineAge.elapsed() < kHeadlineRefreshMs)))
        return; // read recently, or read after the job ended (its file does not change)
    m_headlineSettled = !changing;
    m_headlineFetching = true;
    m_headlineFor = j.name;
    m_headlineAge.start();
    const QString name = j.name;
    // When the read ends, a job that finished meanwhile is read once more: its last points
    // came after this read began, and no further refresh will ask.
    const auto done = [this, name](bool ok) {
        m_headlineFetching = false;
        if (!ok) {
            m_headlineSettled = false; // the next refresh (or F5) tries again
            return;
        }
        if (name == m_name && !m_headlineSettled && !client::isTrainingJobChanging(m_job.state))
            QTimer::singleShot(0, this, &JobView::updateHeadline);
    };
    client::ApiClient::BackgroundScope quiet(m_api);
    auto *url = client::trainingJobsClientFor(m_api, name).metricsFileUrl(name);
    connect(url, &client::PendingCallBase::finished, this, [this, url, name, done] {
        if (!url->result().ok() || url->result().value().isEmpty() || name != m_name) {
            done(false);
            return;
        }
        client::ApiClient::BackgroundScope quiet(m_api);
        auto *file = m_api->metrics().fetchJsonl(QUrl(url->result().value()));
        connect(file, &client::PendingCallBase::finished, this, [this, file, name, done] {
            if (!file->result().ok() || name != m_name) {
                done(false);
                return;
            }
            const auto &series = file->result().value().series;
            const QString loss = client::headlineSeriesName(m_job.kind, series.keys());
            if (!loss.isEmpty() && !series.value(loss).isEmpty()) {
                m_headline = QStringLiteral("%1 %2").arg(loss).arg(series.value(loss).last().value,
                                                                   0, 'g', 4);
                updateHeader();
            }
            done(true);
        });
    });
}

} // namespace ui
