#include "jobmetricsfeed.h"

#include <client/apiclient.h>
#include <client/jobstate.h>
#include <client/metrics.h>
#include <client/signedfetch.h>

namespace models {

namespace {

client::TrainingJobsClient jobsClient(client::ApiClient *api, client::TrainingJobKind kind)
{
    switch (kind) {
    case client::TrainingJobKind::Dpo:
        return api->dpoJobs();
    case client::TrainingJobKind::Rft:
        return api->rftJobs();
    case client::TrainingJobKind::Rlor:
        return api->rlorJobs();
    case client::TrainingJobKind::Sft:
        break;
    }
    return api->sftJobs();
}

bool isRftSeries(const QString &name)
{
    return name.startsWith(QLatin1String("reward/")) || name == QLatin1String("eval/reward");
}

} // namespace

JobMetricsFeed::JobMetricsFeed(client::ApiClient *api, QObject *parent)
    : QObject(parent), m_api(api), m_parser(std::make_unique<client::MetricsJsonlParser>())
{}

JobMetricsFeed::~JobMetricsFeed() = default;

bool JobMetricsFeed::isFetching() const
{
    return m_fetch && m_fetch->isBusy();
}

qint64 JobMetricsFeed::bytesRead() const
{
    return m_fetch ? m_fetch->offset() : 0;
}

int JobMetricsFeed::urlRefreshes() const
{
    return m_fetch ? m_fetch->urlRefreshes() : 0;
}

void JobMetricsFeed::startOver()
{
    delete m_fetch;
    m_parser = std::make_unique<client::MetricsJsonlParser>();
    m_issuesSeen = 0;
    m_finalFetchDone = false;
    m_run = runShellForJob(m_job);
    const QString name = m_job.name;
    const client::TrainingJobKind kind = m_job.kind;
    client::ApiClient *api = m_api;
    m_fetch = new client::SignedFetch(
        m_api,
        [api, name, kind] {
            // The app's own look-up: a failure is this tab's to show, not the status bar's.
            client::ApiClient::BackgroundScope background(api);
            return jobsClient(api, kind).metricsFileUrl(name);
        },
        this);
    connect(m_fetch, &client::SignedFetch::bytesArrived, this, &JobMetricsFeed::onBytes);
    connect(m_fetch, &client::SignedFetch::restarted, this, &JobMetricsFeed::onRestarted);
    connect(m_fetch, &client::SignedFetch::pollFinished, this,
            [this](bool ok, const client::ApiError &error) {
                Q_EMIT fetchFinished(ok, ok ? QString() : error.summary());
            });
}

void JobMetricsFeed::setJob(const client::TrainingJob &job)
{
    const bool sameJob = m_hasJob && job.name == m_job.name;
    m_job = job;
    m_hasJob = true;
    if (!sameJob) {
        startOver();
        if (!job.metricsFileSignedUrl.isEmpty())
            m_fetch->setUrl(QUrl(job.metricsFileSignedUrl));
        updateRft();
        Q_EMIT runReset();
    } else {
        // Keep the series, refresh what the job itself says (state, times, parameters).
        const TrainingRun shell = runShellForJob(job);
        m_run.parameters = shell.parameters;
        m_run.finished = shell.finished;
        if (!job.metricsFileSignedUrl.isEmpty() && m_fetch->url().isEmpty())
            m_fetch->setUrl(QUrl(job.metricsFileSignedUrl));
        updateRft();
    }
    const client::JobState state = job.state;
    const bool hasMetrics =
        state != client::JobState::Unspecified && state != client::JobState::Pending &&
        state != client::JobState::Validating && state != client::JobState::Creating;
    if (!hasMetrics)
        return;
    if (client::isTerminal(state)) {
        if (m_finalFetchDone)
            return;
        m_finalFetchDone = true; // one last read for the bytes written before the end
    }
    poll();
}

void JobMetricsFeed::poll()
{
    if (m_fetch && !m_fetch->isBusy())
        m_fetch->poll();
}

void JobMetricsFeed::updateRft()
{
    if (m_job.kind != client::TrainingJobKind::Rft)
        return;
    const auto parsed = client::parseRftMetrics(m_job.outputMetrics, m_job.outputStats);
    if (!parsed.ok()) {
        m_run.issues.append({0, QStringLiteral("outputMetrics"), parsed.error().message});
        return;
    }
    const TrainingRun rft = runFromRftMetrics(parsed.value(), m_run.name);
    if (rft.stepsPerEpoch > 0)
        m_run.stepsPerEpoch = rft.stepsPerEpoch;
    QList<AppendedRange> grown;
    bool rewritten = false;
    for (const RunSeries &fresh : rft.series) {
        int index = m_run.indexOf(fresh.name);
        if (index < 0) {
            m_run.series.append(RunSeries{fresh.name, {}, {}});
            index = int(m_run.series.size() - 1);
        }
        RunSeries &s = m_run.series[index];
        const qsizetype known = s.points.size();
        // The job carries whole curves: only a longer curve with the same start is an append.
        if (fresh.points.size() < known || fresh.points.mid(0, known) != s.points) {
            s.points = fresh.points;
            rewritten = true;
            continue;
        }
        if (fresh.points.size() > known) {
            s.points += fresh.points.mid(known);
            grown.append({index, known});
        }
    }
    for (const RunSeries &s : std::as_const(m_run.series))
        if (isRftSeries(s.name) && rft.indexOf(s.name) < 0)
            rewritten = true;
    if (rewritten) {
        m_run.series.removeIf(
            [&rft](const RunSeries &s) { return isRftSeries(s.name) && rft.indexOf(s.name) < 0; });
        Q_EMIT runReset();
    } else if (!grown.isEmpty()) {
        Q_EMIT pointsAppended(grown);
    }
}

void JobMetricsFeed::onBytes(const QByteArray &bytes)
{
    m_parser->feed(bytes);
    const QList<AppendedRange> grown = appendMetricPoints(m_run, m_parser->takeSeries());
    const auto &issues = m_parser->result().issues;
    for (; m_issuesSeen < issues.size(); ++m_issuesSeen)
        m_run.issues.append({issues[m_issuesSeen].line, QString(), issues[m_issuesSeen].message});
    updateStepsPerEpoch();
    if (!grown.isEmpty())
        Q_EMIT pointsAppended(grown);
}

void JobMetricsFeed::onRestarted()
{
    m_parser = std::make_unique<client::MetricsJsonlParser>();
    m_issuesSeen = 0;
    m_run.series.removeIf([](const RunSeries &s) { return !isRftSeries(s.name); });
    Q_EMIT runReset();
}

void JobMetricsFeed::updateStepsPerEpoch()
{
    for (const char *name : {"train/epoch", "epoch"}) {
        const int i = m_run.indexOf(QLatin1String(name));
        if (i < 0 || m_run.series[i].points.isEmpty())
            continue;
        const QPointF last = m_run.series[i].points.last();
        if (last.y() > 0)
            m_run.stepsPerEpoch = last.x() / last.y();
        return;
    }
}

} // namespace models
