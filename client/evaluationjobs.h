#pragma once

// Evaluation jobs: an evaluator run over a dataset (platform-api.md §3.10-3.16).

#include <client/common.h>
#include <client/jobstate.h>
#include <client/pendingcall.h>

#include <QMap>

namespace client {

class ApiClient;

struct EvaluationJob
{
    QString name;
    QString displayName;
    QString evaluator;
    QString inputDataset;
    QString outputDataset;
    JobState state = JobState::Unspecified;
    QString stateRaw;
    Status status;
    QMap<QString, double> metrics;
    QString outputStats;
    QString createdBy;
    QDateTime createTime;
    QDateTime updateTime;
    QByteArray raw;
    static Result<EvaluationJob> fromJson(const QByteArray &json);
};

class EvaluationJobsClient
{
public:
    explicit EvaluationJobsClient(ApiClient *api) : m_api(api) {}
    PendingCall<Page<EvaluationJob>> *list(const ListRequest &request = {});
    PendingCall<EvaluationJob> *get(const QString &idOrName);
    PendingCall<EvaluationJob> *create(const QString &jobId, const EvaluationJob &job);
    PendingCall<Empty> *remove(const QString &idOrName);
    //! Empty until the job has started.
    PendingCall<QString> *executionLogUrl(const QString &idOrName);

private:
    ApiClient *m_api;
};

} // namespace client
