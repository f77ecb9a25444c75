#pragma once

// Batch inference jobs (platform-api.md §3.10-3.16).

#include <client/common.h>
#include <client/jobstate.h>
#include <client/pendingcall.h>

namespace client {

class ApiClient;

struct BatchInferenceJob
{
    QString name;
    QString displayName;
    QString model;
    QString inputDatasetId;
    QString outputDatasetId;
    QString precision;
    QString continuedFromJobName;
    std::optional<int> maxTokens;
    std::optional<double> temperature;
    JobState state = JobState::Unspecified;
    QString stateRaw;
    Status status;
    JobProgress jobProgress;
    QString createdBy;
    QDateTime createTime;
    QDateTime updateTime;
    QByteArray raw;
    static Result<BatchInferenceJob> fromJson(const QByteArray &json);
};

class BatchJobsClient
{
public:
    explicit BatchJobsClient(ApiClient *api) : m_api(api) {}
    PendingCall<Page<BatchInferenceJob>> *list(const ListRequest &request = {});
    PendingCall<BatchInferenceJob> *get(const QString &idOrName);
    PendingCall<BatchInferenceJob> *create(const QString &jobId, const BatchInferenceJob &job);
    PendingCall<Empty> *remove(const QString &idOrName);

private:
    ApiClient *m_api;
};

} // namespace client
