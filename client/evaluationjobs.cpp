#include "evaluationjobs.h"

#include "apiclient.h"
#include "detail/collection.h"

namespace client {

using namespace detail;

namespace {

EvaluationJob readEvaluationJob(const JsonReader &r)
{
    EvaluationJob e;
    e.name = r.str("name");
    e.displayName = r.str("displayName");
    e.evaluator = r.str("evaluator");
    e.inputDataset = r.str("inputDataset");
    e.outputDataset = r.str("outputDataset");
    e.stateRaw = r.str("state");
    e.state = readJobState(e.stateRaw);
    e.status = readStatus(r.object("status"));
    e.metrics = r.numberMap("metrics");
    e.outputStats = r.str("outputStats");
    e.createdBy = r.str("createdBy");
    e.createTime = r.time("createTime");
    e.updateTime = r.time("updateTime");
    e.raw = QByteArray::fromStdString(r.json().dump());
    return e;
}

} // namespace

Result<EvaluationJob> EvaluationJob::fromJson(const QByteArray &json)
{
    return decodeJson<EvaluationJob>(json, readEvaluationJob);
}

PendingCall<Page<EvaluationJob>> *EvaluationJobsClient::list(const ListRequest &request)
{
    return listCall<EvaluationJob>(*m_api, collectionPath(*m_api, QStringLiteral("evaluationJobs")),
                                   "evaluationJobs", request, readEvaluationJob);
}

PendingCall<EvaluationJob> *EvaluationJobsClient::get(const QString &idOrName)
{
    return getCall<EvaluationJob>(*m_api, QStringLiteral("evaluationJobs"), idOrName,
                                  "evaluationJob", readEvaluationJob);
}

PendingCall<EvaluationJob> *EvaluationJobsClient::create(const QString &jobId,
                                                         const EvaluationJob &job)
{
    if (!jobId.isEmpty() && !isValidResourceId(jobId))
        return PendingCall<EvaluationJob>::failed(invalidIdError("evaluationJobId", jobId), m_api);
    for (const auto &[field, value] :
         {std::pair{"evaluator", job.evaluator}, std::pair{"inputDataset", job.inputDataset},
          std::pair{"outputDataset", job.outputDataset}})
        if (value.isEmpty())
            return PendingCall<EvaluationJob>::failed(
                invalidArgument(QStringLiteral("%1 is required").arg(QLatin1String(field))), m_api);
    Json e = Json::object();
    putStr(e, "displayName", job.displayName);
    putStr(e, "evaluator", job.evaluator);
    putStr(e, "inputDataset", job.inputDataset);
    putStr(e, "outputDataset", job.outputDataset);
    Json body = {{"evaluationJob", e}};
    if (!jobId.isEmpty())
        body["evaluationJobId"] = toStd(jobId);
    return m_api->call<EvaluationJob>(
        m_api->makeJsonRequest("POST", collectionPath(*m_api, QStringLiteral("evaluationJobs")),
                               dump(body)),
        readEvaluationJob);
}

PendingCall<Empty> *EvaluationJobsClient::remove(const QString &idOrName)
{
    return deleteCall(*m_api, QStringLiteral("evaluationJobs"), idOrName, "evaluationJob");
}

PendingCall<QString> *EvaluationJobsClient::executionLogUrl(const QString &idOrName)
{
    return verbCall<QString>(*m_api, QStringLiteral("evaluationJobs"), idOrName,
                             QStringLiteral(":getExecutionLogEndpoint"),
                             [](const JsonReader &r) { return r.str("executionLogSignedUri"); });
}

} // namespace client
