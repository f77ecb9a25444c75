#include "trainingjobs.h"

#include "apiclient.h"
#include "detail/collection.h"

#include <QJsonDocument>

namespace client {

using namespace detail;

namespace {

const char *listKey(TrainingJobKind kind)
{
    switch (kind) {
    case TrainingJobKind::Sft:
        return "supervisedFineTuningJobs";
    case TrainingJobKind::Dpo:
        return "dpoJobs";
    case TrainingJobKind::Rft:
        return "reinforcementFineTuningJobs";
    case TrainingJobKind::Rlor:
        return "rlorTrainerJobs";
    }
    return "";
}

const char *idParam(TrainingJobKind kind)
{
    switch (kind) {
    case TrainingJobKind::Sft:
        return "supervisedFineTuningJobId";
    case TrainingJobKind::Dpo:
        return "dpoJobId";
    case TrainingJobKind::Rft:
        return "reinforcementFineTuningJobId";
    case TrainingJobKind::Rlor:
        return "rlorTrainerJobId";
    }
    return "";
}

TrainingJob readTrainingJob(TrainingJobKind kind, const JsonReader &r)
{
    TrainingJob j;
    j.kind = kind;
    j.name = r.str("name");
    j.displayName = r.str("displayName");
    j.stateRaw = r.str("state");
    j.state = readJobState(j.stateRaw);
    j.status = readStatus(r.object("status"));
    j.dataset = r.str("dataset");
    j.evaluationDataset = r.str("evaluationDataset");
    j.evalAutoCarveout = r.boolean("evalAutoCarveout");
    j.evaluator = r.str("evaluator");
    // SFT has the knobs on the job itself; the other kinds nest them.
    const JsonReader t = kind == TrainingJobKind::Sft ? r : r.object("trainingConfig");
    j.baseModel = t.str("baseModel");
    j.warmStartFrom = t.str("warmStartFrom");
    j.outputModel = t.str("outputModel");
    j.epochs = t.optInt32("epochs");
    j.learningRate = t.optNumber("learningRate");
    j.loraRank = t.optInt32("loraRank");
    j.maxContextLength = t.optInt32("maxContextLength");
    j.batchSize = t.optInt32("batchSize");
    j.learningRateWarmupSteps = t.optInt32("learningRateWarmupSteps");
    j.lossMethod = r.object("lossConfig").str("method");
    const JsonReader ip = r.object("inferenceParameters");
    j.inferenceParameters.maxOutputTokens = ip.optInt32("maxOutputTokens");
    j.inferenceParameters.temperature = ip.optNumber("temperature");
    j.inferenceParameters.topP = ip.optNumber("topP");
    j.inferenceParameters.topK = ip.optInt32("topK");
    j.inferenceParameters.responseCandidatesCount = ip.optInt32("responseCandidatesCount");
    j.jobProgress = readJobProgress(r.object("jobProgress"));
    j.createdBy = r.str("createdBy");
    j.metricsFileSignedUrl = r.str("metricsFileSignedUrl");
    j.trainerLogsSignedUrl = r.str("trainerLogsSignedUrl");
    j.outputMetrics = r.str("outputMetrics");
    j.outputStats = r.str("outputStats");
    j.createTime = r.time("createTime");
    j.updateTime = r.time("updateTime");
    j.completedTime = r.time("completedTime");
    j.raw = QByteArray::fromStdString(r.json().dump());
    return j;
}

Json trainingJobBody(const TrainingJob &j)
{
    Json body = Json::object();
    putStr(body, "displayName", j.displayName);
    putStr(body, "dataset", j.dataset);
    putStr(body, "evaluationDataset", j.evaluationDataset);
    if (j.evalAutoCarveout)
        body["evalAutoCarveout"] = true;
    putStr(body, "evaluator", j.evaluator);
    Json t = Json::object();
    putStr(t, "baseModel", j.baseModel);
    putStr(t, "warmStartFrom", j.warmStartFrom);
    putStr(t, "outputModel", j.outputModel);
    putOpt(t, "epochs", j.epochs);
    putOpt(t, "learningRate", j.learningRate);
    putOpt(t, "loraRank", j.loraRank);
    putOpt(t, "maxContextLength", j.maxContextLength);
    putOpt(t, "batchSize", j.batchSize);
    putOpt(t, "learningRateWarmupSteps", j.learningRateWarmupSteps);
    if (j.kind == TrainingJobKind::Sft)
        body.update(t);
    else if (!t.empty())
        body["trainingConfig"] = t;
    if (!j.lossMethod.isEmpty())
        body["lossConfig"] = {{"method", toStd(j.lossMethod)}};
    Json ip = Json::object();
    putOpt(ip, "maxOutputTokens", j.inferenceParameters.maxOutputTokens);
    putOpt(ip, "temperature", j.inferenceParameters.temperature);
    putOpt(ip, "topP", j.inferenceParameters.topP);
    putOpt(ip, "topK", j.inferenceParameters.topK);
    putOpt(ip, "responseCandidatesCount", j.inferenceParameters.responseCandidatesCount);
    if (!ip.empty())
        body["inferenceParameters"] = ip;
    if (!j.settings.isEmpty())
        body.merge_patch(
            Json::parse(QJsonDocument(j.settings).toJson(QJsonDocument::Compact).toStdString()));
    return body;
}

} // namespace

QString trainingJobCollection(TrainingJobKind kind)
{
    return QString::fromLatin1(listKey(kind));
}

Result<TrainingJob> TrainingJob::fromJson(TrainingJobKind kind, const QByteArray &json)
{
    return decodeJson<TrainingJob>(
        json, [kind](const JsonReader &r) { return readTrainingJob(kind, r); });
}

PendingCall<Page<TrainingJob>> *TrainingJobsClient::list(const ListRequest &request)
{
    const auto kind = m_kind;
    return listCall<TrainingJob>(*m_api, collectionPath(*m_api, trainingJobCollection(kind)),
                                 listKey(kind), request,
                                 [kind](const JsonReader &r) { return readTrainingJob(kind, r); });
}

PendingCall<TrainingJob> *TrainingJobsClient::get(const QString &idOrName)
{
    const auto kind = m_kind;
    return getCall<TrainingJob>(*m_api, trainingJobCollection(kind), idOrName, "job",
                                [kind](const JsonReader &r) { return readTrainingJob(kind, r); });
}

PendingCall<TrainingJob> *TrainingJobsClient::create(const QString &jobId, const TrainingJob &job)
{
    if (!jobId.isEmpty() && !isValidResourceId(jobId))
        return PendingCall<TrainingJob>::failed(invalidIdError(idParam(m_kind), jobId), m_api);
    if (job.dataset.isEmpty() && m_kind != TrainingJobKind::Rlor)
        return PendingCall<TrainingJob>::failed(
            invalidArgument(QStringLiteral("dataset is required")), m_api);
    if (m_kind == TrainingJobKind::Rft && job.evaluator.isEmpty())
        return PendingCall<TrainingJob>::failed(
            invalidArgument(QStringLiteral("evaluator is required")), m_api);
    if (!job.baseModel.isEmpty() && !job.warmStartFrom.isEmpty())
        return PendingCall<TrainingJob>::failed(
            invalidArgument(QStringLiteral("set either baseModel or warmStartFrom, not both")),
            m_api);
    const auto kind = m_kind;
    return m_api->call<TrainingJob>(createRequest(jobId, job), [kind](const JsonReader &r) {
        return readTrainingJob(kind, r);
    });
}

HttpRequest TrainingJobsClient::createRequest(const QString &jobId, const TrainingJob &job) const
{
    QUrlQuery q;
    if (!jobId.isEmpty())
        q.addQueryItem(QLatin1String(idParam(m_kind)), jobId);
    TrainingJob shaped = job;
    shaped.kind = m_kind; // the collection decides the wire shape (flat for SFT)
    return m_api->makeJsonRequest("POST", collectionPath(*m_api, trainingJobCollection(m_kind)),
                                  dump(trainingJobBody(shaped)), q);
}

PendingCall<Empty> *TrainingJobsClient::remove(const QString &idOrName)
{
    return deleteCall(*m_api, trainingJobCollection(m_kind), idOrName, "job");
}

PendingCall<Empty> *TrainingJobsClient::cancel(const QString &idOrName)
{
    return withResourcePath<Empty>(
        *m_api, trainingJobCollection(m_kind), idOrName, "job", [&](const QString &path) {
            return m_api->call<Empty>(
                m_api->makeJsonRequest("POST", path + QStringLiteral(":cancel"), "{}"),
                decodeEmpty);
        });
}

PendingCall<TrainingJob> *TrainingJobsClient::resume(const QString &idOrName)
{
    return withResourcePath<TrainingJob>(
        *m_api, trainingJobCollection(m_kind), idOrName, "job", [&](const QString &path) {
            const auto kind = m_kind;
            return m_api->call<TrainingJob>(
                m_api->makeJsonRequest("POST", path + QStringLiteral(":resume"), "{}"),
                [kind](const JsonReader &r) { return readTrainingJob(kind, r); });
        });
}

PendingCall<QString> *TrainingJobsClient::metricsFileUrl(const QString &idOrName)
{
    return withResourcePath<QString>(
        *m_api, trainingJobCollection(m_kind), idOrName, "job", [&](const QString &path) {
            if (m_kind == TrainingJobKind::Sft || m_kind == TrainingJobKind::Rlor)
                return m_api->call<QString>(
                    m_api->makeRequest("GET", path),
                    [](const JsonReader &r) { return r.str("metricsFileSignedUrl"); });
            return m_api->call<QString>(
                m_api->makeRequest("GET", path + QStringLiteral(":getMetricsFileEndpoint")),
                [](const JsonReader &r) { return r.str("signedUrl"); });
        });
}

PendingCall<Money> *TrainingJobsClient::estimateCost(const TrainingJob &job)
{
    if (m_kind != TrainingJobKind::Sft)
        return PendingCall<Money>::failed(
            invalidArgument(
                QStringLiteral("cost estimates exist for supervised fine-tuning jobs only")),
            m_api);
    TrainingJob shaped = job;
    shaped.kind = m_kind;
    return m_api->call<Money>(
        m_api->makeJsonRequest("POST",
                               collectionPath(*m_api, trainingJobCollection(m_kind)) +
                                   QStringLiteral(":estimateCost"),
                               dump(trainingJobBody(shaped))),
        [](const JsonReader &r) {
            const JsonReader m = r.object("estimatedCost");
            return Money{m.str("currencyCode"), m.int64("units"), m.int32("nanos")};
        });
}

PendingCall<Empty> *TrainingJobsClient::executeTrainStep(const QString &idOrName,
                                                         const QString &dataset,
                                                         const QString &outputModel)
{
    return withResourcePath<Empty>(
        *m_api, trainingJobCollection(m_kind), idOrName, "job", [&](const QString &path) {
            if (dataset.isEmpty() || outputModel.isEmpty())
                return PendingCall<Empty>::failed(
                    invalidArgument(QStringLiteral("dataset and outputModel are required")), m_api);
            Json body = {{"dataset", toStd(dataset)}, {"outputModel", toStd(outputModel)}};
            return m_api->call<Empty>(
                m_api->makeJsonRequest("POST", path + QStringLiteral(":executeTrainStep"),
                                       dump(body)),
                decodeEmpty);
        });
}

PendingCall<Page<Checkpoint>> *TrainingJobsClient::checkpoints(const QString &idOrName,
                                                               const ListRequest &request)
{
    return withResourcePath<Page<Checkpoint>>(
        *m_api, trainingJobCollection(m_kind), idOrName, "job", [&](const QString &path) {
            return listCall<Checkpoint>(*m_api, path + QStringLiteral("/checkpoints"),
                                        "checkpoints", request, [](const JsonReader &r) {
                                            return Checkpoint{r.str("name"), r.time("createTime"),
                                                              r.str("checkpointType"),
                                                              r.boolean("promotable")};
                                        });
        });
}

PendingCall<QString> *TrainingJobsClient::publicLogsUrl(const QString &idOrName)
{
    return verbCall<QString>(*m_api, trainingJobCollection(m_kind), idOrName,
                             QStringLiteral("/publicLogs"),
                             [](const JsonReader &r) { return r.str("signedUrl"); });
}

} // namespace client
