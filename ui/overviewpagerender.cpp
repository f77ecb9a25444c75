// Filling the Overview from the account snapshot: the cards, the deployments, the running jobs
// and the activity lists. The layout they fill is built in overviewpage.cpp.
#include "overviewpage.h"
#include "overviewpage_p.h"

#include <ui/errortext.h>
#include <ui/jobglance.h>
#include <ui/overviewlistrow.h>

#include <client/deploymentoptions.h>
#include <client/resourcenames.h>
#include <client/states.h>
#include <models/accountsnapshot.h>
#include <widgets/errorbanner.h>
#include <widgets/statebreakdownbar.h>
#include <widgets/tablecelldelegate.h>
#include <widgets/tone.h>

#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace ui {

using namespace overview;

namespace {

widgets::Tone toneOf(const QString &state)
{
    switch (client::stateTone(state)) {
    case client::StateTone::Good:
        return widgets::Tone::Good;
    case client::StateTone::Busy:
        return widgets::Tone::Busy;
    case client::StateTone::Bad:
        return widgets::Tone::Bad;
    case client::StateTone::Gone:
        return widgets::Tone::Gone;
    case client::StateTone::Neutral:
        break;
    }
    return widgets::Tone::Neutral;
}

} // namespace

void OverviewPage::render()
{
    if (m_addProfile)
        m_addProfile->setVisible(m_snapshot->isOnThisComputer());
    m_sandboxNote->setVisible(m_snapshot->isOnThisComputer());
    m_heading->setText(m_snapshot->accountName().isEmpty()
                           ? tr("Account overview")
                           : tr("%1 — overview").arg(m_snapshot->accountName()));
    renderCards();
    renderDeployments();
    renderJobs();
    fillList(m_transitioning, true);
    fillList(m_recent, false);
    if (const auto error = m_snapshot->firstError()) {
        m_banner->showError(errorText(tr("Loading the overview"), *error),
                            m_snapshot->errors().join(QLatin1Char('\n')));
    } else {
        m_banner->hide();
    }
}

void OverviewPage::renderCards()
{
    const auto &summaries = m_snapshot->summaries();
    const bool dark = palette().color(QPalette::Base).lightness() < 128;
    for (int i = 0; i < m_cardWidgets.size(); ++i) {
        Card &card = m_cardWidgets[i];
        if (i >= summaries.size()) {
            card.text.clear();
            card.title->clear();
            card.count->clear();
            card.legend->clear();
            card.bar->setSegments({});
            continue;
        }
        // A quiet reload that failed for this family keeps the counts it had (stale), shown
        // as not refreshed: a person still sees how many there were and when that was true.
        const models::ResourceSummary &s = summaries[i];
        const bool stale = s.stale;
        const bool counted = s.error.isEmpty() || stale;
        QStringList states;
        QList<widgets::StateBreakdownBar::Segment> segments;
        for (const models::StateCount &c : s.byState) {
            states << QStringLiteral("%1 %2").arg(c.state).arg(c.count);
            QColor color = widgets::toneColor(toneOf(c.state), dark);
            if (stale)
                color.setAlphaF(0.4f);
            segments.append({c.state, c.count, color});
        }
        card.title->setText(s.title);
        // A family that failed has no count: "0" would be a wrong answer, not an empty one.
        card.count->setText(counted ? QLocale().toString(s.total) : QStringLiteral("—"));
        card.count->setForegroundRole(stale ? QPalette::PlaceholderText : QPalette::WindowText);
        card.legend->setForegroundRole(stale ? QPalette::PlaceholderText : QPalette::WindowText);
        card.bar->setSegments(counted ? segments : QList<widgets::StateBreakdownBar::Segment>{});
        card.bar->setVisible(counted && !segments.isEmpty());
        QString legend;
        if (!counted)
            legend = tr("could not be loaded (see above)");
        else if (states.isEmpty())
            legend = tr("none yet");
        else
            legend = states.join(QStringLiteral(" · "));
        if (counted && s.counted < s.total)
            legend += tr("\n(states of the newest %1)").arg(s.counted);
        if (stale)
            legend += tr("\nNot refreshed: %1\nas loaded at %2")
                          .arg(s.error.section(QLatin1Char('\n'), 0, 0),
                               QLocale().toString(s.loadedAt.time(), QLocale::ShortFormat));
        card.legend->setText(legend);
        card.text =
            QStringLiteral("%1\n%2\n%3")
                .arg(s.title, counted ? QString::number(s.total) : QStringLiteral("—"), legend);
        card.button->setAccessibleName(card.text);
        card.button->setToolTip(s.pageId.isEmpty() ? tr("There is no page for these yet.")
                                                   : tr("Open the %1 page").arg(s.title));
        card.button->setEnabled(!s.pageId.isEmpty() || counted);
    }
}

bool OverviewPage::familyUnknown(const QString &pageId) const
{
    // Failed and nothing kept from before: an empty list would read as "there are none".
    for (const models::ResourceSummary &s : m_snapshot->summaries())
        if ((pageId.isEmpty() || s.pageId == pageId) && !s.error.isEmpty() && !s.stale)
            return true;
    return false;
}

void OverviewPage::renderDeployments()
{
    QList<OverviewListRow> rows;
    for (const client::Deployment &d : m_snapshot->deployments()) {
        const QString id = client::resourceId(d.name);
        const QString accelerator = client::acceleratorDisplayName(d.acceleratorType);
        const QString replicas = d.desiredReplicaCount != d.replicaCount
                                     ? tr("%1 → %2 (%3–%4)")
                                           .arg(d.replicaCount)
                                           .arg(d.desiredReplicaCount)
                                           .arg(d.minReplicaCount)
                                           .arg(d.maxReplicaCount)
                                     : tr("%1 (%2–%3)")
                                           .arg(d.replicaCount)
                                           .arg(d.minReplicaCount)
                                           .arg(d.maxReplicaCount);
        OverviewListRow row;
        row.name = d.name;
        row.pageId = QStringLiteral("deployments");
        row.texts = {d.displayName.isEmpty() ? id : d.displayName,
                     client::deploymentStateName(d.state, d.stateRaw), replicas,
                     accelerator.isEmpty()
                         ? (d.deploymentShape.isEmpty() ? tr("default")
                                                        : client::resourceId(d.deploymentShape))
                         : tr("%1 × %2").arg(std::max(1, d.acceleratorCount)).arg(accelerator),
                     client::resourceId(d.baseModel)};
        row.toolTips.insert(DeploymentNameColumn,
                            tr("%1\n%2 — Enter or double-click opens it")
                                .arg(d.displayName.isEmpty() ? id : d.displayName, d.name));
        row.toolTips.insert(ReplicasColumn, tr("Replicas now (minimum–maximum of the autoscaler)"));
        row.toolTips.insert(BaseModelColumn, d.baseModel);
        rows.append(row);
    }
    if (rows.isEmpty())
        rows.append({QString(),
                     QString(),
                     {familyUnknown(QStringLiteral("deployments"))
                          ? tr("The deployments could not be loaded (see above).")
                          : tr("No deployments yet.")},
                     {}});
    syncOverviewList(m_deployments, rows, /*spanPlaceholder*/ true);
}

void OverviewPage::renderJobs()
{
    QStringList shown;
    const auto &jobs = m_snapshot->activeJobs();
    for (const client::TrainingJob &job : jobs) {
        if (shown.size() >= models::AccountSnapshot::kMaxFollowedJobs)
            break;
        shown << job.name;
        JobGlance *&glance = m_jobs[job.name];
        if (!glance) {
            glance = new JobGlance(this);
            glance->setObjectName(QStringLiteral("jobGlance"));
            connect(glance, &JobGlance::openRequested, this, [this](const QString &name) {
                Q_EMIT navigateRequested(QStringLiteral("jobs"), name);
            });
        }
        glance->setJob(job);
        glance->setRun(m_snapshot->runOf(job.name));
    }
    for (auto it = m_jobs.begin(); it != m_jobs.end();) {
        if (shown.contains(it.key())) {
            ++it;
        } else {
            it.value()->deleteLater();
            it = m_jobs.erase(it);
        }
    }
    // Newest first, as the snapshot lists them; a row already in its place is left there (a
    // quiet reload would otherwise take every row out of the layout and put it back).
    for (int i = 0; i < shown.size(); ++i)
        if (JobGlance *glance = m_jobs.value(shown[i]); m_jobRows->indexOf(glance) != i)
            m_jobRows->insertWidget(i, glance);
    m_noJobs->setVisible(shown.isEmpty());
    if (jobs.size() > shown.size())
        m_noJobs->setText(tr("and %n more running", nullptr, int(jobs.size() - shown.size())));
    else if (familyUnknown(QStringLiteral("jobs")))
        m_noJobs->setText(tr("The fine-tuning jobs could not be loaded (see above)."));
    else
        m_noJobs->setText(tr("No fine-tuning job is running."));
    m_noJobs->setVisible(shown.isEmpty() || jobs.size() > shown.size());
}

void OverviewPage::updateJobCurve(const QString &jobName)
{
    if (JobGlance *glance = m_jobs.value(jobName))
        glance->setRun(m_snapshot->runOf(jobName));
}

QStringList OverviewPage::jobsShown() const
{
    QStringList names;
    for (int i = 0; i < m_jobRows->count(); ++i)
        if (auto *glance = qobject_cast<JobGlance *>(m_jobRows->itemAt(i)->widget()))
            names << glance->job().name;
    return names;
}

void OverviewPage::fillList(QTreeWidget *list, bool transitioning)
{
    // A family a quiet reload could not list again keeps its rows: the snapshot has them.
    const QList<models::ActivityItem> &items =
        transitioning ? m_snapshot->transitioning() : m_snapshot->recent();
    QList<OverviewListRow> rows;
    for (const models::ActivityItem &a : items) {
        const QString id = client::resourceId(a.name);
        OverviewListRow row;
        row.name = a.name;
        row.pageId = a.pageId;
        row.texts = {
            a.kind,
            client::displayNameAddsToId(a.displayName, a.name)
                ? QStringLiteral("%1 (%2)").arg(id, a.displayName)
                : id,
            client::stateLabel(a.state),
            widgets::TableCellDelegate::compactTime(a.createTime, QLocale())};
        if (a.createTime.isValid())
            row.toolTips.insert(
                TimeColumn, QLocale().toString(a.createTime.toLocalTime(), QLocale::LongFormat));
        row.toolTips.insert(
            NameColumn, a.pageId.isEmpty() ? tr("%1 (there is no page for it yet)").arg(a.name)
                                           : tr("%1 — Enter or double-click opens it").arg(a.name));
        rows.append(row);
    }
    QString empty = transitioning ? tr("Nothing is changing right now.") : tr("Nothing here yet.");
    if (familyUnknown(QString()))
        empty = tr("Not known: some resources could not be loaded (see above).");
    if (rows.isEmpty())
        rows.append({QString(), QString(), {QString(), empty}, {}});
    syncOverviewList(list, rows, /*spanPlaceholder*/ false);
}

} // namespace ui
