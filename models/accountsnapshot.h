#pragma once

#include <client/apiclient.h>
#include <client/deployments.h>
#include <client/trainingjobs.h>

#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QSet>

class QTimer;

namespace models {

class JobMetricsFeed;
struct TrainingRun;

//! How many resources of one family are in one state.
struct StateCount
{
    QString state; //!< as the server spells it, JOB_STATE_ prefix dropped
    int count = 0;
};

//! Counts of one resource family (models, datasets, deployments, fine-tuning jobs).
struct ResourceSummary
{
    QString pageId; //!< the page that lists them, empty when there is none yet
    QString title;
    int total = 0;   //!< what the server reported (totalSize), or the rows seen
    int counted = 0; //!< rows the state counts cover (the newest pageSize ones)
    QList<StateCount> byState;
    QString error; //!< why the family could not be loaded, empty when it was
};

//! One resource in the "transitioning now" and "recent" lists.
struct ActivityItem
{
    QString pageId; //!< the page that shows it, empty when there is none yet
    QString kind;   //!< "Deployment", "SFT job", …
    QString name;   //!< full resource name
    QString displayName;
    QString state;
    QDateTime createTime;
    QDateTime updateTime;
};

//! The account at a glance: counts by state per family, what is changing now, and the
//! newest resources. One page (the newest pageSize) per collection, fetched in parallel;
//! while something is transitioning it refreshes itself every few seconds.
class AccountSnapshot : public QObject
{
    Q_OBJECT
public:
    explicit AccountSnapshot(client::ApiClient *api, QObject *parent = nullptr); // api not owned

    void refresh();
    bool isLoading() const { return m_pending > 0; }
    QString accountName() const { return m_accountName; }
    const QList<ResourceSummary> &summaries() const { return m_summaries; }
    const QList<ActivityItem> &transitioning() const { return m_transitioning; }
    const QList<ActivityItem> &recent() const { return m_recent; }
    //! The deployments of the newest page that are not deleted, newest first.
    const QList<client::Deployment> &deployments() const { return m_deployments; }
    //! Fine-tuning jobs that have not reached a final state, newest first.
    const QList<client::TrainingJob> &activeJobs() const { return m_activeJobs; }
    //! The metrics of an active job as far as they have been read (the first kMaxFollowedJobs
    //! active jobs are followed); nullptr for any other job.
    const TrainingRun *runOf(const QString &jobName) const;
    //! The series a glance at `run` should show: the first reward series when `preferReward`
    //! (RFT jobs) or when there is no loss, else the first loss series; -1 when it has neither.
    static int headlineSeries(const TrainingRun &run, bool preferReward);
    static constexpr int kMaxFollowedJobs = 4;
    //! Every followed job that has metrics by now has had its metrics read once (a glance
    //! drawn before that would say "no metrics yet" for a job that has them).
    bool runsSettled() const;
    //! One line per family that failed ("Datasets: 401 UNAUTHENTICATED: …").
    QStringList errors() const;
    //! Kind of the first failure (for the page's wording), when any.
    std::optional<client::ApiError> firstError() const { return m_firstError; }
    void setPageSize(int pageSize) { m_pageSize = pageSize; }
    //! Self-refresh interval while something transitions; 0 turns it off.
    void setAutoRefreshMs(int ms) { m_autoRefreshMs = ms; }

Q_SIGNALS:
    void loadingChanged(bool loading);
    void changed();
    //! New metrics of a followed job arrived (runOf(jobName) has them).
    void runUpdated(const QString &jobName);
    //! runsSettled() became true.
    void followedRunsRead();

private:
    template <typename T>
    void fetch(int summary, client::PendingCall<client::Page<T>> *call,
               std::function<ActivityItem(const T &)> describe,
               std::function<bool(const T &)> transitional);
    void finishOne();
    void followActiveJobs();

    client::ApiClient *m_api;
    QString m_accountName;
    QList<ResourceSummary> m_summaries;
    QList<ActivityItem> m_transitioning;
    QList<ActivityItem> m_recent;
    QList<ActivityItem> m_recentPool;
    QList<client::Deployment> m_deployments;
    QList<client::TrainingJob> m_activeJobs;
    QHash<QString, JobMetricsFeed *> m_feeds; // owned (children), keyed by job name
    QSet<QString> m_unsettledRuns;            // followed running jobs not read yet
    QSet<QString> m_readOnce;                 // followed jobs read at least once
    std::optional<client::ApiError> m_firstError;
    int m_pending = 0;
    int m_generation = 0;
    int m_pageSize = 200;
    int m_autoRefreshMs = 5000;
    QTimer *m_autoRefresh;
};

} // namespace models
