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
    QString error; //!< why the family could not be loaded this time, empty when it was
    //! The counts above are the last good ones, kept because a quiet reload failed for this
    //! family (error says why): how many there were, and when (loadedAt) that was true.
    bool stale = false;
    //! When the counts were loaded (for a stale family, the last load that worked); invalid
    //! when the family failed and there is nothing to keep.
    QDateTime loadedAt;
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
//! while something is transitioning it refreshes itself (quietly) every few seconds.
//! A load gathers its answers aside and replaces what the getters return in one step when
//! the last one is in (changed()), so they never describe a half-loaded account.
//! A quiet reload that fails for a family keeps that family's last good counts (marked
//! stale, with the time they were loaded) and its rows in the lists, deployments and active
//! jobs; a refresh() that fails (F5, another profile) keeps nothing from before, and the
//! next load that works for the family clears the mark.
class AccountSnapshot : public QObject
{
    Q_OBJECT
public:
    explicit AccountSnapshot(client::ApiClient *api, QObject *parent = nullptr); // api not owned

    //! Loads everything again (F5, a profile switch); replaces a load in flight.
    void refresh();
    //! Loads everything again as refresh() does, for a view that keeps showing what it has
    //! meanwhile and updates in place (the window activated, the self-refresh). Does nothing
    //! while a load is in flight: that one brings fresh data.
    void refreshQuietly();
    bool isLoading() const { return m_pending > 0; }
    //! The load in flight is a refreshQuietly().
    bool isLoadingQuietly() const { return isLoading() && m_quiet; }
    QString accountName() const { return m_shown.accountName; }
    //! The platform answers on this computer (the Local sandbox, or one started by hand), not
    //! on Fireworks: the overview then offers to add a Fireworks profile.
    bool isOnThisComputer() const;
    //! Models, datasets, deployments, fine-tuning jobs, in that order; a family a quiet
    //! reload could not load again has its last good counts, stale and with its error.
    const QList<ResourceSummary> &summaries() const { return m_shown.summaries; }
    //! The family listed on page `pageId` shows its last good counts and rows (see above).
    bool isStale(const QString &pageId) const;
    //! What is changing now, and the newest resources; both newest first. The rows of a
    //! stale family are the ones shown before, in their place by time.
    const QList<ActivityItem> &transitioning() const { return m_shown.transitioning; }
    const QList<ActivityItem> &recent() const { return m_shown.recent; }
    //! The deployments of the newest page that are not deleted, newest first (the ones
    //! shown before while the deployments are stale).
    const QList<client::Deployment> &deployments() const { return m_shown.deployments; }
    //! Fine-tuning jobs that have not reached a final state, newest first (the ones shown
    //! before while the jobs are stale).
    const QList<client::TrainingJob> &activeJobs() const { return m_shown.activeJobs; }
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
    std::optional<client::ApiError> firstError() const { return m_shown.firstError; }
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

    void start(bool quiet);

    //! What one load found.
    struct Contents
    {
        QString accountName;
        QList<ResourceSummary> summaries;
        QList<ActivityItem> transitioning;
        QList<ActivityItem> recent;
        QList<ActivityItem> recentPool; // every family's items, before the newest are taken
        QList<client::Deployment> deployments;
        QList<client::TrainingJob> activeJobs;
        std::optional<client::ApiError> firstError;
    };
    //! Marks the families `next` failed for in a quiet reload stale, with their last good
    //! counts and rows; remembers the ones it loaded as the last good.
    void keepLastGood(Contents &next);

    client::ApiClient *m_api;
    Contents m_shown; // what the getters return: the last load that finished
    Contents m_next;  // the load in flight
    // By family index: its counts as last loaded without an error (loadedAt says when).
    QHash<int, ResourceSummary> m_lastGood;
    QHash<QString, JobMetricsFeed *> m_feeds; // owned (children), keyed by job name
    QSet<QString> m_unsettledRuns;            // followed running jobs not read yet
    QSet<QString> m_readOnce;                 // followed jobs read at least once
    int m_pending = 0;
    int m_generation = 0;
    bool m_quiet = false; // the load in flight is a refreshQuietly()
    int m_pageSize = 200;
    int m_autoRefreshMs = 5000;
    QTimer *m_autoRefresh;
};

} // namespace models
