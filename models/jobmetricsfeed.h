#pragma once

// A platform job's curves as a growing TrainingRun. The metrics JSONL (SFT, DPO, RFT) is read
// through client::SignedFetch: each poll fetches only the bytes after the last offset and
// parses them with client::MetricsJsonlParser, and an expired URL is replaced by a fresh one
// from the job (SFT) or `:getMetricsFileEndpoint` (DPO, RFT). RFT jobs add their outputMetrics
// curves and per-epoch evaluation rewards, re-read from the job on every setJob().

#include <client/trainingjobs.h>
#include <models/trainingrun.h>

#include <QObject>
#include <QPointer>

#include <memory>

namespace client {
class ApiClient;
class MetricsJsonlParser;
class SignedFetch;
struct ApiError;
} // namespace client

namespace models {

class JobMetricsFeed : public QObject
{
    Q_OBJECT

public:
    explicit JobMetricsFeed(client::ApiClient *api, QObject *parent = nullptr);
    ~JobMetricsFeed() override;

    //! The job, fresh from a poll. A different job starts over (runReset()); the same job
    //! updates the RFT curves and fetches the metrics file's new bytes, until one fetch after
    //! the job reached a final state.
    void setJob(const client::TrainingJob &job);
    const client::TrainingJob &job() const { return m_job; }
    const TrainingRun &run() const { return m_run; }

    //! Fetches the metrics file's new bytes now (no-op while a fetch runs).
    void poll();
    bool isFetching() const;
    //! Bytes of the metrics file read so far.
    qint64 bytesRead() const;
    //! Fresh URLs requested because an old one had expired.
    int urlRefreshes() const;

Q_SIGNALS:
    //! The run was replaced as a whole (another job, or the metrics file started over).
    void runReset();
    //! Points were appended to existing or new series: run().series[r.series].points[r.from..].
    void pointsAppended(const QList<models::AppendedRange> &ranges);
    //! A fetch of the metrics file ended; on failure `message` says why (the curves stay).
    void fetchFinished(bool ok, const QString &message);

private:
    void startOver();
    void updateRft();
    void onBytes(const QByteArray &bytes);
    void onRestarted();
    void updateStepsPerEpoch();

    client::ApiClient *m_api;
    client::TrainingJob m_job;
    TrainingRun m_run;
    std::unique_ptr<client::MetricsJsonlParser> m_parser;
    QPointer<client::SignedFetch> m_fetch;
    int m_issuesSeen = 0;
    bool m_finalFetchDone = false;
    bool m_hasJob = false;
};

} // namespace models
