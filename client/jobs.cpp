#include "jobs.h"

#include "apiclient.h"
#include "detail/collection.h"

namespace client {

using namespace detail;

namespace {

const EnumName<JobState> kStates[] = {
    {JobState::Unspecified, "JOB_STATE_UNSPECIFIED"},
    {JobState::Creating, "JOB_STATE_CREATING"},
    {JobState::Pending, "JOB_STATE_PENDING"},
    {JobState::Validating, "JOB_STATE_VALIDATING"},
    {JobState::CreatingInputDataset, "JOB_STATE_CREATING_INPUT_DATASET"},
    {JobState::Running, "JOB_STATE_RUNNING"},
    {JobState::WritingResults, "JOB_STATE_WRITING_RESULTS"},
    {JobState::ReQueueing, "JOB_STATE_RE_QUEUEING"},
    {JobState::Idle, "JOB_STATE_IDLE"},
    {JobState::Paused, "JOB_STATE_PAUSED"},
    {JobState::Cancelling, "JOB_STATE_CANCELLING"},
    {JobState::Completed, "JOB_STATE_COMPLETED"},
    {JobState::Failed, "JOB_STATE_FAILED"},
    {JobState::Cancelled, "JOB_STATE_CANCELLED"},
    {JobState::EarlyStopped, "JOB_STATE_EARLY_STOPPED"},
    {JobState::Expired, "JOB_STATE_EXPIRED"},
    {JobState::Deleting, "JOB_STATE_DELETING"},
    {JobState::DeletingCleaningUp, "JOB_STATE_DELETING_CLEANING_UP"},
    {JobState::Deleted, "JOB_STATE_DELETED"},
    {JobState::Archived, "JOB_STATE_ARCHIVED"},
};

JobState readState(const QString &raw)
{
    return enumFromString(raw, kStates, JobState::Unknown);
}

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
    j.state = readState(j.stateRaw);
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
    return body;
}

Evaluator readEvaluator(const JsonReader &r)
{
    Evaluator e;
    e.name = r.str("name");
    e.displayName = r.str("displayName");
    e.description = r.str("description");
    e.state = r.str("state");
    e.status = readStatus(r.object("status"));
    e.entryPoint = r.str("entryPoint");
    e.requirements = r.str("requirements");
    e.createdBy = r.str("createdBy");
    e.createTime = r.time("createTime");
    e.updateTime = r.time("updateTime");
    e.criteria = r.raw("criteria");
    e.raw = QByteArray::fromStdString(r.json().dump());
    return e;
}

Json evaluatorBody(const Evaluator &e)
{
    Json j = Json::object();
    putStr(j, "displayName", e.displayName);
    putStr(j, "description", e.description);
    putStr(j, "entryPoint", e.entryPoint);
    putStr(j, "requirements", e.requirements);
    if (!e.criteria.isEmpty()) {
        Json c = Json::parse(e.criteria.constBegin(), e.criteria.constEnd(), nullptr, false);
        if (!c.is_discarded())
            j["criteria"] = c;
    }
    return j;
}

EvaluationJob readEvaluationJob(const JsonReader &r)
{
    EvaluationJob e;
    e.name = r.str("name");
    e.displayName = r.str("displayName");
    e.evaluator = r.str("evaluator");
    e.inputDataset = r.str("inputDataset");
    e.outputDataset = r.str("outputDataset");
    e.stateRaw = r.str("state");
    e.state = readState(e.stateRaw);
    e.status = readStatus(r.object("status"));
    e.metrics = r.numberMap("metrics");
    e.outputStats = r.str("outputStats");
    e.createdBy = r.str("createdBy");
    e.createTime = r.time("createTime");
    e.updateTime = r.time("updateTime");
    e.raw = QByteArray::fromStdString(r.json().dump());
    return e;
}

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
    b.state = readState(b.stateRaw);
    b.status = readStatus(r.object("status"));
    b.jobProgress = readJobProgress(r.object("jobProgress"));
    b.createdBy = r.str("createdBy");
    b.createTime = r.time("createTime");
    b.updateTime = r.time("updateTime");
    b.raw = QByteArray::fromStdString(r.json().dump());
    return b;
}

} // namespace

QString jobStateName(JobState state, const QString &raw)
{
    return enumToString(state, kStates, raw);
}

QString jobStateLabel(JobState state, const QString &raw)
{
    QString s = jobStateName(state, raw);
    if (s.startsWith(QLatin1String("JOB_STATE_")))
        s = s.mid(10);
    return s;
}

bool isTerminal(JobState state)
{
    switch (state) {
    case JobState::Completed:
    case JobState::Failed:
    case JobState::Cancelled:
    case JobState::EarlyStopped:
    case JobState::Expired:
    case JobState::Deleted:
    case JobState::Archived:
        return true;
    default:
        return false;
    }
}

QString trainingJobCollection(TrainingJobKind kind)
{
    return QString::fromLatin1(listKey(kind));
}

Result<TrainingJob> TrainingJob::fromJson(TrainingJobKind kind, const QByteArray &json)
{
    return decodeJson<TrainingJob>(
        json, [kind](const JsonReader &r) { return readTrainingJob(kind, r); });
}
Result<Evaluator> Evaluator::fromJson(const QByteArray &json)
{
    return decodeJson<Evaluator>(json, readEvaluator);
}
Result<EvaluationJob> EvaluationJob::fromJson(const QByteArray &json)
{
    return decodeJson<EvaluationJob>(json, readEvaluationJob);
}
Result<BatchInferenceJob> BatchInferenceJob::fromJson(const QByteArray &json)
{
    return decodeJson<BatchInferenceJob>(json, readBatchJob);
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
    QUrlQuery q;
    if (!jobId.isEmpty())
        q.addQueryItem(QLatin1String(idParam(m_kind)), jobId);
    const auto kind = m_kind;
    TrainingJob shaped = job;
    shaped.kind = kind; // the collection decides the wire shape (flat for SFT)
    return m_api->call<TrainingJob>(
        m_api->makeJsonRequest("POST", collectionPath(*m_api, trainingJobCollection(kind)),
                               dump(trainingJobBody(shaped)), q),
        [kind](const JsonReader &r) { return readTrainingJob(kind, r); });
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

PendingCall<Page<Evaluator>> *EvaluatorsClient::list(const ListRequest &request)
{
    return listCall<Evaluator>(*m_api, collectionPath(*m_api, QStringLiteral("evaluators")),
                               "evaluators", request, readEvaluator);
}

PendingCall<Evaluator> *EvaluatorsClient::get(const QString &idOrName)
{
    return getCall<Evaluator>(*m_api, QStringLiteral("evaluators"), idOrName, "evaluator",
                              readEvaluator);
}

PendingCall<Evaluator> *EvaluatorsClient::create(const QString &evaluatorId,
                                                 const Evaluator &evaluator)
{
    if (!evaluatorId.isEmpty() && !isValidResourceId(evaluatorId))
        return PendingCall<Evaluator>::failed(invalidIdError("evaluatorId", evaluatorId), m_api);
    Json body = {{"evaluator", evaluatorBody(evaluator)}};
    if (!evaluatorId.isEmpty())
        body["evaluatorId"] = toStd(evaluatorId);
    return m_api->call<Evaluator>(
        m_api->makeJsonRequest("POST", collectionPath(*m_api, QStringLiteral("evaluatorsV2")),
                               dump(body)),
        readEvaluator);
}

PendingCall<Evaluator> *EvaluatorsClient::update(const QString &idOrName,
                                                 const Evaluator &evaluator,
                                                 const QStringList &updateMask)
{
    return withResourcePath<Evaluator>(
        *m_api, QStringLiteral("evaluators"), idOrName, "evaluator", [&](const QString &path) {
            const QUrlQuery q = updateMaskQuery(updateMask);
            return m_api->call<Evaluator>(
                m_api->makeJsonRequest("PATCH", path, dump(evaluatorBody(evaluator)), q),
                readEvaluator);
        });
}

PendingCall<Empty> *EvaluatorsClient::remove(const QString &idOrName)
{
    return deleteCall(*m_api, QStringLiteral("evaluators"), idOrName, "evaluator");
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

namespace {
template <typename T>
PendingCall<T> *verbCall(ApiClient &api, const QString &collection, const QString &idOrName,
                         const QString &suffix, std::function<T(const JsonReader &)> decode)
{
    return withResourcePath<T>(api, collection, idOrName, "name", [&](const QString &path) {
        return api.call<T>(api.makeRequest("GET", path + suffix), decode);
    });
}
} // namespace

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

PendingCall<SignedUrls> *
EvaluatorsClient::getUploadEndpoint(const QString &idOrName,
                                    const QMap<QString, qint64> &filenameToSize)
{
    return withResourcePath<SignedUrls>(
        *m_api, QStringLiteral("evaluators"), idOrName, "evaluator",
        [&](const QString &path) { return uploadEndpointCall(*m_api, path, filenameToSize); });
}

PendingCall<Empty> *EvaluatorsClient::validateUpload(const QString &idOrName)
{
    return withResourcePath<Empty>(
        *m_api, QStringLiteral("evaluators"), idOrName, "evaluator", [&](const QString &path) {
            return m_api->call<Empty>(
                m_api->makeJsonRequest("POST", path + QStringLiteral(":validateUpload"), "{}"),
                decodeEmpty);
        });
}

PendingCall<QString> *EvaluatorsClient::buildLogUrl(const QString &idOrName)
{
    return verbCall<QString>(*m_api, QStringLiteral("evaluators"), idOrName,
                             QStringLiteral(":getBuildLogEndpoint"),
                             [](const JsonReader &r) { return r.str("buildLogSignedUri"); });
}

PendingCall<SignedUrls> *EvaluatorsClient::sourceCodeUrls(const QString &idOrName)
{
    return verbCall<SignedUrls>(*m_api, QStringLiteral("evaluators"), idOrName,
                                QStringLiteral(":getSourceCodeSignedUrl"), readSignedUrls);
}

PendingCall<QString> *EvaluationJobsClient::executionLogUrl(const QString &idOrName)
{
    return verbCall<QString>(*m_api, QStringLiteral("evaluationJobs"), idOrName,
                             QStringLiteral(":getExecutionLogEndpoint"),
                             [](const JsonReader &r) { return r.str("executionLogSignedUri"); });
}

PendingCall<QByteArray> *EvaluatorsClient::preview(const Evaluator &evaluator,
                                                   const QStringList &sampleData, int maxSamples)
{
    if (sampleData.isEmpty())
        return PendingCall<QByteArray>::failed(
            invalidArgument(QStringLiteral("sampleData is empty")), m_api);
    Json samples = Json::array();
    for (const QString &row : sampleData)
        samples.push_back(toStd(row));
    Json body = {{"evaluator", evaluatorBody(evaluator)}, {"sampleData", samples}};
    if (maxSamples > 0)
        body["maxSamples"] = maxSamples;
    auto request = m_api->makeJsonRequest("POST",
                                          collectionPath(*m_api, QStringLiteral("evaluators")) +
                                              QStringLiteral(":previewEvaluator"),
                                          dump(body));
    return m_api->call<QByteArray>(
        request, [](const JsonReader &r) { return QByteArray::fromStdString(r.json().dump()); });
}

} // namespace client
