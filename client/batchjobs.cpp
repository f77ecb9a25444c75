#include "batchjobs.h"

#include "apiclient.h"
#include "detail/collection.h"

namespace client {

using namespace detail;

namespace {

BatchInferenceJob readBatchJob(const JsonReader &r)
{
    BatchInferenceJob b;
    b.name = r.str("name");
    b.displayName = r.str("displayName");
    b.model = r.str("model");
    b.inputDatasetId = r.str("inputDatasetId");
    b.outputDatasetId = r.str("outputDatasetId");
    b.precision = r.str("precision");
    b.continuedFromJobName = r.str("continuedFromJobName");
    const JsonReader ip = r.object("inferenceParameters");
    b.maxTokens = ip.optInt32("maxTokens");
    b.temperature = ip.optNumber("temperature");
    b.stateRaw = r.str("state");
    b.state = readJobState(b.stateRaw);
    b.status = readStatus(r.object("status"));
    b.jobProgress = readJobProgress(r.object("jobProgress"));
    b.createdBy = r.str("createdBy");
    b.createTime = r.time("createTime");
    b.updateTime = r.time("updateTime");
    b.raw = QByteArray::fromStdString(r.json().dump());
    return b;
}

} // namespace

Result<BatchInferenceJob> BatchInferenceJob::fromJson(const QByteArray &json)
{
    return decodeJson<BatchInferenceJob>(json, readBatchJob);
}

PendingCall<Page<BatchInferenceJob>> *BatchJobsClient::list(const ListRequest &request)
{
    return listCall<BatchInferenceJob>(*m_api,
                                       collectionPath(*m_api, QStringLiteral("batchInferenceJobs")),
                                       "batchInferenceJobs", request, readBatchJob);
}

PendingCall<BatchInferenceJob> *BatchJobsClient::get(const QString &idOrName)
{
    return getCall<BatchInferenceJob>(*m_api, QStringLiteral("batchInferenceJobs"), idOrName,
                                      "batchInferenceJob", readBatchJob);
}

PendingCall<BatchInferenceJob> *BatchJobsClient::create(const QString &jobId,
                                                        const BatchInferenceJob &job)
{
    if (!jobId.isEmpty() && !isValidResourceId(jobId))
        return PendingCall<BatchInferenceJob>::failed(invalidIdError("batchInferenceJobId", jobId),
                                                      m_api);
    if (job.continuedFromJobName.isEmpty() && (job.model.isEmpty() || job.inputDatasetId.isEmpty()))
        return PendingCall<BatchInferenceJob>::failed(
            invalidArgument(QStringLiteral("model and inputDatasetId are required")), m_api);
    Json b = Json::object();
    putStr(b, "displayName", job.displayName);
    putStr(b, "model", job.model);
    putStr(b, "inputDatasetId", job.inputDatasetId);
    putStr(b, "outputDatasetId", job.outputDatasetId);
    putStr(b, "precision", job.precision);
    putStr(b, "continuedFromJobName", job.continuedFromJobName);
    Json ip = Json::object();
    putOpt(ip, "maxTokens", job.maxTokens);
    putOpt(ip, "temperature", job.temperature);
    if (!ip.empty())
        b["inferenceParameters"] = ip;
    QUrlQuery q;
    if (!jobId.isEmpty())
        q.addQueryItem(QStringLiteral("batchInferenceJobId"), jobId);
    return m_api->call<BatchInferenceJob>(
        m_api->makeJsonRequest("POST", collectionPath(*m_api, QStringLiteral("batchInferenceJobs")),
                               dump(b), q),
        readBatchJob);
}

PendingCall<Empty> *BatchJobsClient::remove(const QString &idOrName)
{
    return deleteCall(*m_api, QStringLiteral("batchInferenceJobs"), idOrName, "batchInferenceJob");
}

} // namespace client
