// The simulated clock: how jobs, deployments and other moving resources advance, and the
// metrics, logs and rollouts their simulated runs produce.
#include "platformservice.h"
#include "platformservice_p.h"

#include <sandbox/collectionschema.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <cmath>

namespace sandbox {

namespace detail {

int jobEpochs(const StoredResource &job)
{
    const Json &tc = job.collection == QLatin1String("supervisedFineTuningJobs")
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

// The simulated curves: a decaying loss and a saturating reward, with deterministic noise.
double lossAt(const QString &seed, double t, int step)
{
    return 0.35 + 1.9 * std::exp(-2.8 * t) + 0.04 * noise(seed, step);
}

double rewardAt(const QString &seed, double t, int step)
{
    return std::clamp(0.25 + 0.55 * (1.0 - std::exp(-3.0 * t)) +
                          0.03 * noise(seed + QStringLiteral("r"), step),
                      0.0, 1.0);
}

constexpr int kStepsPerEpoch = 40;

} // namespace

QByteArray PlatformService::metricsJsonl(const StoredResource &job) const
{
    const int epochs = jobEpochs(job);
    const int total = epochs * kStepsPerEpoch;
    const int done = int(std::floor(jobFraction(job) * total));
    const QString seed = toQ(job.body.value("name", std::string()));
    const qint64 start = job.createTime.toSecsSinceEpoch();
    const bool dpo = job.collection == QLatin1String("dpoJobs");
    QByteArray out;
    for (int step = 1; step <= done; ++step) {
        const double t = double(step) / total;
        Json data = {{"train/loss", lossAt(seed, t, step)},
                     {"train/learning_rate", 1e-4 * std::min(1.0, step / 10.0) * (1.0 - 0.9 * t)},
                     {"train/epoch", double(step) / kStepsPerEpoch},
                     {"train/grad_norm", 0.8 * std::exp(-1.5 * t) + 0.1 +
                                             0.05 * noise(seed + QStringLiteral("g"), step)},
                     {"train/tokens", qint64(step) * 32768}};
        if (dpo) {
            data["train/reward_margin"] = 0.1 + 1.4 * (1.0 - std::exp(-3.0 * t)) +
                                          0.05 * noise(seed + QStringLiteral("m"), step);
            data["train/reward_accuracy"] =
                std::clamp(0.5 + 0.45 * (1.0 - std::exp(-4.0 * t)), 0.0, 1.0);
        }
        if (step % kStepsPerEpoch == 0)
            data["eval/loss"] = lossAt(seed, t, step) + 0.08;
        Json line = {{"step", step}, {"timestamp", start + step * 3}, {"data", data}};
        out += QByteArray::fromStdString(line.dump()) + '\n';
    }
    return out;
}

Json PlatformService::rftOutputMetrics(const StoredResource &job, double fraction) const
{
    const int epochs = jobEpochs(job);
    const int total = epochs * kStepsPerEpoch;
    const int done = int(std::floor(fraction * total));
    const QString seed = toQ(job.body.value("name", std::string()));
    Json score = Json::array();
    for (int step = 1; step <= done; ++step)
        score.push_back(rewardAt(seed, double(step) / total, step));
    Json perEpoch = Json::object();
    const int epochsDone = done / kStepsPerEpoch;
    for (int e = 0; e < epochsDone; ++e) {
        const int step = (e + 1) * kStepsPerEpoch;
        const double avg = rewardAt(seed, double(step) / total, step);
        perEpoch[std::to_string(e)] = {
            {"metrics",
             {{"rollup_distribution",
               {{"average", avg},
                {"min", std::max(0.0, avg - 0.4)},
                {"max", std::min(1.0, avg + 0.3)}}}}},
            {"end_of_epoch", true},
            {"output_model", toS(toQ(job.body.value("trainingConfig", Json::object())
                                         .value("outputModel", std::string())) +
                                 QStringLiteral("-epoch-%1").arg(e))}};
    }
    return {{"curves", {{"average", {{"Score", score}}}}},
            {"epoch_to_evaluation_output", perEpoch}};
}

ApiResponse PlatformService::rollouts(const Route &route, const ApiRequest &request)
{
    if (request.method != "GET")
        return ApiResponse::error("UNIMPLEMENTED", QStringLiteral("rollouts are read-only"));
    auto job = m_store.get(QStringLiteral("reinforcementFineTuningJobs"), route.account, route.id);
    if (!job)
        return ApiResponse::error(
            "NOT_FOUND",
            QStringLiteral(
                "reinforcementFineTuningJob accounts/%1/reinforcementFineTuningJobs/%2 not found")
                .arg(route.account, route.id));
    bool ok = true;
    const QString epochText = request.queryValue(QStringLiteral("epoch"));
    const int onlyEpoch = epochText.isEmpty() ? -1 : epochText.toInt(&ok);
    if (!ok || (!epochText.isEmpty() && onlyEpoch < 0))
        return ApiResponse::error(
            "INVALID_ARGUMENT",
            QStringLiteral("epoch \"%1\" is not a non-negative integer").arg(epochText));
    int pageSize = request.queryValue(QStringLiteral("pageSize")).toInt();
    if (pageSize <= 0)
        pageSize = kDefaultPageSize;
    pageSize = std::min(pageSize, kMaxPageSize);
    int offset = 0;
    if (const QString token = request.queryValue(QStringLiteral("pageToken")); !token.isEmpty()) {
        const QByteArray decoded =
            QByteArray::fromBase64(token.toLatin1(), QByteArray::Base64UrlEncoding);
        if (!decoded.startsWith("o:"))
            return ApiResponse::error(
                "INVALID_ARGUMENT",
                QStringLiteral("pageToken \"%1\" is not a token this server issued").arg(token));
        offset = decoded.mid(2).toInt();
    }
    // Prompts come from the job's real dataset rows.
    const QStringList dsParts =
        toQ(job->body.value("dataset", std::string())).split(QLatin1Char('/'));
    QList<Json> rows;
    if (dsParts.size() == 4) {
        for (const QFileInfo &info :
             QDir(filesDir(QStringLiteral("datasets"), dsParts[1], dsParts[3]))
                 .entryInfoList(QDir::Files, QDir::Name)) {
            QFile f(info.filePath());
            if (!f.open(QIODevice::ReadOnly))
                continue;
            for (const QByteArray &l : f.readAll().split('\n')) {
                const Json row = Json::parse(l.constBegin(), l.constEnd(), nullptr, false);
                if (row.is_object() && row.contains("messages"))
                    rows.append(row);
                if (rows.size() >= 16)
                    break;
            }
        }
    }
    const Json ip = job->body.value("inferenceParameters", Json::object());
    const int samples = ip.value("responseCandidatesCount", 4);
    const int epochs = jobEpochs(*job);
    const int total = epochs * kStepsPerEpoch;
    const int epochsStarted = std::min(epochs, int(std::floor(jobFraction(*job) * epochs + 1e-9)) +
                                                   (jobFraction(*job) >= 1.0 ? 0 : 1));
    const QString seed = toQ(job->body.value("name", std::string()));
    Json all = Json::array();
    for (int e = 0; e < epochsStarted && !rows.isEmpty(); ++e) {
        if (onlyEpoch >= 0 && e != onlyEpoch)
            continue;
        const int step = std::min(total, (e + 1) * kStepsPerEpoch);
        const double mean = rewardAt(seed, double(step) / total, step);
        for (int r = 0; r < rows.size(); ++r) {
            for (int s = 0; s < samples; ++s) {
                const qint64 k = (qint64(e) * 1000 + r) * 16 + s;
                const double score =
                    std::clamp(mean + 0.25 * noise(seed + QStringLiteral("s"), k), 0.0, 1.0);
                const bool failed = noise(seed + QStringLiteral("f"), k) > 0.93;
                Json messages = rows[r]["messages"];
                messages.push_back(
                    {{"role", "assistant"},
                     {"content",
                      toS(QStringLiteral("(simulated rollout, epoch %1, sample %2) %3")
                              .arg(e)
                              .arg(s)
                              .arg(score >= 0.5
                                       ? QStringLiteral(
                                             "A complete answer that addresses the prompt.")
                                       : QStringLiteral("A partial answer that misses part of the "
                                                        "prompt.")))}});
                const QString reason =
                    failed ? QStringLiteral("rollout failed: the simulated environment timed out")
                    : score >= 0.8 ? QStringLiteral("matches the ground truth")
                    : score >= 0.5 ? QStringLiteral("partially correct")
                                   : QStringLiteral("does not match the ground truth");
                Json row = {{"rowId", toS(QStringLiteral("row-%1").arg(r))},
                            {"epoch", e},
                            {"step", step},
                            {"messages", messages},
                            {"input_metadata",
                             {{"row_id", toS(QStringLiteral("row-%1").arg(r))},
                              {"completion_params",
                               {{"temperature", ip.value("temperature", 0.7)},
                                {"max_tokens", ip.value("maxOutputTokens", 2048)}}}}},
                            {"rollout_status",
                             {{"code", failed ? 13 : 100},
                              {"message", failed ? "rollout error" : "finished"},
                              {"details", Json::array()}}},
                            {"evaluation_result",
                             {{"score", failed ? 0.0 : score},
                              {"is_score_valid", !failed},
                              {"reason", toS(reason)}}},
                            {"usage",
                             {{"prompt_tokens", 40 + r * 3},
                              {"completion_tokens", 60 + s * 7},
                              {"total_tokens", 100 + r * 3 + s * 7}}},
                            {"created_at",
                             toS(job->createTime.addSecs(step * 3).toString(Qt::ISODateWithMs))}};
                if (rows[r].contains("ground_truth"))
                    row["ground_truth"] = rows[r]["ground_truth"];
                all.push_back(row);
            }
        }
    }
    Json page = Json::array();
    for (int i = offset; i < std::min<int>(int(all.size()), offset + pageSize); ++i)
        page.push_back(all[i]);
    Json out = {{"rollouts", page}, {"totalSize", int(all.size())}};
    if (offset + pageSize < int(all.size()))
        out["nextPageToken"] = QByteArray("o:" + QByteArray::number(offset + pageSize))
                                   .toBase64(QByteArray::Base64UrlEncoding)
                                   .toStdString();
    return ApiResponse::json(out);
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
    if (job.collection == QLatin1String("rlorTrainerJobs"))
        return;
    const bool sft = job.collection == QLatin1String("supervisedFineTuningJobs");
    const Json tc = sft ? job.body : job.body.value("trainingConfig", Json::object());
    const QString output = toQ(tc.value("outputModel", std::string()));
    const QStringList p = output.split(QLatin1Char('/'));
    if (p.size() != 4 || m_store.get(QStringLiteral("models"), p[1], p[3]))
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
    if (auto baseModel = m_store.get(QStringLiteral("models"),
                                     QString::fromStdString(base).section(QLatin1Char('/'), 1, 1),
                                     QString::fromStdString(base).section(QLatin1Char('/'), 3, 3)))
        if (baseModel->body.contains("contextLength"))
            model["contextLength"] = baseModel->body["contextLength"];
    m_store.insert(
        {QStringLiteral("models"), p[1], p[3], model, Json(), QDateTime::currentDateTimeUtc()});
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
    if (r.collection == QLatin1String("deployments")) {
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
        r.body["state"] = "READY";
        r.body["replicaCount"] = desired;
        r.body["desiredReplicaCount"] = desired;
        r.body["replicaStats"] = {{"readyReplicaCount", desired}};
        r.body["updateTime"] = toS(now);
        sim = Json();
        return true;
    }
    if (r.collection == QLatin1String("deployedModels")) {
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
    if (r.collection == QLatin1String("evaluators")) {
        if (elapsed >= duration) {
            r.body["state"] = "ACTIVE";
            sim = Json();
        }
        return true;
    }
    if (r.collection == QLatin1String("evaluationJobs") ||
        r.collection == QLatin1String("batchInferenceJobs") || isJobCollection(r.collection)) {
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
        if (phase == "JOB_STATE_RUNNING" && r.collection != QLatin1String("batchInferenceJobs")) {
            const double fraction = std::min(1.0, elapsed / duration);
            r.body["jobProgress"]["percent"] = int(fraction * 100);
            if (isJobCollection(r.collection))
                r.body["jobProgress"]["epoch"] =
                    std::min(jobEpochs(r) - 1, int(fraction * jobEpochs(r)));
            if (r.collection == QLatin1String("reinforcementFineTuningJobs")) {
                r.body["outputMetrics"] = rftOutputMetrics(r, fraction).dump();
                const int steps = int(fraction * jobEpochs(r) * kStepsPerEpoch);
                r.body["outputStats"] =
                    Json{{"steps", steps},
                         {"epochs", int(fraction * jobEpochs(r))},
                         {"tokens", steps * 32768},
                         {"loss_ema", lossAt(toQ(r.body.value("name", "")), fraction, steps)}}
                        .dump();
            }
            if (r.collection == QLatin1String("supervisedFineTuningJobs") &&
                !r.body.contains("metricsFileSignedUrl"))
                r.body["metricsFileSignedUrl"] = toS(signedUrl({{},
                                                                "GET",
                                                                QStringLiteral("metrics"),
                                                                r.collection,
                                                                r.account,
                                                                r.id,
                                                                {},
                                                                -1,
                                                                {}}));
            if (elapsed < duration)
                return true;
            if (r.collection == QLatin1String("rlorTrainerJobs") &&
                r.body.value("keepAlive", false)) {
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
            const QString datasetField = r.collection == QLatin1String("evaluationJobs")
                                             ? QStringLiteral("inputDataset")
                                         : r.collection == QLatin1String("batchInferenceJobs")
                                             ? QStringLiteral("inputDatasetId")
                                             : QStringLiteral("dataset");
            const QString datasetName = toQ(r.body.value(toS(datasetField), std::string()));
            if (!datasetName.isEmpty()) {
                const QStringList p = datasetName.split(QLatin1Char('/'));
                auto ds = p.size() == 4 ? m_store.get(QStringLiteral("datasets"), p[1], p[3])
                                        : std::nullopt;
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
            }
            if (r.collection == QLatin1String("batchInferenceJobs")) {
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
            enter("JOB_STATE_RUNNING", r.collection == QLatin1String("evaluationJobs")
                                           ? 15.0
                                           : 60.0 + 30.0 * jobEpochs(r));
            r.body["jobProgress"] = {{"percent", 0}, {"epoch", 0}};
        } else if (phase == "JOB_STATE_WRITING_RESULTS") {
            if (r.collection == QLatin1String("evaluationJobs")) {
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
