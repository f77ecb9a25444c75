// The simulated clock: how jobs, deployments and other moving resources advance, and the
// metrics, logs and rollouts their simulated runs produce.
#include "collectionnames.h"
#include "platformservice.h"
#include "platformservice_p.h"

#include <sandbox/collectionschema.h>
#include <sandbox/datasetvalidator.h>
#include <sandbox/trainingrun.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <cmath>

namespace sandbox {

namespace detail {

int jobEpochs(const StoredResource &job)
{
    const Json &tc = job.collection == collections::sftJobs
                         ? job.body
                         : job.body.value("trainingConfig", Json::object());
    return std::max(1, tc.value("epochs", 1));
}

double jobFraction(const StoredResource &job)
{
    const std::string state = job.body.value("state", "");
    if (state == "JOB_STATE_COMPLETED" || state == "JOB_STATE_WRITING_RESULTS")
        return 1.0;
    return job.body.value("jobProgress", Json::object()).value("percent", 0) / 100.0;
}

} // namespace detail

using namespace detail;

namespace {

//! The rows a job of `collection` reads from its dataset (platform-api.md §5); Unknown: none
//! checked (batch input is checked when its dataset is uploaded).
DatasetValidation::Kind datasetKindFor(const QString &collection)
{
    if (collection == collections::sftJobs)
        return DatasetValidation::Kind::Sft;
    if (collection == collections::dpoJobs)
        return DatasetValidation::Kind::Dpo;
    if (collection == collections::rftJobs || collection == collections::evaluationJobs)
        return DatasetValidation::Kind::Rft;
    return DatasetValidation::Kind::Unknown;
}

} // namespace

TrainingRun PlatformService::trainingRun(const StoredResource &job) const
{
    std::optional<double> constant;
    if (job.collection == collections::rftJobs) {
        const QStringList p =
            toQ(job.body.value("evaluator", std::string())).split(QLatin1Char('/'));
        if (p.size() == 4)
            if (auto evaluator = m_store.get(collections::evaluators, p[1], p[3]))
                constant = TrainingRun::constantEvaluatorScore(evaluator->body);
    }
    return TrainingRun(job.collection, job.body, job.createTime, constant);
}

QByteArray PlatformService::metricsJsonl(const StoredResource &job) const
{
    const TrainingRun run = trainingRun(job);
    return run.metricsJsonl(run.stepsDone(jobFraction(job)));
}

Json PlatformService::rftOutputMetrics(const StoredResource &job, double fraction) const
{
    const TrainingRun run = trainingRun(job);
    const int done = run.stepsDone(fraction);
    Json score = Json::array();
    for (int step = 1; step <= done; ++step)
        score.push_back(run.reward(step));
    Json perEpoch = Json::object();
    const int epochsDone = done / TrainingRun::kStepsPerEpoch;
    const bool flat = run.constantScore().has_value();
    for (int e = 0; e < epochsDone; ++e) {
        const double avg = run.epochReward(e);
        perEpoch[std::to_string(e)] = {
            {"metrics",
             {{"rollup_distribution",
               {{"average", avg},
                {"min", flat ? avg : std::max(0.0, avg - 0.4)},
                {"max", flat ? avg : std::min(1.0, avg + 0.3)}}}}},
            {"end_of_epoch", true},
            {"output_model", toS(toQ(job.body.value("trainingConfig", Json::object())
                                         .value("outputModel", std::string())) +
                                 QStringLiteral("-epoch-%1").arg(e))}};
    }
    return {{"curves", {{"average", {{"Score", score}}}}},
            {"epoch_to_evaluation_output", perEpoch}};
}

void PlatformService::failJob(StoredResource &job, const char *code, const QString &message)
{
    job.body["state"] = "JOB_STATE_FAILED";
    job.body["status"] = {{"code", code}, {"message", toS(message)}};
    job.body["completedTime"] = toS(nowText());
    job.sim = Json();
}

void PlatformService::finishJob(StoredResource &job)
{
    job.body["state"] = "JOB_STATE_COMPLETED";
    job.body["completedTime"] = toS(nowText());
    job.body["jobProgress"]["percent"] = 100;
    job.body["status"] = {{"code", "OK"},
                          {"message", "Simulated training on the Local sandbox finished: the "
                                      "output model is a placeholder with no weights"}};
    job.sim = Json();
    if (job.collection == collections::rlorJobs)
        return;
    const bool sft = job.collection == collections::sftJobs;
    const Json tc = sft ? job.body : job.body.value("trainingConfig", Json::object());
    const QString output = toQ(tc.value("outputModel", std::string()));
    const QStringList p = output.split(QLatin1Char('/'));
    if (p.size() != 4 || m_store.get(collections::models, p[1], p[3]))
        return;
    const std::string base = tc.value("baseModel", tc.value("warmStartFrom", std::string()));
    Json model = {{"name", toS(output)},
                  {"displayName", toS(p[3])},
                  {"kind", "HF_PEFT_ADDON"},
                  {"state", "READY"},
                  {"status", {{"code", "OK"}, {"message", ""}}},
                  {"peftDetails",
                   {{"baseModel", base},
                    {"r", tc.value("loraRank", 8)},
                    {"targetModules", Json::array({"q_proj", "k_proj", "v_proj", "o_proj",
                                                   "gate_proj", "up_proj", "down_proj"})}}},
                  {"fineTuningJob", job.body.value("name", "")},
                  {"supportsLora", true},
                  {"createTime", toS(nowText())},
                  {"updateTime", toS(nowText())}};
    if (auto baseModel = m_store.get(collections::models,
                                     QString::fromStdString(base).section(QLatin1Char('/'), 1, 1),
                                     QString::fromStdString(base).section(QLatin1Char('/'), 3, 3)))
        if (baseModel->body.contains("contextLength"))
            model["contextLength"] = baseModel->body["contextLength"];
    m_store.insert(
        {collections::models, p[1], p[3], model, Json(), QDateTime::currentDateTimeUtc()});
}

bool PlatformService::advanceOne(StoredResource &r, double seconds)
{
    Json &sim = r.sim;
    if (!sim.is_object() || !sim.contains("phase"))
        return false; // upload bookkeeping only, nothing moves by itself
    const double elapsed = sim.value("elapsed", 0.0) + seconds;
    const double duration = sim.value("duration", 1.0);
    sim["elapsed"] = elapsed;
    const std::string phase = sim["phase"];
    const QString now = nowText();
    auto enter = [&](const char *state, double next) {
        r.body["state"] = state;
        r.body["updateTime"] = toS(now);
        sim = {{"phase", state}, {"elapsed", 0.0}, {"duration", next}};
    };
    if (r.collection == collections::deployments) {
        if (elapsed < duration)
            return true;
        if (phase == "DELETING") {
            r.body["state"] = "DELETED";
            r.body["deleteTime"] = toS(now);
            r.body["purgeTime"] =
                toS(QDateTime::currentDateTimeUtc().addDays(7).toString(Qt::ISODateWithMs));
            r.body["replicaCount"] = 0;
            sim = Json();
            return true;
        }
        const int desired = sim.contains("replicas") ? sim["replicas"].get<int>()
                                                     : r.body.value("minReplicaCount", 0);
        if (phase == "CREATING") // provisioning is over; what it cannot do still holds
            r.body["status"] = {{"code", "OK"},
                                {"message", "Simulated replicas on the Local sandbox" +
                                                sim.value("servingNote", std::string())}};
        r.body["state"] = "READY";
        r.body["replicaCount"] = desired;
        r.body["desiredReplicaCount"] = desired;
        r.body["replicaStats"] = {{"readyReplicaCount", desired}};
        r.body["updateTime"] = toS(now);
        sim = Json();
        return true;
    }
    if (r.collection == collections::deployedModels) {
        if (elapsed < duration)
            return true;
        if (phase == "UNDEPLOYING") {
            m_store.remove(r.collection, r.account, r.id);
            r.sim = Json();
            r.body = Json(); // tells the caller the row is gone
            return true;
        }
        r.body["state"] = "DEPLOYED";
        r.body["updateTime"] = toS(now);
        sim = Json();
        return true;
    }
    if (r.collection == collections::evaluators) {
        if (elapsed >= duration) {
            // validateUpload decided whether the uploaded code builds (evaluatorbuild.h).
            const std::string failure = sim.value("buildFailure", std::string());
            r.body["state"] = failure.empty() ? "ACTIVE" : "BUILD_FAILED";
            if (!failure.empty())
                r.body["status"] = {{"code", "INVALID_ARGUMENT"}, {"message", failure}};
            r.body["updateTime"] = toS(now);
            sim = Json();
        }
        return true;
    }
    if (r.collection == collections::evaluationJobs ||
        r.collection == collections::batchInferenceJobs || isJobCollection(r.collection)) {
        if (phase == "JOB_STATE_DELETING") {
            if (elapsed >= duration) {
                m_store.remove(r.collection, r.account, r.id);
                r.body = Json();
            }
            return true;
        }
        if (phase == "JOB_STATE_CANCELLING") {
            if (elapsed >= duration) {
                r.body["state"] = "JOB_STATE_CANCELLED";
                r.body["completedTime"] = toS(now);
                r.body["status"] = {{"code", "CANCELLED"}, {"message", "cancelled by the user"}};
                sim = Json();
            }
            return true;
        }
        if (phase == "STEP") { // RLOR keep-alive train step
            if (elapsed >= duration) {
                r.body["state"] = "JOB_STATE_IDLE";
                sim = Json();
            }
            return true;
        }
        if (phase == "JOB_STATE_RUNNING" && r.collection != collections::batchInferenceJobs) {
            double fraction = std::min(1.0, elapsed / duration);
            std::optional<TrainingRun> run;
            std::optional<TrainingRun::Failure> failure;
            std::optional<int> stopStep;
            if (isJobCollection(r.collection)) {
                run = trainingRun(r);
                failure = run->failure();
                stopStep = run->earlyStopStep();
                const int ending = run->lastStep();
                // Progress stops where the run fails or stops early; percent is rounded up so
                // that the steps it stands for reach that step.
                if ((failure || stopStep) && fraction * run->totalSteps() >= ending) {
                    fraction = std::ceil(100.0 * ending / run->totalSteps()) / 100.0;
                } else {
                    failure.reset();
                    stopStep.reset();
                }
            }
            r.body["jobProgress"]["percent"] = int(fraction * 100 + 1e-9);
            if (isJobCollection(r.collection))
                r.body["jobProgress"]["epoch"] =
                    std::min(jobEpochs(r) - 1, int(fraction * jobEpochs(r)));
            if (r.collection == collections::rftJobs) {
                r.body["outputMetrics"] = rftOutputMetrics(r, fraction).dump();
                const int steps = run->stepsDone(fraction);
                r.body["outputStats"] = Json{{"steps", steps},
                                             {"epochs", steps / TrainingRun::kStepsPerEpoch},
                                             {"tokens", steps * 32768},
                                             {"loss_ema", run->trainLoss(std::max(1, steps))}}
                                            .dump();
            }
            if (failure) {
                failJob(r, failure->code, failure->message);
                return true;
            }
            if (stopStep) {
                r.body["state"] = "JOB_STATE_EARLY_STOPPED";
                r.body["status"] = {{"code", "OK"}, {"message", toS(run->earlyStopMessage())}};
                r.body["completedTime"] = toS(now);
                r.body["updateTime"] = toS(now);
                sim = Json();
                return true;
            }
            if (elapsed < duration)
                return true;
            if (r.collection == collections::rlorJobs && r.body.value("keepAlive", false)) {
                r.body["state"] = "JOB_STATE_IDLE";
                sim = Json();
                return true;
            }
            enter("JOB_STATE_WRITING_RESULTS", 3.0);
            return true;
        }
        if (elapsed < duration)
            return true;
        if (phase == "JOB_STATE_PENDING") {
            enter("JOB_STATE_VALIDATING", 4.0);
        } else if (phase == "JOB_STATE_VALIDATING") {
            // Validation: the job's inputs must exist and be usable.
            const QString datasetField =
                r.collection == collections::evaluationJobs       ? QStringLiteral("inputDataset")
                : r.collection == collections::batchInferenceJobs ? QStringLiteral("inputDatasetId")
                                                                  : QStringLiteral("dataset");
            const QString datasetName = toQ(r.body.value(toS(datasetField), std::string()));
            if (!datasetName.isEmpty()) {
                const QStringList p = datasetName.split(QLatin1Char('/'));
                auto ds =
                    p.size() == 4 ? m_store.get(collections::datasets, p[1], p[3]) : std::nullopt;
                if (!ds) {
                    failJob(r, "NOT_FOUND",
                            QStringLiteral("dataset %1 not found").arg(datasetName));
                    return true;
                }
                const Json status = ds->body.value("status", Json::object());
                if (status.value("code", "OK") != "OK") {
                    failJob(r, "INVALID_ARGUMENT",
                            QStringLiteral("dataset %1 is invalid: %2")
                                .arg(datasetName, toQ(status.value("message", ""))));
                    return true;
                }
                if (ds->body.value("state", "") != "READY") {
                    failJob(r, "FAILED_PRECONDITION",
                            QStringLiteral("dataset %1 is %2, not READY")
                                .arg(datasetName, toQ(ds->body.value("state", ""))));
                    return true;
                }
                // A READY dataset of another job's format (DPO pairs for an RFT job, prompts
                // for SFT) fails here with the line, as the platform's validation does
                // (platform-api.md §5.4, §5.8); it was trained on as if it fitted.
                const DatasetValidation::Kind needs = datasetKindFor(r.collection);
                if (needs != DatasetValidation::Kind::Unknown) {
                    const DatasetValidation v = validateDatasetJsonl(datasetContent(*ds), needs);
                    if (!v.ok) {
                        failJob(
                            r, "INVALID_ARGUMENT",
                            QStringLiteral("dataset %1 is not in the %2 format: %3")
                                .arg(datasetName, QLatin1String(datasetKindName(needs)), v.error));
                        return true;
                    }
                }
            }
            if (r.collection == collections::batchInferenceJobs) {
                const QString model = toQ(r.body.value("model", std::string()));
                InferenceTarget target;
                target.modelName = model;
                if (const QString why = m_backend->unavailableReason(target); !why.isEmpty()) {
                    failJob(
                        r, "FAILED_PRECONDITION",
                        QStringLiteral("batch inference runs on the local engine: %1").arg(why));
                    return true;
                }
            }
            enter("JOB_STATE_RUNNING",
                  r.collection == collections::evaluationJobs ? 15.0 : 60.0 + 30.0 * jobEpochs(r));
            r.body["jobProgress"] = {{"percent", 0}, {"epoch", 0}};
        } else if (phase == "JOB_STATE_WRITING_RESULTS") {
            if (r.collection == collections::evaluationJobs) {
                r.body["state"] = "JOB_STATE_COMPLETED";
                r.body["metrics"] = {
                    {"score", 0.55 + 0.2 * noise(toQ(r.body.value("name", "")), 1)}};
                r.body["completedTime"] = toS(now);
                sim = Json();
            } else {
                finishJob(r);
            }
        }
        return true;
    }
    return true;
}

void PlatformService::advance(double simulatedSeconds)
{
    std::vector<StoredResource> moving = m_store.active();
    if (moving.empty())
        return;
    m_store.transaction();
    for (StoredResource &r : moving) {
        if (!advanceOne(r, simulatedSeconds))
            continue;
        if (!r.body.is_null())
            m_store.update(r);
    }
    m_store.commit();
}

QByteArray PlatformService::simulatedLog(const StoredResource &r) const
{
    if (isJobCollection(r.collection)) {
        const TrainingRun run = trainingRun(r);
        return run.log(run.stepsDone(jobFraction(r)));
    }
    // The Local sandbox runs no code: its logs say so, and list the state changes it simulated.
    QByteArray log = "[local sandbox] " +
                     QByteArray::fromStdString(r.body.value("name", std::string())) +
                     ": simulated, no code runs on the Local sandbox\n";
    log += "[local sandbox] created " +
           QByteArray::fromStdString(r.body.value("createTime", std::string())) + "\n";
    log += "[local sandbox] state " +
           QByteArray::fromStdString(r.body.value("state", std::string())) + "\n";
    const Json status = r.body.value("status", Json::object());
    if (status.is_object() && !status.value("message", std::string()).empty())
        log += "[local sandbox] " +
               QByteArray::fromStdString(status.value("message", std::string())) + "\n";
    return log;
}

} // namespace sandbox
