#include "accountsnapshot.h"

#include <client/trainingjobdraft.h>

#include <client/accounts.h>
#include <client/datasets.h>
#include <client/deployments.h>
#include <client/states.h>
#include <client/trainingjobs.h>
#include <models/jobmetricsfeed.h>
#include <models/panelgroup.h>
#include <models/trainingrun.h>

#include <QSet>
#include <QTimer>

#include <algorithm>
#include <utility>

namespace models {

using namespace client;

namespace {

constexpr int kRecentCount = 12;

// Ties (resources made in the same millisecond) by name, so a reload does not reorder them and
// the lists keep their rows in place.
template <typename T> bool newestFirst(const T &a, const T &b)
{
    return a.createTime != b.createTime ? a.createTime > b.createTime : a.name < b.name;
}

ResourceSummary family(const QString &pageId, const QString &title)
{
    ResourceSummary s;
    s.pageId = pageId;
    s.title = title;
    return s;
}

} // namespace

AccountSnapshot::AccountSnapshot(ApiClient *api, QObject *parent)
    : QObject(parent), m_api(api), m_autoRefresh(new QTimer(this))
{
    m_autoRefresh->setSingleShot(true);
    // What changes by itself is followed without the page blinking: a quiet reload.
    connect(m_autoRefresh, &QTimer::timeout, this, &AccountSnapshot::refreshQuietly);
}

QStringList AccountSnapshot::errors() const
{
    QStringList out;
    for (const ResourceSummary &s : m_shown.summaries)
        if (!s.error.isEmpty())
            out << QStringLiteral("%1: %2").arg(s.title, s.error);
    return out;
}

template <typename T>
void AccountSnapshot::fetch(int summary, PendingCall<Page<T>> *call,
                            std::function<ActivityItem(const T &)> describe,
                            std::function<bool(const T &)> transitional)
{
    ++m_pending;
    const int generation = m_generation;
    connect(call, &PendingCallBase::finished, this,
            [this, call, summary, describe, transitional, generation] {
                if (generation != m_generation)
                    return; // a newer refresh replaced this one
                const auto &result = call->result();
                ResourceSummary &s = m_next.summaries[summary];
                if (result.ok()) {
                    const Page<T> &page = result.value();
                    s.counted += int(page.items.size());
                    s.total += std::max(page.totalSize, int(page.items.size()));
                    for (const T &item : page.items) {
                        const ActivityItem a = describe(item);
                        const QString state = client::stateLabel(a.state);
                        auto it =
                            std::find_if(s.byState.begin(), s.byState.end(),
                                         [&](const StateCount &c) { return c.state == state; });
                        if (it == s.byState.end())
                            s.byState.append({state, 1});
                        else
                            ++it->count;
                        if (transitional(item))
                            m_next.transitioning.append(a);
                        m_next.recentPool.append(a);
                    }
                } else {
                    if (!m_next.firstError)
                        m_next.firstError = result.error();
                    if (s.error.isEmpty())
                        s.error = result.error().summary();
                }
                finishOne();
            });
}

void AccountSnapshot::finishOne()
{
    if (--m_pending > 0)
        return;
    Contents next = std::exchange(m_next, Contents{});
    for (ResourceSummary &s : next.summaries)
        std::sort(s.byState.begin(), s.byState.end(),
                  [](const StateCount &a, const StateCount &b) { return a.count > b.count; });
    std::sort(next.recentPool.begin(), next.recentPool.end(), newestFirst<ActivityItem>);
    next.recent = next.recentPool.mid(0, kRecentCount);
    next.recentPool.clear();
    std::sort(next.transitioning.begin(), next.transitioning.end(), newestFirst<ActivityItem>);
    std::sort(next.deployments.begin(), next.deployments.end(), newestFirst<Deployment>);
    std::sort(next.activeJobs.begin(), next.activeJobs.end(), newestFirst<TrainingJob>);
    keepLastGood(next);
    m_shown = std::move(next);
    followActiveJobs();
    Q_EMIT changed();
    Q_EMIT loadingChanged(false);
    if (m_autoRefreshMs > 0 && !m_shown.transitioning.isEmpty())
        m_autoRefresh->start(m_autoRefreshMs);
}

void AccountSnapshot::keepLastGood(Contents &next)
{
    const QDateTime now = QDateTime::currentDateTime();
    QSet<QString> stalePages;
    for (int i = 0; i < next.summaries.size(); ++i) {
        ResourceSummary &s = next.summaries[i];
        if (s.error.isEmpty()) {
            s.loadedAt = now;
            m_lastGood.insert(i, s);
            continue;
        }
        if (!m_quiet) {
            m_lastGood.remove(i); // F5 or another profile: no numbers from before
            continue;
        }
        const auto it = m_lastGood.constFind(i);
        if (it == m_lastGood.cend())
            continue; // it never loaded: nothing to keep
        const QString error = s.error;
        s = *it;
        s.error = error;
        s.stale = true;
        stalePages.insert(s.pageId);
    }
    if (stalePages.isEmpty())
        return;
    // The rows of a stale family stay as they were shown, in their place by time. A family of
    // several lists (the job kinds) may have answered in part: its fresh rows are not doubled.
    const auto keepRows = [&stalePages](QList<ActivityItem> &items,
                                        const QList<ActivityItem> &before, bool newestOnly) {
        const qsizetype fresh = items.size();
        QSet<QString> names;
        for (const ActivityItem &a : std::as_const(items))
            names.insert(a.name);
        for (const ActivityItem &a : before)
            if (stalePages.contains(a.pageId) && !names.contains(a.name))
                items.append(a);
        std::sort(items.begin(), items.end(), newestFirst<ActivityItem>);
        if (newestOnly) // the newest ones, as many as were shown
            items = items.mid(0, std::max(fresh, before.size()));
    };
    keepRows(next.transitioning, m_shown.transitioning, false);
    keepRows(next.recent, m_shown.recent, true);
    if (stalePages.contains(QStringLiteral("deployments")))
        next.deployments = m_shown.deployments;
    if (stalePages.contains(QStringLiteral("jobs")))
        next.activeJobs = m_shown.activeJobs;
}

bool AccountSnapshot::isStale(const QString &pageId) const
{
    return std::any_of(
        m_shown.summaries.cbegin(), m_shown.summaries.cend(),
        [&pageId](const ResourceSummary &s) { return s.stale && s.pageId == pageId; });
}

void AccountSnapshot::refresh()
{
    start(false);
}

void AccountSnapshot::refreshQuietly()
{
    if (isLoading())
        return;
    start(true);
}

void AccountSnapshot::start(bool quiet)
{
    ++m_generation; // answers of a load this one replaces are dropped
    m_quiet = quiet;
    m_autoRefresh->stop();
    m_pending = 0;
    m_next = Contents{};
    m_next.summaries = {
        family(QStringLiteral("models"), tr("Models")),
        family(QStringLiteral("datasets"), tr("Datasets")),
        family(QStringLiteral("deployments"), tr("Deployments")),
        family(QStringLiteral("jobs"), tr("Fine-tuning jobs")),
    };

    ++m_pending; // the account itself: its display name heads the page
    const int generation = m_generation;
    auto *account = m_api->accounts().get(m_api->accountId());
    connect(account, &PendingCallBase::finished, this, [this, account, generation] {
        if (generation != m_generation)
            return;
        const auto &r = account->result();
        m_next.accountName =
            r.ok() ? (r->displayName.isEmpty() ? r->name : r->displayName) : m_api->accountId();
        if (!r.ok() && !m_next.firstError)
            m_next.firstError = r.error();
        finishOne();
    });

    ListRequest newest;
    newest.pageSize = m_pageSize;
    newest.orderBy = QStringLiteral("create_time desc");
    fetch<Model>(
        0, m_api->models().list(newest),
        [](const Model &m) {
            return ActivityItem{QStringLiteral("models"),
                                tr("Model"),
                                m.name,
                                m.displayName,
                                modelStateName(m.state, m.stateRaw),
                                m.createTime,
                                m.updateTime};
        },
        [](const Model &m) { return m.state == ModelState::Uploading; });
    fetch<Dataset>(
        1, m_api->datasets().list(newest),
        [](const Dataset &d) {
            return ActivityItem{QStringLiteral("datasets"),
                                tr("Dataset"),
                                d.name,
                                d.displayName,
                                datasetStateName(d.state, d.stateRaw),
                                d.createTime,
                                d.updateTime};
        },
        [](const Dataset &d) { return d.state == DatasetState::Uploading; });
    fetch<Deployment>(
        2, m_api->deployments().list(newest),
        [this](const Deployment &d) {
            if (d.state != DeploymentState::Deleted)
                m_next.deployments.append(d);
            return ActivityItem{QStringLiteral("deployments"),
                                tr("Deployment"),
                                d.name,
                                d.displayName,
                                deploymentStateName(d.state, d.stateRaw),
                                d.createTime,
                                d.updateTime};
        },
        [](const Deployment &d) { return isTransitional(d.state); });
    const struct
    {
        TrainingJobsClient jobs;
        QString kind;
    } families[] = {{m_api->sftJobs(), tr("SFT job")},
                    {m_api->dpoJobs(), tr("DPO job")},
                    {m_api->rftJobs(), tr("RFT job")}};
    for (const auto &family : families) {
        TrainingJobsClient jobs = family.jobs;
        const QString kind = family.kind;
        fetch<TrainingJob>(
            3, jobs.list(newest),
            [this, kind](const TrainingJob &j) {
                if (!isTerminal(j.state) && j.state != JobState::Unspecified)
                    m_next.activeJobs.append(j);
                return ActivityItem{QStringLiteral("jobs"),
                                    kind,
                                    j.name,
                                    j.displayName,
                                    jobStateName(j.state, j.stateRaw),
                                    j.createTime,
                                    j.updateTime};
            },
            [](const TrainingJob &j) {
                return !isTerminal(j.state) && j.state != JobState::Unspecified;
            });
    }
    // Said once every request is out, so isLoading() and isLoadingQuietly() answer for it.
    Q_EMIT loadingChanged(true);
}

void AccountSnapshot::followActiveJobs()
{
    // Feeds read only the new bytes of each metrics file, so following a job across refreshes
    // costs one small ranged request per refresh.
    QSet<QString> followed;
    for (const TrainingJob &job : std::as_const(m_shown.activeJobs)) {
        if (followed.size() >= kMaxFollowedJobs)
            break;
        followed.insert(job.name);
        JobMetricsFeed *&feed = m_feeds[job.name];
        if (!feed) {
            feed = new JobMetricsFeed(m_api, this);
            const QString name = job.name;
            connect(feed, &JobMetricsFeed::pointsAppended, this,
                    [this, name] { Q_EMIT runUpdated(name); });
            connect(feed, &JobMetricsFeed::runReset, this,
                    [this, name] { Q_EMIT runUpdated(name); });
            connect(feed, &JobMetricsFeed::fetchFinished, this, [this, name] {
                m_readOnce.insert(name);
                if (m_unsettledRuns.remove(name) && m_unsettledRuns.isEmpty())
                    Q_EMIT followedRunsRead();
            });
        }
        // Jobs still queued or validating have no metrics to wait for.
        if ((job.state == JobState::Running || job.state == JobState::WritingResults) &&
            !m_readOnce.contains(job.name))
            m_unsettledRuns.insert(job.name);
        feed->setJob(job);
    }
    for (auto it = m_feeds.begin(); it != m_feeds.end();) {
        if (followed.contains(it.key())) {
            ++it;
        } else {
            m_unsettledRuns.remove(it.key());
            m_readOnce.remove(it.key());
            it.value()->deleteLater();
            it = m_feeds.erase(it);
        }
    }
}

bool AccountSnapshot::runsSettled() const
{
    return m_unsettledRuns.isEmpty();
}

const TrainingRun *AccountSnapshot::runOf(const QString &jobName) const
{
    const auto it = m_feeds.constFind(jobName);
    return it == m_feeds.constEnd() ? nullptr : &it.value()->run();
}

int AccountSnapshot::headlineSeries(const TrainingRun &run, bool preferReward)
{
    int loss = -1;
    int reward = -1;
    for (int i = 0; i < run.series.size(); ++i) {
        if (run.series[i].points.isEmpty())
            continue;
        const PanelGroup group = panelGroupFor(run.series[i].name);
        if (group == PanelGroup::Reward && reward < 0)
            reward = i;
        if (group == PanelGroup::Loss && loss < 0)
            loss = i;
    }
    return (preferReward && reward >= 0) || loss < 0 ? reward : loss;
}

bool AccountSnapshot::isOnThisComputer() const
{
    return client::isLoopbackPlatform(m_api->baseUrl());
}

} // namespace models
